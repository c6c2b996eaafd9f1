import { QueryCommand, type DocumentClient } from './document-client.js';
import type { DueJob } from './items.js';
import { tableDefinition } from './table-definition.js';

const { due } = tableDefinition;

/**
 * Pages of raw items due by `now` for one job (`DUE`, `PROMPT` or `FEEDBACK`), shard by shard, from the
 * sparse due index, so a job reads only its own due work. The shards' first pages are read
 * at once: most runs of the hourly sweep and held-mail job find nothing due, and four
 * queries one after another made each such run four round trips long. Later pages are read
 * as the caller asks for them, so at most one page a shard is held.
 */
export async function* dueItems(
  doc: DocumentClient,
  tableName: string,
  job: DueJob,
  now: Date,
  onPage: (count: number, readUnits: number) => void = () => undefined,
  pageSize = 100,
): AsyncIterable<Record<string, unknown>[]> {
  const page = (shard: number, start: Record<string, unknown> | undefined) =>
    doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: due.indexName,
        KeyConditionExpression: 'dueShard = :s AND dueAt <= :now',
        ExpressionAttributeValues: { ':s': `${job}#${shard}`, ':now': now.toISOString() },
        ExclusiveStartKey: start,
        Limit: pageSize,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  const firstPages = Array.from({ length: due.shards }, (_, shard) => page(shard, undefined));
  // Every first page is awaited, even after one fails, so no rejection goes unhandled.
  const settled = Promise.allSettled(firstPages);
  for (let shard = 0; shard < due.shards; shard++) {
    const first = (await settled)[shard]!;
    if (first.status === 'rejected') throw first.reason;
    let out = first.value;
    for (;;) {
      onPage(out.Count ?? 0, out.ConsumedCapacity?.CapacityUnits ?? 0);
      if (out.Items?.length) yield out.Items;
      if (!out.LastEvaluatedKey) break;
      out = await page(shard, out.LastEvaluatedKey);
    }
  }
}

/**
 * When the earliest item waiting for `job` falls due (or undefined: nothing waits), from the
 * first item of each shard. The local scheduler uses it to skip runs that would find
 * nothing (local/scheduler.ts); in AWS every run reads what is due.
 */
export async function earliestDue(doc: DocumentClient, tableName: string, job: DueJob): Promise<Date | undefined> {
  const firsts = await Promise.all(
    Array.from({ length: due.shards }, (_, shard) =>
      doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: due.indexName,
          KeyConditionExpression: 'dueShard = :s',
          ExpressionAttributeValues: { ':s': `${job}#${shard}` },
          ProjectionExpression: 'dueAt',
          Limit: 1,
        }),
      ),
    ),
  );
  const times = firsts.flatMap((out) => (out.Items ?? []).map((item) => Date.parse(String(item.dueAt))));
  return times.length ? new Date(Math.min(...times)) : undefined;
}
