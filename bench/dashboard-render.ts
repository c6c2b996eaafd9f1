/**
 * The measuring half of the dashboard benchmark, in its own process: the real API app over
 * the real adapters on the seeded table, signed in as an analyst through the real sign-in
 * route, and a document client that counts every item DynamoDB returns. For each scope it
 * loads the dashboard page `renders` times (after one warm-up) and times loadDashboard on
 * its own the same number of times. Prints one JSON line.
 */
import type { DocumentClient } from '../functions/adapters/dynamo/document-client.js';
import { createApp } from '../functions/api/app.js';
import { FixedClock } from '../functions/adapters/clock.js';
import type { Scope } from '../functions/core/policies/metric-deltas.js';
import { loadDashboard } from '../functions/core/use-cases/head-office-metrics.js';
import { apiDeps, storeDeps } from '../functions/wiring.js';
import { localDocumentClient } from '../local/dynamodb-local.js';
import { dashboardAnalyst, dashboardNow } from './dashboard-seed.js';

const [endpoint, tableName, rendersArg] = process.argv.slice(2);
const renders = Number(rendersArg ?? 15);

// Every item any read returns, counted where the adapters call DynamoDB.
const doc = localDocumentClient(endpoint!);
let itemsRead = 0;
const counting = Object.assign(Object.create(doc) as DocumentClient, {
  send: async (command: Parameters<DocumentClient['send']>[0]) => {
    const out = (await doc.send(command as never)) as { Items?: unknown[]; Item?: unknown; Responses?: Record<string, unknown[]> };
    itemsRead += out.Items?.length ?? (out.Item ? 1 : 0);
    if (out.Responses && !Array.isArray(out.Responses)) for (const items of Object.values(out.Responses)) itemsRead += items.length;
    return out;
  },
});

const clock = new FixedClock(dashboardNow);
const store = storeDeps(counting, tableName!, 'b'.repeat(48), clock);
const app = createApp(apiDeps(store, { addresses: [dashboardAnalyst] }));
const request = (path: string, init: { method?: string; cookie?: string } = {}) =>
  app.request(`http://localhost${path}`, {
    method: init.method ?? 'GET',
    ...(init.method === 'POST' ? { body: '' } : {}),
    headers: { 'sec-fetch-site': 'same-origin', ...(init.cookie ? { cookie: init.cookie } : {}), ...(init.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
  });

// Signed in as the sign-in link would: a sign-in token, spent through the real route.
const token = await store.tokens.issue(
  { purpose: 'head-office-sign-in', subject: dashboardAnalyst, recipient: dashboardAnalyst, role: 'head-office', expiresAt: new Date(dashboardNow.getTime() + 15 * 60_000) },
  dashboardNow,
);
const signedIn = await request(`/head-office/sign-in/${token}`, { method: 'POST' });
const cookie = /ho_session=[^;]+/.exec(signedIn.headers.get('set-cookie') ?? '')?.[0];
if (signedIn.status !== 303 || !cookie) throw new Error(`sign-in failed: ${signedIn.status}`);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const ms = (value: number) => Number(value.toFixed(1));

async function measure(scope: Scope, query: string) {
  const page = async () => {
    const before = itemsRead;
    const started = performance.now();
    const response = await request(`/head-office?scope=${encodeURIComponent(query)}`, { cookie });
    const html = await response.text();
    const elapsed = performance.now() - started;
    if (response.status !== 200 || !html.includes('<svg class="chart"')) throw new Error(`dashboard ${query} answered ${response.status}`);
    return { elapsed, items: itemsRead - before, bytes: Buffer.byteLength(html) };
  };
  await page(); // warm-up: first JSX render, first connection
  const pages = [];
  for (let i = 0; i < renders; i++) pages.push(await page());
  const loads: number[] = [];
  let dashboardItems = 0;
  let links = 0;
  for (let i = 0; i < renders; i++) {
    const before = itemsRead;
    const started = performance.now();
    const dashboard = await loadDashboard(store, scope);
    loads.push(performance.now() - started);
    dashboardItems = itemsRead - before;
    links = dashboard.figures.links;
    if (dashboard.itemsRead !== dashboardItems) throw new Error(`loadDashboard says ${dashboard.itemsRead} items, the client counted ${dashboardItems}`);
  }
  const items = new Set(pages.map((p) => p.items));
  if (items.size !== 1) throw new Error(`a page read ${[...items].join(' or ')} items`);
  return {
    linksInScope: links,
    itemsRead: pages[0]!.items,
    dashboardItemsRead: dashboardItems,
    renderMsMedian: ms(median(pages.map((p) => p.elapsed))),
    renderMsMax: ms(Math.max(...pages.map((p) => p.elapsed))),
    loadMsMedian: ms(median(loads)),
    pageKb: Number((pages[0]!.bytes / 1024).toFixed(1)),
  };
}

const all = await measure('ALL', 'ALL');
const region = await measure('REGION#London', 'region:London');
console.log(JSON.stringify({ renders, all, region, peakRssMb: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)) }));
