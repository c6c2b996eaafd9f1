/**
 * The local stream poller, on DynamoDB Local's own stream: how it batches for each consumer,
 * as the consumer's event source mapping would in AWS.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { PutCommand, UpdateCommand } from '../../functions/adapters/dynamo/document-client.js';
import type { StreamMappingSettings } from '../../functions/adapters/dynamo/stream-filters.js';
import { localAwsEnv } from '../../local/dynamodb-local.js';
import { startStreamPoller, type StreamPoller } from '../../local/stream-poller.js';
import { createTestTable } from '../support/dynamo.js';

const things = { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { entityType: { S: ['Thing'] } } } };
const pkOf = (r: DynamoDBRecord) => (r.dynamodb?.Keys?.pk as { S: string }).S;
const versionOf = (r: DynamoDBRecord) => Number((r.dynamodb?.NewImage?.version as { N: string }).N);

let poller: StreamPoller | undefined;
afterEach(async () => {
  await poller?.stop();
  poller = undefined;
});

/**
 * A proxy in front of DynamoDB Local that can make the stream refuse one iterator for ever
 * with TrimmedDataAccessException, as DynamoDB Local itself did late in long test runs.
 */
async function iteratorBreaker(target: string) {
  const refused = new Set<string>();
  let breakNext = 0;
  const refusals: string[] = [];
  let reads = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (String(req.headers['x-amz-target']).endsWith('.GetRecords')) {
        reads++;
        const iterator = (JSON.parse(body) as { ShardIterator: string }).ShardIterator;
        if (breakNext > 0) {
          breakNext--;
          refused.add(iterator);
        }
        if (refused.has(iterator)) {
          refusals.push(iterator);
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#TrimmedDataAccessException', message: 'The operation attempted to read past the oldest stream record in a shard.' }));
          return;
        }
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k))) as Record<string, string>;
      const answer = await fetch(`${target}${req.url}`, { method: req.method, headers, body });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/x-amz-json-1.0' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** The next `n` iterators read are refused from then on. */
    breakIterators: (n: number) => void (breakNext = n),
    refusals,
    /** GetRecords calls so far. */
    reads: () => reads,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function world(
  consumers: Array<{ name: string; mapping?: StreamMappingSettings; consumer: (e: DynamoDBStreamEvent) => Promise<void> }>,
  via?: (endpoint: string) => Promise<string>,
  options: { idlePollMs?: number } = {},
) {
  const t = await createTestTable();
  poller = startStreamPoller({
    endpoint: via ? await via(t.endpoint) : t.endpoint,
    region: localAwsEnv.AWS_REGION,
    credentials: { accessKeyId: localAwsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: localAwsEnv.AWS_SECRET_ACCESS_KEY },
    streamArn: t.streamArn,
    consumers: consumers.map((c) => ({ ...c, filter: things })),
    pollMs: 20,
    ...options,
  });
  const put = (pk: string, version: number) => t.doc.send(new PutCommand({ TableName: t.tableName, Item: { pk, sk: 'THING', entityType: 'Thing', version } }));
  const bump = (pk: string) =>
    t.doc.send(
      new UpdateCommand({ TableName: t.tableName, Key: { pk, sk: 'THING' }, UpdateExpression: 'ADD version :one', ExpressionAttributeValues: { ':one': 1 } }),
    );
  return { poller, put, bump };
}

