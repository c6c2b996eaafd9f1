/** The rebuild's full read of some entities: a parallel Scan of DynamoDB Local, every matching item once. */
import { describe, expect, it } from 'vitest';
import { batchWriteAll } from '../../functions/adapters/dynamo/batch-write.js';
import { DynamoTableScan } from '../../local/table-scan.js';
import { createTestTable } from '../support/dynamo.js';

describe('table scan', () => {
  it.each([1, 3])('reads every item of the entities asked for exactly once, over several pages, with %i segment(s)', async (segments) => {
    const t = await createTestTable();
    // About 3 MB in all: more than one 1 MB page of Scan, in every segment.
    const padding = 'x'.repeat(20_000);
    const items = Array.from({ length: 150 }, (_, i) => ({
      pk: `THING#${i}`,
      sk: 'THING',
      entityType: ['Link', 'Takeover', 'Token'][i % 3]!,
      n: i,
      padding,
    }));
    await batchWriteAll(t.doc, t.tableName, items);

    const pages: number[] = [];
    const read: number[] = [];
    for await (const page of new DynamoTableScan(t.doc, t.tableName, segments).entities(['Link', 'Takeover'])) {
      pages.push(page.length);
      for (const item of page) {
        expect(['Link', 'Takeover']).toContain(item.entityType);
        read.push(Number(item.n));
      }
    }
    expect(read.sort((a, b) => a - b)).toEqual(items.filter((i) => i.entityType !== 'Token').map((i) => i.n));
    expect(pages.length).toBeGreaterThan(segments);
  });
});
