/**
 * Feeds the stream consumers from DynamoDB Local's own stream, the way Lambda's event
 * source mappings do in AWS: each consumer gets its filtered records in batches, in order
 * per shard; records reported in batchItemFailures are retried from the first failure
 * (bounded, with backoff) and then set aside as dead letters, as the SQS on-failure
 * destination holds them in AWS. One reader serves them all: each page of the stream is
 * read and parsed once, then handed to every consumer at once, as separate mappings would.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { streamMappingSettings, type StreamFilter, type StreamMappingSettings } from '../functions/adapters/dynamo/stream-filters.js';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { createStreamsClient, toLambdaRecord } from '../functions/adapters/dynamo/stream-records.js';
import type { AwsCredentialSource } from '../functions/adapters/aws-clients.js';
import { localClientOptions } from './dynamodb-local.js';
import { log } from '../functions/log.js';
import { matchesFilter } from './stream-filter.js';

/** Errors that mean the iterator, not the stream, is at fault: a fresh one reads on. */
const lostIterators = new Set(['TrimmedDataAccessException', 'ExpiredIteratorException']);
const isLostIterator = (error: unknown) => lostIterators.has((error as { name?: string }).name ?? '');

export type StreamConsumer = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

export interface StreamConsumerSpec {
  name: string;
  filter: StreamFilter;
  consumer: StreamConsumer;
  /** Its mapping's batch size and lanes (default: streamMappingSettings); the batching window is not waited out here. */
  mapping?: StreamMappingSettings;
}

export interface StreamPollerOptions {
  /** DynamoDB Local's endpoint, and credentials it will take. */
  endpoint: string;
  region: string;
  credentials: AwsCredentialSource;
  streamArn: string;
  consumers: StreamConsumerSpec[];
  maxRetries?: number;
  pollMs?: number;
  /** How soon to look again while consumers are still at work (they may be writing). */
  busyPollMs?: number;
  /**
   * The longest wait between passes once the stream has gone quiet: the wait doubles from
   * `pollMs` up to this while passes find nothing. A drain, or a pass that finds records,
   * looks again at once. (An idle local stack polled five times a second cost DynamoDB
   * Local about 7% of a core; the test run and `npm start` are idle most of the time.)
   */
  idlePollMs?: number;
  retryBaseMs?: number;
  /** How many records a lane may have waiting before the reader waits for it. */
  recordsAhead?: number;
  /** How often to look for new shards while every iterator is still open. */
  shardRefreshMs?: number;
  /**
   * Told of records set aside after their retries, as the on-failure destination is in AWS
   * (the local stack keeps them in the failure log). `error` is what the consumer threw, if
   * it threw; a consumer that reported the records in batchItemFailures gives none.
   * `attempts` counts the first delivery. A hook that fails is logged; the records stay in
   * `deadLetters` either way.
   */
  onDeadLetter?: (consumer: string, records: DynamoDBRecord[], error: unknown, attempts: number) => Promise<void> | void;
}

export interface StreamPoller {
  stop(): Promise<void>;
  /** Resolves once every record written so far has been handed to the consumers. */
  drain(): Promise<void>;
  deadLetters: Array<{ consumer: string; record: DynamoDBRecord }>;
  /** Records handed to consumers so far: a drain that changed it may have set off more. */
  readonly delivered: number;
}

/** Kept where the failure keeper reads the stream too; tests and tools import it from here. */
export { toLambdaRecord };

/** The lane of an item's records: by its partition key, as Lambda picks one. */
function laneOf(record: DynamoDBRecord, lanes: number): number {
  if (lanes === 1) return 0;
  const key = JSON.stringify(record.dynamodb?.Keys?.pk ?? '');
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) | 0;
  return Math.abs(hash) % lanes;
}

