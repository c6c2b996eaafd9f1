/**
 * Seeds a table with `links` links (one practice each) spread over 700 events, of which
 * a `due` fraction has been quiet long enough to be due for a first nudge now.
 */
import type { DocumentClient } from '../functions/adapters/dynamo/document-client.js';
import { eventItem, linkItem, practiceItem } from '../functions/adapters/dynamo/items.js';
import type { Link } from '../functions/core/model.js';
import { defaultNudgePolicy, nextCheck } from '../functions/core/policies/quiet-link-ladder.js';
import { batchWriteAll } from '../functions/adapters/dynamo/batch-write.js';

export const benchNow = new Date('2026-11-24T10:00:00Z');
const day = 86_400_000;
const events = 700;

export async function seedQuietLinks(doc: DocumentClient, tableName: string, links: number, dueShare: number): Promise<{ due: number }> {
  const dueEvery = Math.max(1, Math.round(1 / dueShare));
  const items: Record<string, unknown>[] = [];
  for (let e = 0; e < events; e++) {
    items.push(
      eventItem({
        shortName: `event-${e}`,
        name: `Event ${e} parkrun`,
        country: 'England',
        region: 'London',
        timeZone: 'Europe/London',
        startTime: '09:00',
        weekday: 6,
        eventDirectors: [{ name: `Director ${e}`, email: `director${e}@parkrun.example` }],
      }),
    );
  }
  let due = 0;
  for (let i = 0; i < links; i++) {
    const code = `B${String(i).padStart(5, '0')}`.slice(-6);
    const isDue = i % dueEvery === 0;
    if (isDue) due++;
    items.push(practiceItem({ code, name: `Practice ${i}`, postcode: 'TW11 0AA', champion: { name: `Champion ${i}`, role: 'GP', email: `champion${i}@nhs.example` } }, benchNow.toISOString()));
    const link: Link = {
      practiceCode: code,
      eventShortName: `event-${i % events}`,
      status: 'active',
      createdAt: new Date(benchNow.getTime() - 300 * day).toISOString(),
      createdBy: 'demo-data',
      initialContact: 'practice',
      lastContactAt: new Date(benchNow.getTime() - (isDue ? 50 : 5 + (i % 30)) * day).toISOString(),
      lastContactBy: 'practice',
      ladder: { rung: 0 },
      rev: 0,
    };
    items.push(linkItem({ ...link, dueAt: nextCheck(link, { rung: 0 }, defaultNudgePolicy)!.toISOString() }));
  }
  await batchWriteAll(doc, tableName, items, 8);
  return { due };
}
