/**
 * Head office on DynamoDB Local: sign-in by a 15-minute single-use link to an
 * allow-listed address, the 8-hour session cookie and sign-out; figures counted from the
 * table's stream exactly once even when every record comes twice; a dashboard load that
 * reads the same number of items at 20 and at 200 links (the benchmark measures 1,000 and
 * 50,000: `npm run bench -- dashboard`); and the rebuild that finds and corrects drift.
 */
import { BatchWriteCommand, type DocumentClient } from '../../functions/adapters/dynamo/document-client.js';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.js';
import { MovableClock } from '../../functions/adapters/clock.js';
import { eventItem, linkItem } from '../../functions/adapters/dynamo/items.js';
import { headOfficeFilter, newFreshLinkRequestFilter } from '../../functions/adapters/dynamo/stream-filters.js';
import type { Link } from '../../functions/core/model.js';
import { loadDashboard, rebuildMetrics } from '../../functions/core/use-cases/head-office-metrics.js';
import { createFreshLinkWatcher } from '../../functions/watchers/fresh-link-watcher-handler.js';
import { createHeadOfficeWatcher } from '../../functions/watchers/head-office-watcher-handler.js';
import { apiDeps, mailDeps, storeDeps } from '../../functions/wiring.js';
import { createTestTable } from '../support/dynamo.js';
import { anEvent } from '../support/fixtures.js';
import { linksIn, pathOf } from '../support/magic-links.js';
import { FixedClock, mailSettings, RecordingTransport } from '../support/memory-ports.js';
import { readStream } from '../support/stream.js';
import { DynamoTableScan } from '../../local/table-scan.js';
import { aLink } from '../support/sweep-world.js';
import { analystOnly } from '../support/memory-ports.js';

const analyst = 'analyst@parkrun.example';
const now = new Date('2026-11-24T10:00:00Z');
const events = [
  anEvent(),
  anEvent({ shortName: 'cardiff', name: 'Cardiff parkrun', country: 'Wales', region: 'Wales', eventDirectors: [{ name: 'Rhys Evans', email: 'rhys@parkrun.example' }] }),
  anEvent({ shortName: 'lonely', name: 'Lonely parkrun', region: 'North East', eventDirectors: [] }),
];

async function put(doc: DocumentClient, tableName: string, items: Record<string, unknown>[]) {
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length) {
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
}

