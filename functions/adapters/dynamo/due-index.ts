import { QueryCommand, type DocumentClient } from './document-client.js';
import type { DueJob } from './items.js';
import { tableDefinition } from './table-definition.js';

const { due } = tableDefinition;

/**
 * Pages of raw items due by `now` for one job (`DUE`, `PROMPT` or `FEEDBACK`), shard by shard, from the
 * sparse due index, so a job reads only its own due work and holds one page at a time.
 */
export async function* dueItems(
  doc: DocumentClient,
  tableName: string,
  job: DueJob,
  now: Date,
  onPage: (count: number, readUnits: number) => void = () => undefined,
  pageSize = 100,
): AsyncIterable<Record<string, unknown>[]> {
  for (let shard = 0; shard < due.shards; shard++) {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await doc.send(
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
      onPage(out.Count ?? 0, out.ConsumedCapacity?.CapacityUnits ?? 0);
      if (out.Items?.length) yield out.Items;
      start = out.LastEvaluatedKey;
    } while (start);
  }
}
