import { BatchWriteCommand, type DocumentClient } from './document-client.js';
import { forEachAtMost } from '../../core/concurrency.js';

/** BatchWriteItem takes at most 25 items a call. */
const perCall = 25;

/**
 * Puts every item, in calls of 25 (`inFlight` calls at once), putting again (with
 * backoff) what DynamoDB hands back unprocessed, as it does under throttling.
 */
export async function batchWriteAll(doc: DocumentClient, tableName: string, items: Record<string, unknown>[], inFlight = 1): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += perCall) batches.push(items.slice(i, i + perCall));
  await forEachAtMost(batches, inFlight, async (batch) => {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 8) throw new Error('DynamoDB kept returning unprocessed items');
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  });
}