describe('local stream poller', () => {
  it('gives a consumer that fell behind everything waiting in one batch, up to its batch size, in the order written', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow: DynamoDBRecord[][] = [];
    const quick: DynamoDBRecord[][] = [];
    const w = await world([
      {
        name: 'slow',
        mapping: { batchSize: 25, parallelizationFactor: 1, maxBatchingWindowSeconds: 0 },
        consumer: async (e) => {
          slow.push(e.Records);
          if (slow.length === 1) await held;
        },
      },
      { name: 'quick', consumer: async (e) => void quick.push(e.Records) },
    ]);
    await w.put('THING#first', 1);
    await expect.poll(() => slow.length).toBe(1);
    for (let i = 0; i < 30; i++) await w.put(`THING#${String(i).padStart(2, '0')}`, 1);
    // The quick consumer has them all once the reader has read them all: the slow one's wait in its lane.
    await expect.poll(() => quick.flat().length, { timeout: 60_000 }).toBe(31);
    release();
    await w.poller.drain();

    expect(slow.map((batch) => batch.length)).toEqual([1, 25, 5]);
    expect(slow.flat().map(pkOf)).toEqual(['THING#first', ...Array.from({ length: 30 }, (_, i) => `THING#${String(i).padStart(2, '0')}`)]);
    // The default mapping: at most ten a batch.
    expect(Math.max(...quick.map((batch) => batch.length))).toBeLessThanOrEqual(10);
  });

  it('keeps each item’s records in order across a consumer’s lanes', async () => {
    const seen: DynamoDBRecord[] = [];
    const w = await world([
      {
        name: 'laned',
        mapping: { batchSize: 3, parallelizationFactor: 4, maxBatchingWindowSeconds: 0 },
        // A little work per batch, so the lanes overlap.
        consumer: async (e) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          seen.push(...e.Records);
        },
      },
    ]);
    const items = Array.from({ length: 8 }, (_, i) => `THING#${i}`);
    for (const pk of items) await w.put(pk, 1);
    for (let round = 0; round < 4; round++) for (const pk of items) await w.bump(pk);
    await w.poller.drain();

    expect(seen).toHaveLength(items.length * 5);
    for (const pk of items) expect(seen.filter((r) => pkOf(r) === pk).map(versionOf), pk).toEqual([1, 2, 3, 4, 5]);
  });

  it('takes up after the last record read when the stream refuses a shard iterator for ever, reading nothing twice', async () => {
    const seen: DynamoDBRecord[] = [];
    let breaker!: Awaited<ReturnType<typeof iteratorBreaker>>;
    const w = await world([{ name: 'watcher', consumer: async (e) => void seen.push(...e.Records) }], async (endpoint) => {
      breaker = await iteratorBreaker(endpoint);
      return breaker.endpoint;
    });
    try {
      // Before any record is read: the iterator from the shard's start is refused.
      breaker.breakIterators(1);
      for (let i = 0; i < 3; i++) await w.put(`THING#a${i}`, 1);
      await w.poller.drain();
      // After records were read: the iterator past them is refused.
      breaker.breakIterators(1);
      for (let i = 0; i < 3; i++) await w.put(`THING#b${i}`, 1);
      await w.poller.drain();

      expect(breaker.refusals.length).toBeGreaterThanOrEqual(2);
      // Each once (items on different lanes may come in any order).
      expect(seen.map(pkOf).sort()).toEqual(['THING#a0', 'THING#a1', 'THING#a2', 'THING#b0', 'THING#b1', 'THING#b2']);
    } finally {
      await breaker.close();
    }
  });

  it('looks less often once the stream is quiet, and a drain still looks at once and finds what was written', async () => {
    const seen: DynamoDBRecord[] = [];
    let counter!: Awaited<ReturnType<typeof iteratorBreaker>>;
    const w = await world(
      [{ name: 'watcher', consumer: async (e) => void seen.push(...e.Records) }],
      async (endpoint) => {
        counter = await iteratorBreaker(endpoint);
        return counter.endpoint;
      },
      { idlePollMs: 400 },
    );
    try {
      await w.put('THING#first', 1);
      await w.poller.drain();
      // Quiet for a while: the waits have grown from 20 ms to 400, so a second holds a few
      // passes (one read a shard each), where at 20 ms it would hold some fifty.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const before = counter.reads();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(counter.reads() - before).toBeLessThanOrEqual(10);
      expect(counter.reads() - before).toBeGreaterThan(0);
      await w.put('THING#later', 1);
      await w.poller.drain();
      expect(seen.map(pkOf)).toEqual(['THING#first', 'THING#later']);
    } finally {
      await counter.close();
    }
  });
});
