import { BatchGetCommand, type DocumentClient } from './document-client.js';

/** BatchGetItem takes at most 100 keys a call. */
const perCall = 100;

/**
 * Every item of `keys` that exists, in calls of 100, asking again (with backoff) for keys
 * DynamoDB hands back unprocessed, as it does under throttling.
 */
export async function batchGetAll(doc: DocumentClient, tableName: string, keys: Record<string, unknown>[], options: { consistent?: boolean } = {}): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += perCall) {
    let pending = keys.slice(i, i + perCall);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error('DynamoDB kept returning unprocessed keys');
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      const out = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ...(options.consistent ? { ConsistentRead: true } : {}) } } }));
      items.push(...(out.Responses?.[tableName] ?? []));
      pending = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return items;
}