async function world(links: Link[] = []) {
  const t = await createTestTable();
  await put(t.doc, t.tableName, [...events.map(eventItem), ...links.map(linkItem)]);
  const clock = new MovableClock(new FixedClock(now));
  const store = storeDeps(t.doc, t.tableName, 'k'.repeat(48), clock);
  const transport = new RecordingTransport();
  const deps = mailDeps(store, { ...mailSettings }, transport);
  const app = createApp(apiDeps(store, { addresses: [analyst] }));
  const seen = new Set<string>();
  /** Feeds the metrics watcher what the stream holds that it has not seen, `times` times over. */
  const countStream = async (times = 1) => {
    const records = (await readStream(t.streams, t.streamArn, headOfficeFilter)).filter((r) => !seen.has(r.eventID!));
    for (let i = 0; i < times; i++) expect((await createHeadOfficeWatcher(store)({ Records: records as DynamoDBRecord[] }, {} as never)).batchItemFailures).toEqual([]);
    for (const r of records) seen.add(r.eventID!);
  };
  const request = (path: string, init: RequestInit & { cookie?: string } = {}) =>
    app.request(`http://localhost${path}`, {
      ...init,
      headers: { 'sec-fetch-site': 'same-origin', ...(init.cookie ? { cookie: init.cookie } : {}), ...(init.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    });
  /** Asks for a link, lets the watcher mail it, and returns it. */
  const signInLink = async (email = analyst) => {
    expect((await request('/head-office/sign-in', { method: 'POST', body: `email=${encodeURIComponent(email)}` })).status).toBe(200);
    const records = await readStream(t.streams, t.streamArn, newFreshLinkRequestFilter);
    await createFreshLinkWatcher({ ...deps, allowlist: analystOnly })({ Records: records as DynamoDBRecord[] }, {} as never);
    const mail = [...transport.sent].reverse().find((m) => m.to === email);
    return mail ? linksIn(mail)['Sign in to the head-office dashboard (works once, for 15 minutes)'] : undefined;
  };
  const signIn = async () => {
    const url = (await signInLink())!;
    const response = await request(pathOf(url), { method: 'POST', body: '' });
    expect(response.status).toBe(303);
    return /ho_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')![0];
  };
  return { t, clock, store, deps, app, transport, countStream, request, signInLink, signIn };
}

describe('head-office sign-in', () => {
  it('signs an allow-listed address in with a single-use link, for 8 hours, until sign-out', async () => {
    const w = await world();
    expect((await w.request('/head-office')).headers.get('location')).toBe('/head-office/sign-in');
    const url = await w.signInLink();
    expect(url).toMatch(/^https:\/\/nudges\.test\/head-office\/sign-in\//);
    // Opening the link (a mail scanner) changes nothing: the page has a button.
    const page = await w.request(pathOf(url!));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Sign in as a');
    const signedIn = await w.request(pathOf(url!), { method: 'POST', body: '' });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/head-office');
    const setCookie = signedIn.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^ho_session=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}; Max-Age=28800; Path=\/head-office; HttpOnly; Secure; SameSite=Strict$/);
    const cookie = /ho_session=[^;]+/.exec(setCookie)![0];
    expect((await w.request('/head-office', { cookie })).status).toBe(200);

    // Once only.
    expect((await w.request(pathOf(url!), { method: 'POST', body: '' })).status).toBe(410);
    // A forged or altered cookie is nobody.
    expect((await w.request('/head-office', { cookie: `${cookie.slice(0, -2)}xx` })).status).toBe(303);
    expect((await w.request('/head-office/series.csv', { cookie: 'ho_session=nonsense' })).status).toBe(401);

    // Eight hours on, the session has ended.
    w.clock.advance(8 * 3_600_000 + 1000);
    expect((await w.request('/head-office', { cookie })).status).toBe(303);
  });

  it('ends the session at sign-out, refuses data without one, and lets no other link in', async () => {
    const w = await world();
    const cookie = await w.signIn();
    const out = await w.request('/head-office/sign-out', { method: 'POST', body: '', cookie });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^ho_session=; Max-Age=0; Path=\/head-office/);
    expect((await w.request('/head-office', { cookie })).status).toBe(303);
    const csv = await w.request('/head-office/series.csv', { cookie });
    expect(csv.status).toBe(401);
    expect(await csv.json()).toEqual({ error: 'unauthorised', message: 'Sign in to the head-office dashboard first.' });

    // An address not on the list gets the same answer, and no email.
    expect(await w.signInLink('champion@nhs.example')).toBeUndefined();
    // A champion's answer token is not a sign-in token.
    const grant = { purpose: 'in-touch' as const, subject: 'A81001.bushy', recipient: analyst, role: 'champion' as const, expiresAt: new Date(now.getTime() + 86_400_000) };
    const answerToken = await w.store.tokens.issue(grant, now);
    expect((await w.request(`/head-office/sign-in/${answerToken}`, { method: 'POST', body: '' })).status).toBe(404);
  });

  it('lets a sign-in link work for 15 minutes only', async () => {
    const w = await world();
    const url = await w.signInLink();
    w.clock.advance(15 * 60_000 + 1000);
    const late = await w.request(pathOf(url!), { method: 'POST', body: '' });
    expect(late.status).toBe(410);
    expect(await late.text()).toContain('Sign-in links work for 15 minutes.');
  });
});

