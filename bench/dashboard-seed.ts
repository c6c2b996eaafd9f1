/**
 * A head-office programme of `links` links, seeded as test/integration/head-office.test.ts
 * seeds its dashboard test (which runs at 20 and 200 links: scale is measured here, not
 * there): the events and links written straight to the table, the figures counted from the
 * data by the metrics rebuild (without placing links in the lists), then one metrics change
 * on each day of the 52 weeks, so every scope the links are in has a year of daily items,
 * as a live table would.
 */
import type { DocumentClient } from '../functions/adapters/dynamo/document-client.js';
import { FixedClock } from '../functions/adapters/clock.js';
import { eventItem, linkItem } from '../functions/adapters/dynamo/items.js';
import type { Link, ParkrunEvent } from '../functions/core/model.js';
import { dayOf, scopesOf } from '../functions/core/policies/metric-deltas.js';
import { defaultNudgePolicy, nextCheck } from '../functions/core/policies/quiet-link-ladder.js';
import { rebuildMetrics } from '../functions/core/use-cases/head-office-metrics.js';
import { storeDeps } from '../functions/wiring.js';
import { DynamoTableScan } from '../local/table-scan.js';
import { batchWriteAll } from '../functions/adapters/dynamo/batch-write.js';

/** A Tuesday morning, as in the tests. */
export const dashboardNow = new Date('2026-11-24T10:00:00Z');
export const dashboardAnalyst = 'analyst@parkrun.example';
const day = 86_400_000;

const event = (overrides: Partial<ParkrunEvent>): ParkrunEvent => ({
  shortName: 'bushy',
  name: 'Bushy parkrun',
  country: 'England',
  region: 'London',
  timeZone: 'Europe/London',
  startTime: '09:00',
  weekday: 6,
  eventDirectors: [{ name: 'Sarah Okafor', email: 'sarah@parkrun.example' }],
  ...overrides,
});

/** The test's three events: links go to the first two; the third has none. */
export const dashboardEvents: ParkrunEvent[] = [
  event({}),
  event({ shortName: 'cardiff', name: 'Cardiff parkrun', country: 'Wales', region: 'Wales', eventDirectors: [{ name: 'Rhys Evans', email: 'rhys@parkrun.example' }] }),
  event({ shortName: 'lonely', name: 'Lonely parkrun', region: 'North East', eventDirectors: [] }),
];

/** As the test's links: a third each active (in touch 10 days ago), quiet (60) and at risk (150); one in ten in Wales. */
function benchLink(i: number): Link {
  const status = (['active', 'quiet', 'at-risk'] as const)[i % 3]!;
  const daysAgo = [10, 60, 150][i % 3]!;
  const link: Link = {
    practiceCode: `A${String(i).padStart(5, '0')}`,
    eventShortName: i % 10 === 9 ? 'cardiff' : 'bushy',
    status,
    createdAt: new Date(dashboardNow.getTime() - 200 * day).toISOString(),
    createdBy: 'demo-data',
    initialContact: 'practice',
    introducedAt: new Date(dashboardNow.getTime() - 200 * day).toISOString(),
    lastContactAt: new Date(dashboardNow.getTime() - daysAgo * day).toISOString(),
    lastContactBy: 'practice',
    ladder: { rung: 0 },
    rev: 0,
  };
  const due = nextCheck(link, link.ladder!, defaultNudgePolicy)?.toISOString();
  return { ...link, ...(due ? { dueAt: due } : {}) };
}

export async function seedDashboard(doc: DocumentClient, tableName: string, links: number): Promise<{ scopes: number; days: number }> {
  await batchWriteAll(doc, tableName, [...dashboardEvents.map(eventItem), ...Array.from({ length: links }, (_, i) => linkItem(benchLink(i)))], 8);
  const clock = new FixedClock(dashboardNow);
  const store = storeDeps(doc, tableName, 'b'.repeat(48), clock);
  // Counters from the data, as the rebuild computes them.
  const { scopes } = await rebuildMetrics({ ...store, scan: new DynamoTableScan(doc, tableName) }, { placeLinks: false });
  // Then activity on every day of the 52 weeks, in the scopes of the busiest event. One at
  // a time: every change touches the whole country's totals, so parallel ones only collide.
  const days = 364;
  for (let d = 0; d < days; d++) {
    await store.metrics.apply(`bench-seed-${d}`, dayOf(new Date(dashboardNow.getTime() - d * day)), scopesOf(dashboardEvents[0]!), { registrations: 1 });
  }
  return { scopes, days };
}
