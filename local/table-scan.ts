/**
 * The metrics rebuild's full read of some entities: a Scan, page by page, filtered by
 * entity type. It lives with the command line, the only place allowed to read the whole
 * table (an operator's command); no Lambda has it or the permission to Scan.
 */
import { ScanCommand, type DocumentClient } from '../functions/adapters/dynamo/document-client.js';
import { strip } from '../functions/adapters/dynamo/items.js';
import type { TableScan } from '../functions/core/ports.js';

/** The rebuild's full read of some entities: a Scan, page by page, filtered by entity type. */
export class DynamoTableScan implements TableScan {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
  ) {}

  async *entities(entityTypes: readonly string[]): AsyncIterable<Array<Record<string, unknown>>> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: `entityType IN (${entityTypes.map((_, i) => `:t${i}`).join(', ')})`,
          ExpressionAttributeValues: Object.fromEntries(entityTypes.map((t, i) => [`:t${i}`, t])),
          ExclusiveStartKey: start,
        }),
      );
      if (out.Items?.length) yield out.Items.map((item) => ({ ...strip<Record<string, unknown>>(item), entityType: item.entityType }));
      start = out.LastEvaluatedKey;
    } while (start);
  }
}