describe('head-office figures', () => {
  const links = (n: number, event = 'bushy'): Link[] =>
    Array.from({ length: n }, (_, i) => aLink(`A${String(i).padStart(5, '0')}`, event, now, i % 3 === 0 ? 10 : i % 3 === 1 ? 60 : 150, { status: (['active', 'quiet', 'at-risk'] as const)[i % 3] }));

  it('counts each change once when every stream record arrives twice, and filters by region', async () => {
    const w = await world([...links(6), ...links(2, 'cardiff').map((l) => ({ ...l, practiceCode: `W${l.practiceCode.slice(1)}` }))]);
    await w.countStream(2);
    const all = await loadDashboard(w.store, 'ALL');
    expect(all.figures).toMatchObject({ links: 8, events: 3, eventsWithoutLinks: 1 });
    expect(all.figures.byStatus).toMatchObject({ active: 3, quiet: 3, 'at-risk': 2 });
    // Contact within 90 days: the links last in touch 10 and 60 days ago.
    expect(all.figures.contactShare90).toBeCloseTo(6 / 8, 5);
    expect(all.regions).toEqual(['London', 'North East', 'Wales']);
    const wales = await loadDashboard(w.store, 'REGION#Wales');
    expect(wales.figures).toMatchObject({ links: 2, events: 1, eventsWithoutLinks: 0 });
    expect(wales.events).toEqual(['cardiff']);

    // A link answers after its first nudge: counted once, however often the record comes.
    const link = (await w.store.partnerships.getLink('A00001', 'bushy'))!;
    await w.store.ladder.stepLink(link, { ladder: { rung: 1, rungAt: new Date(now.getTime() - 3 * 86_400_000).toISOString() }, dueAt: undefined });
    const nudged = (await w.store.partnerships.getLink('A00001', 'bushy'))!;
    const token = await w.store.tokens.issue({ purpose: 'in-touch', subject: 'A00001.bushy', recipient: 'x@nhs.example', role: 'champion', expiresAt: new Date(now.getTime() + 86_400_000) }, now);
    const lookup = (await w.store.tokens.lookup(token, now))!;
    await w.store.partnerships.recordContact(nudged, { at: now, by: 'practice', how: 'phone', moveLastContact: true, recordedAt: now }, { ref: lookup.ref, purpose: 'in-touch', now }, new Date(now.getTime() + 42 * 86_400_000));
    await w.countStream(2);
    const after = (await loadDashboard(w.store, 'ALL')).figures;
    expect(after.nudges.first).toBe(1);
    expect(after.answered).toMatchObject({ first: 1, share: 1, medianDays: '3 days or fewer' });
    expect(after.answers).toEqual({ phone: 1 });
    expect(after.byStatus).toMatchObject({ active: 4, quiet: 2 });
  });

  it('shows the dashboard, a filter and the weekly series as CSV', async () => {
    const w = await world(links(5));
    await w.countStream();
    const cookie = await w.signIn();
    const page = await w.request('/head-office?scope=region:London', { cookie });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Practice links across London');
    expect(html).toContain('<svg class="chart"');
    const lonely = await (await w.request('/head-office/events?list=without-links&scope=ALL', { cookie })).text();
    expect(lonely).toContain('<a href="/head-office/events/lonely">Lonely parkrun</a>');
    expect(lonely).not.toContain('<td>Bushy parkrun</td>');
    expect((await w.request('/head-office?scope=region:Atlantis', { cookie })).status).toBe(400);
    expect((await w.request('/head-office?scope=galaxy:far', { cookie })).status).toBe(400);
    const csv = await w.request('/head-office/series.csv?scope=ALL', { cookie });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('week_starting,registrations,nudges_sent,answers,contacts_recorded,feedback_answers,links_active,links_quiet,links_at_risk,contact_share_90d');
    expect(lines).toHaveLength(54); // header, 52 weeks, and the final line end
    expect(lines[52]).toMatch(/^2026-11-23,0,0,0,5,0,2,2,1,0\.8$/);
  });

  // The property, not the scale: the same table grown tenfold, from 20 links to 200, reads
  // the same items. A dashboard reads metric items only, never links, so ten times the links
  // shows it as surely as ten thousand; `npm run bench -- dashboard` measures it at 1,000
  // and 50,000 links, with render times (docs/benchmarks.md).
  it('reads the same number of items for a dashboard at 20 and at 200 links', { timeout: 120_000 }, async () => {
    const w = await world(links(20));
    const rebuild = () => rebuildMetrics({ ...w.store, scan: new DynamoTableScan(w.t.doc, w.t.tableName), clock: w.clock }, { placeLinks: false });
    // Counters from the data, as the rebuild computes them; then activity on every day of the
    // 52 weeks, so the dashboard has a full year of daily items to read (seeded once, for both sizes).
    await rebuild();
    const { dayOf } = await import('../../functions/core/policies/metric-deltas.js');
    // In batches, as the head-office watcher applies them: one write per day would take most of a minute on a busy machine.
    await w.store.metrics.applyAll(
      Array.from({ length: 364 }, (_, day) => ({ id: `seed-${day}`, day: dayOf(new Date(now.getTime() - day * 86_400_000)), scopes: ['ALL', 'COUNTRY#England', 'REGION#London', 'EVENT#bushy'], deltas: { registrations: 1 } })),
    );
    let read = 0;
    const doc = w.t.doc;
    const counting = Object.assign(Object.create(doc) as DocumentClient, {
      send: async (command: Parameters<DocumentClient['send']>[0]) => {
        const out = (await doc.send(command as never)) as { Items?: unknown[]; Item?: unknown };
        read += out.Items?.length ?? (out.Item ? 1 : 0);
        return out;
      },
    });
    const counted = storeDeps(counting, w.t.tableName, 'k'.repeat(48), w.clock);
    const itemsRead = async (n: number) => {
      read = 0;
      const all = await loadDashboard(counted, 'ALL');
      const region = await loadDashboard(counted, 'REGION#London');
      expect(all.figures.links).toBe(n);
      return { read, all: all.itemsRead, region: region.itemsRead };
    };
    const small = await itemsRead(20);
    // Ten times the links: the other 180 written, and the counters rebuilt from the data.
    await put(w.t.doc, w.t.tableName, links(200).slice(20).map(linkItem));
    await rebuild();
    const large = await itemsRead(200);
    expect(large).toEqual(small);
    // The scope's totals and one item per day of the 52 weeks: 1 + 7 × 52 at most, whatever the number of links.
    expect(small.all).toBeLessThanOrEqual(1 + 7 * 52);
    // More than the totals alone: the year of days was read, so the bound above means something.
    expect(small.all).toBeGreaterThan(52);
    expect(small.read).toBe(small.all + small.region);
  });

  it('rebuilds the figures from the data, reporting drift, and finds none the second time', async () => {
    const w = await world(links(9));
    await w.countStream();
    // Something went wrong once: two links counted twice as at risk.
    await w.store.metrics.apply('bad-change', '2026-11-23', ['ALL', 'COUNTRY#England', 'REGION#London', 'EVENT#bushy'], { 'status_at-risk': 2, links: 2 });
    const first = await rebuildMetrics({ ...w.store, scan: new DynamoTableScan(w.t.doc, w.t.tableName), clock: w.clock });
    expect(first.drift).toEqual(
      ['ALL', 'COUNTRY#England', 'EVENT#bushy', 'REGION#London'].flatMap((scope) => [
        { scope, counter: 'links', stored: 11, recomputed: 9 },
        { scope, counter: 'status_at-risk', stored: 5, recomputed: 3 },
      ]).sort((a, b) => a.scope.localeCompare(b.scope) || a.counter.localeCompare(b.counter)),
    );
    expect((await loadDashboard(w.store, 'ALL')).figures.byStatus['at-risk']).toBe(3);
    expect((await rebuildMetrics({ ...w.store, scan: new DynamoTableScan(w.t.doc, w.t.tableName), clock: w.clock })).drift).toEqual([]);
  });
});