export function startStreamPoller(options: StreamPollerOptions): StreamPoller {
  const { streamArn, consumers } = options;
  // DynamoDB Local on a busy machine may be slow to answer: waited for, and retried, never fatal.
  const client = createStreamsClient({ ...localClientOptions, endpoint: options.endpoint, region: options.region, credentials: options.credentials });
  const maxRetries = options.maxRetries ?? 5;
  const pollMs = options.pollMs ?? 200;
  const retryBaseMs = options.retryBaseMs ?? 200;
  const recordsAhead = options.recordsAhead ?? 400;
  const shardRefreshMs = options.shardRefreshMs ?? 2_000;
  const busyPollMs = options.busyPollMs ?? 50;
  const idlePollMs = Math.max(options.idlePollMs ?? 1_000, pollMs);
  /** Passes in a row that found nothing with every consumer idle. */
  let quietPasses = 0;
  const iterators = new Map<string, string | undefined>();
  const deadLetters: StreamPoller['deadLetters'] = [];
  let stopped = false;
  let idleWaiters: Array<{ after: number; resolve: () => void }> = [];
  let passesStarted = 0;
  let delivered = 0;
  let wake: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function deliver({ name, consumer }: StreamConsumerSpec, records: DynamoDBRecord[]) {
    delivered += records.length;
    let pending = records;
    for (let attempt = 0; pending.length > 0; attempt++) {
      let thrown: unknown;
      const response = await consumer({ Records: pending }).catch((error: unknown) => {
        log.error(`${name}: consumer threw; whole batch will be retried`, error);
        thrown = error;
        return { batchItemFailures: pending.map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' })) };
      });
      const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      if (failed.size === 0) return;
      // As Lambda does: carry on from the first failed record.
      const first = pending.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
      pending = first < 0 ? pending : pending.slice(first);
      if (attempt >= maxRetries) {
        const dead = pending.filter((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
        deadLetters.push(...dead.map((record) => ({ consumer: name, record })));
        log.error(`${name}: records set aside after ${maxRetries} retries`, new Error('retries exhausted'), {
          sequenceNumbers: dead.map((r) => r.dynamodb?.SequenceNumber),
        });
        if (options.onDeadLetter) {
          await Promise.resolve()
            .then(() => options.onDeadLetter!(name, dead, thrown, maxRetries + 1))
            .catch((error: unknown) => log.error(`${name}: could not keep the records set aside`, error));
        }
        pending = pending.filter((r) => !failed.has(r.dynamodb?.SequenceNumber ?? ''));
        attempt = -1;
        continue;
      }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, retryBaseMs * 2 ** attempt));
    }
  }

  /**
   * Each consumer works through its own lanes, as separate event source mappings each read
   * the stream at their own pace in AWS: a slow consumer does not hold the others back, and
   * the reader reads on while they work. Like a mapping's ParallelizationFactor, each
   * consumer has its mapping's number of lanes, and an item's records always take the same
   * lane, so they are handled in the order they were written. A lane takes what is waiting,
   * up to its batch size, as Lambda does: a consumer that falls behind gets fuller batches.
   */
  interface Lane {
    spec: StreamConsumerSpec;
    batchSize: number;
    waiting: DynamoDBRecord[];
    /** Set while the lane is delivering; settles once it has nothing waiting. */
    working: Promise<void> | undefined;
  }
  const lanesOf = consumers.map((spec) => {
    const { batchSize, parallelizationFactor } = spec.mapping ?? streamMappingSettings;
    return Array.from({ length: parallelizationFactor }, (): Lane => ({ spec, batchSize, waiting: [], working: undefined }));
  });
  const lanes = lanesOf.flat();

  async function work(lane: Lane) {
    while (lane.waiting.length > 0) {
      const batch = lane.waiting.splice(0, lane.batchSize);
      await deliver(lane.spec, batch).catch((error: unknown) => log.error(`${lane.spec.name}: delivery failed`, error));
    }
    lane.working = undefined;
  }

  function enqueue(records: DynamoDBRecord[]) {
    consumers.forEach((spec, c) => {
      const own = lanesOf[c]!;
      for (const record of records) if (matchesFilter(spec.filter, record)) own[laneOf(record, own.length)]!.waiting.push(record);
    });
    for (const lane of lanes) if (lane.waiting.length > 0 && !lane.working) lane.working = work(lane);
  }

  const working = () => lanes.flatMap((l) => (l.working ? [l.working] : []));
  const busy = () => working().length > 0;
  const allDone = () => Promise.all(working());

  async function refreshShards() {
    let start: string | undefined;
    do {
      const out = await client.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }));
      for (const shard of out.StreamDescription?.Shards ?? []) {
        if (!shard.ShardId || iterators.has(shard.ShardId)) continue;
        const it = await client.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
        iterators.set(shard.ShardId, it.ShardIterator);
      }
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
  }

  /**
   * New shards appear when one closes (its iterator ends) or, in DynamoDB Local, now and
   * then on a timer: look for them then, not on every pass, which would double the reads.
   */
  let shardsSeenAt = -Infinity;
  let closedSeen = 0;
  /** True if there are shards not seen before. */
  async function lookForShards(): Promise<boolean> {
    const before = iterators.size;
    await refreshShards();
    shardsSeenAt = performance.now();
    closedSeen = [...iterators.values()].filter((it) => it === undefined).length;
    return iterators.size > before;
  }

  /** The last sequence number read from each shard, to take up after if its iterator is lost. */
  const lastRead = new Map<string, string>();

  /**
   * A new iterator for a shard whose iterator stopped working, just after the last record
   * read from it (or at its start if none was): nothing read twice, nothing skipped.
   */
  async function reopen(shardId: string) {
    const last = lastRead.get(shardId);
    const open = (after?: string) =>
      client.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
    // If the last record read is itself trimmed, so is all before it: the shard's start is next.
    const it = await open(last).catch((error: unknown) => {
      if (last && isLostIterator(error)) return open();
      throw error;
    });
    iterators.set(shardId, it.ShardIterator);
  }

  /** Set by a pass that had to reopen a shard: it has not read the whole stream. */
  let reopened = false;

  /** One pass over every open shard; true if it found any record at all. */
  async function pollOnce(): Promise<boolean> {
    reopened = false;
    const closed = [...iterators.values()].filter((it) => it === undefined).length;
    if (performance.now() - shardsSeenAt >= shardRefreshMs || closed > closedSeen) await lookForShards();
    let found = false;
    for (const [shardId, iterator] of iterators) {
      if (!iterator) continue;
      let out;
      try {
        out = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
      } catch (error) {
        if (!isLostIterator(error)) throw error;
        // DynamoDB Local now and then answers a shard's iterator with TrimmedDataAccessException
        // for ever after (aws/aws-sdk-java#2923: seen late in long test runs, when the
        // watchers were fed nothing), and an iterator expires after 15 minutes: retrying the
        // same iterator would never recover, so take up again after the last record read.
        log.warn('Stream poller: a shard iterator stopped working; reopening it after the last record read', { shardId, error: (error as Error).name });
        await reopen(shardId);
        // Read again on the next pass, after the usual wait (a shard refused again does not
        // make the reader spin), and this pass does not count as having seen the stream drained.
        reopened = true;
        continue;
      }
      iterators.set(shardId, out.NextShardIterator);
      const records = (out.Records ?? []).map((r) => toLambdaRecord(r, streamArn));
      const last = records.at(-1)?.dynamodb?.SequenceNumber;
      if (last) lastRead.set(shardId, last);
      if (records.length > 0) found = true;
      enqueue(records);
      // Read ahead, but not without bound.
      for (let full = lanes.filter((l) => l.waiting.length > recordsAhead); full.length > 0; full = lanes.filter((l) => l.waiting.length > recordsAhead)) {
        await Promise.race(full.map((l) => l.working));
      }
    }
    return found;
  }

  const loop = (async () => {
    while (!stopped) {
      const pass = ++passesStarted;
      // Consumers still at work may yet write records this pass cannot see.
      const settledAtStart = !busy();
      let found = false;
      let read = true;
      try {
        found = await pollOnce();
        if (reopened) read = false;
        // Nothing new: before calling the stream drained, make sure no shard opened unseen.
        if (!found && settledAtStart && idleWaiters.length > 0 && (await lookForShards())) found = true;
      } catch (error) {
        if (!stopped) log.error('Stream poller: reading the stream failed; trying again', error);
        read = false;
      }
      if (read && !found && settledAtStart) {
        // Only waiters from before this pass began: its reads saw everything they wrote.
        const ready = idleWaiters.filter((w) => w.after < pass);
        idleWaiters = idleWaiters.filter((w) => w.after >= pass);
        ready.forEach((w) => w.resolve());
      }
      quietPasses = found || !settledAtStart || busy() ? 0 : quietPasses + 1;
      // A consumer at work writes records of its own for the others: look again as soon as
      // any lane is free, or a moment from now, rather than when the slowest has finished.
      if (!found && busy()) await Promise.race([...working(), sleep(busyPollMs)]);
      else if (!stopped && !found) await sleep(Math.min(pollMs * 2 ** Math.max(0, quietPasses - 1), idlePollMs));
    }
  })();

  return {
    deadLetters,
    get delivered() {
      return delivered;
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await allDone();
      client.destroy();
      idleWaiters.forEach((w) => w.resolve());
    },
    /** Waits for a pass that began after this call, with every consumer idle, and found nothing new. */
    drain() {
      return new Promise<void>((resolve) => {
        // A pass already under way may have started before the caller's write: it does not count.
        idleWaiters.push({ after: passesStarted, resolve });
        wake?.();
      });
    },
  };
}
