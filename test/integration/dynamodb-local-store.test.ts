/**
 * DynamoDB Local's indexed store (local/dynamodb-local-store.ts): the index serves the
 * query that made DynamoDB Local slow as it aged, DynamoDB Local works on the store, and
 * stores are removed after their instance, or after a process that died with one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import { emulatorDir, localClientOptions, localDynamoClient, startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { addStreamIndexes, prepareIndexedStore, sqlite, storeFileName, storeRoot } from '../../local/dynamodb-local-store.js';
import { createStreamsClient } from '../../functions/adapters/dynamo/stream-records.js';
import { createTable } from '../../local/table.js';
import { testRunJvm } from '../setup/dynamodb-local.js';

describe("DynamoDB Local's indexed store", () => {
  it('refuses a store without the stream tables to index, saying what it found', async () => {
    const db = new (await sqlite()).Database();
    db.run('CREATE TABLE cf (version TEXT)');
    await expect(addStreamIndexes(db.export())).rejects.toThrow(/no stream tables \(us, ss\) to index; it has cf/);
  });

  it("answers DynamoDB Local's queries for a stream's and a shard's first record from the indexes, reads the stream on the test run's JVM options, and is removed when stopped", async () => {
    const dynamo = await startDynamoDbLocal({ storage: { kind: 'indexed' }, jvmOptions: testRunJvm });
    const client = localDynamoClient(dynamo.endpoint);
    const streams = createStreamsClient({ ...localClientOptions, endpoint: dynamo.endpoint });
    try {
      expect(dynamo.storeDir).toBeDefined();
      const jvmArgs = spawnSync('ps', ['-o', 'args=', '-p', String(dynamo.pid)]).stdout.toString();
      expect(jvmArgs).toContain('DynamoDBLocal.jar');
      for (const option of testRunJvm) expect(jvmArgs.split(' -jar ')[0]).toContain(option);
      const db = new (await sqlite()).Database(readFileSync(join(dynamo.storeDir!, storeFileName)));
      const plan = (sql: string) => db.exec(`EXPLAIN QUERY PLAN ${sql}`)[0]!.values.map((row) => String(row.at(-1))).join(' ');
      // DynamoDB Local's own queries: a stream's first record, on every write and every
      // stream call (its getStreamDescription), and a shard's, on every GetRecords.
      expect(plan("SELECT MIN(SequenceNumber) FROM us WHERE StreamID = 'x'")).toContain('INDEX nudges_us_by_stream');
      expect(plan("SELECT SequenceNumber, CreationDateTime FROM us WHERE ShardID = 'x' AND CreationDateTime >= 0 ORDER BY SequenceNumber ASC LIMIT 1")).toContain('INDEX nudges_us_by_shard');
      db.close();

      const { streamArn } = await createTable(client, 'store-test');
      for (const n of [1, 2, 3]) await client.send(new PutItemCommand({ TableName: 'store-test', Item: { pk: { S: `P#${n}` }, sk: { S: 'S' } } }));
      const shardId = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards?.[0]?.ShardId;
      const iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      const records = (await streams.send(new GetRecordsCommand({ ShardIterator: iterator }))).Records ?? [];
      expect(records.map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['P#1', 'P#2', 'P#3']);
    } finally {
      streams.destroy();
      client.destroy();
      await dynamo.stop();
    }
    expect(existsSync(dynamo.storeDir!)).toBe(false);
  });

  it('removes a store whose process has died, and leaves a living one', async () => {
    const root = storeRoot();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const orphan = join(root, `dynamodb-local-orphan-${process.pid}`);
    const living = join(root, `dynamodb-local-living-${process.pid}`);
    for (const [dir, owner] of [[orphan, dead], [living, process.ppid]] as const) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'owner.pid'), String(owner));
    }
    const store = await prepareIndexedStore(emulatorDir(), () => Promise.reject(new Error('the template is made by the run already')));
    try {
      expect(existsSync(orphan)).toBe(false);
      expect(existsSync(living)).toBe(true);
      expect(readFileSync(join(store.dir, 'owner.pid'), 'utf8')).toBe(String(process.pid));
    } finally {
      store.remove();
      rmSync(living, { recursive: true, force: true });
    }
    expect(existsSync(store.dir)).toBe(false);
  });
});