describe('head-office lists, a link’s story, and actions', () => {
  const practice = (code: string, name: string) => ({ code, name, postcode: 'TW11 0AA', champion: { name: `Champion ${code}`, role: 'GP', email: `${code.toLowerCase()}@nhs.example` } });

  async function listWorld() {
    const links = [
      aLink('A00001', 'bushy', now, 150, { status: 'at-risk', ladder: { rung: 3 } }),
      aLink('A00002', 'bushy', now, 10),
      aLink('W00003', 'cardiff', now, 150, { status: 'at-risk', ladder: { rung: 3 } }),
    ];
    const w = await world(links);
    const { practiceItem } = await import('../../functions/adapters/dynamo/items.js');
    await put(w.t.doc, w.t.tableName, [
      practiceItem(practice('A00001', 'Smith, "Jones" & Co'), now.toISOString()),
      practiceItem(practice('A00002', 'Riverside Surgery'), now.toISOString()),
      practiceItem(practice('W00003', '=HYPERLINK("http://evil.example")'), now.toISOString()),
    ]);
    await w.countStream();
    // The watcher placed each link in the by-status lists: their own records come round again.
    await w.countStream();
    const cookie = await w.signIn();
    return { ...w, cookie };
  }

  it('lists the links at risk in a place, and exports them as CSV a spreadsheet reads safely', async () => {
    const w = await listWorld();
    const london = await w.request('/head-office/links?status=at-risk&scope=region:London', { cookie: w.cookie });
    expect(london.status).toBe(200);
    const html = await london.text();
    expect(html).toContain('Smith, &quot;Jones&quot; &amp; Co');
    expect(html).not.toContain('HYPERLINK');
    const all = await (await w.request('/head-office/links?status=at-risk&scope=ALL', { cookie: w.cookie })).text();
    expect(all).toContain('HYPERLINK');
    const csv = await (await w.request('/head-office/links.csv?status=at-risk&scope=ALL', { cookie: w.cookie })).text();
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('link,practice,practice_code,event,region,country,status,last_contact,champion,champion_role,champion_email,event_directors');
    expect(lines).toContain(`A00001.bushy,"Smith, ""Jones"" & Co",A00001,Bushy parkrun,London,England,at-risk,${new Date(now.getTime() - 150 * 86_400_000).toISOString().slice(0, 10)},Champion A00001,GP,a00001@nhs.example,Sarah Okafor <sarah@parkrun.example>; Tom Whitley <tom@parkrun.example>`);
    expect(lines.find((l) => l.startsWith('W00003.cardiff'))).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect((await w.request('/head-office/links?status=sleeping&scope=ALL', { cookie: w.cookie })).status).toBe(400);
    expect((await w.request('/head-office/links?status=at-risk&scope=ALL&after=bm90LWEta2V5', { cookie: w.cookie })).status).toBe(400);
    expect((await w.request('/head-office/links.csv?status=at-risk&scope=ALL')).status).toBe(401);
  });

  it('shows a link’s story with its audit log, logs a contact, and has the introduction sent again', async () => {
    const w = await listWorld();
    // The champion answers "we're in touch" from an email: the use of the link is audited.
    const token = await w.store.tokens.issue({ purpose: 'in-touch', subject: 'A00001.bushy', recipient: 'a00001@nhs.example', role: 'champion', expiresAt: new Date(now.getTime() + 86_400_000) }, now);
    expect((await w.request(`/links/A00001.bushy/in-touch/${token}`, { method: 'POST', body: 'how=phone' })).status).toBe(200);
    await w.countStream(2);
    const page = await (await w.request('/head-office/links/A00001.bushy', { cookie: w.cookie })).text();
    expect(page).toContain('a00001@nhs.example (champion)');
    expect(page).toContain('Tell us you&#39;re in touch');
    expect(page).toContain('Contact: By phone');
    expect((await w.store.audit.ofSubject('A00001.bushy', 10)).length).toBe(1);

    // Head office logs a contact it heard of: on the link, in its history, in the audit log;
    // the same form sent twice (a double click) logs it once.
    const requestIds = async (id: string) => [...(await (await w.request(`/head-office/links/${id}`, { cookie: w.cookie })).text()).matchAll(/name="requestId" value="([^"]+)"/g)].map((m) => m[1]!);
    const [contactForm] = await requestIds('A00002.bushy');
    const body = `contactedOn=2026-11-23&how=in-person&requestId=${contactForm}`;
    const logged = await w.request('/head-office/links/A00002.bushy/contact', { method: 'POST', body, cookie: w.cookie });
    expect(logged.status).toBe(200);
    expect((await w.request('/head-office/links/A00002.bushy/contact', { method: 'POST', body, cookie: w.cookie })).status).toBe(200);
    expect(await w.store.partnerships.getLink('A00002', 'bushy')).toMatchObject({ lastContactAt: '2026-11-23T12:00:00.000Z', lastContactBy: 'head-office', lastContactHow: 'in-person' });
    expect(await w.store.audit.ofSubject('A00002.bushy', 10)).toEqual([expect.objectContaining({ actor: analyst, role: 'head-office', action: 'head-office-contact' })]);
    const future = await w.request('/head-office/links/A00002.bushy/contact', { method: 'POST', body: `contactedOn=2030-01-01&requestId=${(await requestIds('A00002.bushy'))[0]}`, cookie: w.cookie });
    expect(future.status).toBe(400);
    expect(await future.text()).toContain('The date cannot be in the future');

    // And has the introduction sent again, to both sides, as things stand.
    const introForm = (await requestIds('A00001.bushy'))[1];
    for (let i = 0; i < 2; i++) expect((await w.request('/head-office/links/A00001.bushy/introduction', { method: 'POST', body: `requestId=${introForm}`, cookie: w.cookie })).status).toBe(200);
    expect((await w.request('/head-office/links/A00001.bushy/introduction', { method: 'POST', body: 'requestId=forged', cookie: w.cookie })).status).toBe(400);
    const records = await readStream(w.t.streams, w.t.streamArn, newFreshLinkRequestFilter);
    await createFreshLinkWatcher({ ...w.deps, allowlist: analystOnly })({ Records: records as DynamoDBRecord[] }, {} as never);
    const again = w.transport.sent.filter((m) => m.text.includes('asked us to introduce'));
    expect(again.map((m) => m.to).sort()).toEqual(['a00001@nhs.example', 'sarah@parkrun.example', 'tom@parkrun.example']);
    const csv = await (await w.request('/head-office/links/A00001.bushy/audit.csv', { cookie: w.cookie })).text();
    expect(csv).toContain(`,${analyst},head-office,Head office had the introduction sent again,head-office-introduction`);
    expect((await w.request('/head-office/links/NOPE.bushy', { cookie: w.cookie })).status).toBe(404);
  });
});
