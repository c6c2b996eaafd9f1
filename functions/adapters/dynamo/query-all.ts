import { QueryCommand, type DocumentClient, type QueryCommandInput } from './document-client.js';
import { strip } from './items.js';

/** Every item a query matches, page after page, without the table's bookkeeping attributes. */
export async function queryAll<T>(doc: DocumentClient, input: QueryCommandInput): Promise<T[]> {
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    for (const item of out.Items ?? []) items.push(strip<T>(item));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}
