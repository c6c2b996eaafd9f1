/**
 * The metrics rebuild's full read of some entities: a Scan, page by page, filtered by
 * entity type. It lives with the command line, the only place allowed to read the whole
 * table (an operator's command); no Lambda has it or the permission to Scan.
 */
import { ScanCommand, type DocumentClient } from '../functions/adapters/dynamo/document-client.js';
import { strip } from '../functions/adapters/dynamo/items.js';
import type { TableScan } from '../functions/core/ports.js';

type Key = Record<string, unknown>;
type Page = { items: Array<Record<string, unknown>>; next?: Key };

/**
 * The rebuild's full read of some entities: a parallel Scan (`segments` at once, each
 * page by page), filtered by entity type. Pages come in whatever order the segments
 * answer. In parallel because one Scan of a large table is slow page after page, and in
 * DynamoDB Local each page costs more the further into the table it starts: a year's
 * simulated table took minutes to read in one segment and a tenth of that in eight.
 */
export class DynamoTableScan implements TableScan {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
    private readonly segments = 8,
  ) {}

  async *entities(entityTypes: readonly string[]): AsyncIterable<Array<Record<string, unknown>>> {
    const inFlight = new Map<number, Promise<{ segment: number; page: Page }>>();
    const read = (segment: number, start?: Key) => {
      const page = this.page(entityTypes, segment, start).then((p) => ({ segment, page: p }));
      // Awaited by the race below; a failure while another segment's page is being
      // yielded must not go unhandled in the meantime.
      page.catch(() => undefined);
      inFlight.set(segment, page);
    };
    for (let segment = 0; segment < this.segments; segment++) read(segment);
    while (inFlight.size > 0) {
      const { segment, page } = await Promise.race(inFlight.values());
      inFlight.delete(segment);
      if (page.next) read(segment, page.next);
      if (page.items.length > 0) yield page.items;
    }
  }

  private async page(entityTypes: readonly string[], segment: number, start?: Key): Promise<Page> {
    const out = await this.doc.send(
      new ScanCommand({
        TableName: this.tableName,
        ...(this.segments > 1 ? { Segment: segment, TotalSegments: this.segments } : {}),
        FilterExpression: `entityType IN (${entityTypes.map((_, i) => `:t${i}`).join(', ')})`,
        ExpressionAttributeValues: Object.fromEntries(entityTypes.map((t, i) => [`:t${i}`, t])),
        ExclusiveStartKey: start,
      }),
    );
    return {
      items: (out.Items ?? []).map((item) => ({ ...strip<Record<string, unknown>>(item), entityType: item.entityType })),
      ...(out.LastEvaluatedKey ? { next: out.LastEvaluatedKey } : {}),
    };
  }
}
