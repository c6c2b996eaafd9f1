/**
 * `npm run bench -- dynamodb-local-aging [--tables N] [--items I]`: how DynamoDB Local slows
 * as it ages, in its own memory store and in the indexed store the project starts it with
 * (local/dynamodb-local-store.ts). For each: a fresh instance's JVM CPU time and wall time
 * for one workload on a table with a stream (writes, then DescribeStream and GetRecords, as
 * the local stream poller reads), then the same workload on a new table after N other tables
 * of I items each (default 25 of 400) have been written and dropped, and the ratio.
 */
import { readFileSync } from 'node:fs';
import { BatchWriteItemCommand, DeleteTableCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { createStreamsClient } from '../functions/adapters/dynamo/stream-records.js';
import { localClientOptions, localDynamoClient, startDynamoDbLocal, type LocalStorage } from '../local/dynamodb-local.js';
import { createTable } from '../local/table.js';

/** The JVM's CPU seconds so far (user and system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const body = 'x'.repeat(300);

/** 200 writes, then 100 DescribeStream and 100 GetRecords on the table's stream. */
async function workload(client: DynamoDBClient, endpoint: string, tableName: string, streamArn: string) {
  const streams = createStreamsClient({ ...localClientOptions, endpoint });
  try {
    for (let i = 0; i < 200; i++) await client.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: `P#${i}` }, sk: { S: 'S' }, body: { S: body } } }));
    let shardId: string | undefined;
    for (let i = 0; i < 100; i++) shardId = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards?.[0]?.ShardId;
    let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    for (let i = 0; i < 100 && iterator; i++) iterator = (await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10 }))).NextShardIterator;
  } finally {
    streams.destroy();
  }
}

async function measure(storage: LocalStorage, tables: number, items: number) {
  const dynamo = await startDynamoDbLocal({ storage });
  const client = localDynamoClient(dynamo.endpoint);
  try {
    const timed = async (tableName: string) => {
      const { streamArn } = await createTable(client, tableName);
      const cpu = cpuSeconds(dynamo.pid!);
      const started = performance.now();
      await workload(client, dynamo.endpoint, tableName, streamArn);
      return { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSeconds(dynamo.pid!) - cpu };
    };
    // Twice when fresh: the first pays for the JVM's warming up.
    await timed('bench-warm-up');
    const fresh = await timed('bench-fresh');
    for (let t = 0; t < tables; t++) {
      const tableName = `bench-filler-${t}`;
      await createTable(client, tableName);
      for (let i = 0; i < items; i += 25) {
        const batch = Array.from({ length: Math.min(25, items - i) }, (_, j) => ({ PutRequest: { Item: { pk: { S: `P#${i + j}` }, sk: { S: 'S' }, body: { S: body } } } }));
        await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: batch } }));
      }
      await client.send(new DeleteTableCommand({ TableName: tableName }));
    }
    const aged = await timed('bench-aged');
    const round = (n: number) => Number(n.toFixed(2));
    return {
      fresh: { seconds: round(fresh.seconds), cpuSeconds: round(fresh.cpuSeconds) },
      aged: { seconds: round(aged.seconds), cpuSeconds: round(aged.cpuSeconds) },
      agedToFreshCpu: round(aged.cpuSeconds / fresh.cpuSeconds),
    };
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}

export async function dynamoDbLocalAging(tables: number, items: number) {
  const memory = await measure({ kind: 'memory' }, tables, items);
  const indexed = await measure({ kind: 'indexed' }, tables, items);
  return {
    name: 'dynamodb-local-aging',
    tables,
    itemsPerTable: items,
    memory,
    indexed,
    agedCpuMemoryToIndexed: Number((memory.aged.cpuSeconds / indexed.aged.cpuSeconds).toFixed(2)),
  };
}
