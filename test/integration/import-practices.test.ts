/**
 * The practices already in the scheme, brought in from head office's spreadsheet on
 * DynamoDB Local: the registration's rules row by row, links on the ladder from their last
 * contact with their first checks spread, nothing mailed unless asked, and with
 * --introduce, introductions spread over weeks within every limit.
 */
import { describe, expect, it } from 'vitest';
import { ScanCommand } from '../../functions/adapters/dynamo/document-client.js';
import { quietLinkSweepSchedule } from '../../functions/jobs/schedules.js';
import { isAllowed } from '../../functions/core/policies/quiet-hours.js';
import { localDateOf, weekdayOccurrences } from '../../functions/core/policies/event-dates.js';
import type { OutgoingEmail } from '../../functions/core/ports.js';
import { feed, feature, importDay, importWorld, practiceHeader, spreadsheet } from '../support/import-world.js';
import { registrationBody } from '../support/fixtures.js';
import { registerAndConfirm } from '../support/registrations.js';

const day = 86_400_000;
const events = feed([feature('bushy', { name: 'Bushy parkrun' }), feature('cardiff', { name: 'Cardiff parkrun' }), feature('colwick', { name: 'Colwick parkrun' }), feature('oldpark', { name: 'Old Park parkrun' })]);

async function world() {
  const w = await importWorld();
  await w.events(await w.file(JSON.stringify(events)), { regions: await w.file('eventname,region\nbushy,London\ncardiff,Wales\ncolwick,East Midlands\noldpark,London\n') });
  // Old Park has since gone from the feed.
  await w.events(await w.file(JSON.stringify(feed([feature('bushy', { name: 'Bushy parkrun' }), feature('cardiff', { name: 'Cardiff parkrun' }), feature('colwick', { name: 'Colwick parkrun' })]))));
  await w.cli(['teams', 'import', await w.file('event,name,email\nbushy,Sarah Okafor,sarah@parkrun.example\nbushy,Tom Whitley,tom@parkrun.example\ncardiff,Sarah Okafor,sarah@parkrun.example\n')]);
  const scan = async () => (await w.t.doc.send(new ScanCommand({ TableName: w.t.tableName }))).Items ?? [];
  return { ...w, scan };
}

const row = (code: string, events: string, more: { name?: string; email?: string; registeredOn?: string; lastContactOn?: string; postcode?: string; phone?: string } = {}) =>
  [code, more.name ?? `Practice ${code}`, more.postcode ?? 'TW11 0AA', `Champion ${code}`, 'GP', more.email ?? `${code.toLowerCase()}@nhs.example`, more.phone ?? '', events, more.registeredOn ?? '', more.lastContactOn ?? ''].join(',');

describe('practices import', () => {
  it('stores each practice with its links placed on the ladder, mails nobody, and changes nothing the second time', async () => {
    const w = await world();
    const file = await w.file(spreadsheet([practiceHeader, row('E84001', 'bushy', { registeredOn: '2019-03-12', lastContactOn: '2026-10-02', phone: '020 7946 0001' }), row('F84010', 'Cardiff parkrun;BUSHY', { registeredOn: '2020-01-20', name: '"Marsh Lane Surgery, Hackney"' }), row('80005', 'colwick')]));
    const { summary, refusals } = await w.practices(file);
    expect(refusals).toEqual([]);
    expect(summary).toEqual({ created: 3, updated: 0, unchanged: 0, refused: 0 });

    expect(await w.store.partnerships.getPractice('F84010')).toEqual({ code: 'F84010', name: 'Marsh Lane Surgery, Hackney', postcode: 'TW11 0AA', champion: { name: 'Champion F84010', role: 'GP', email: 'f84010@nhs.example' } });
    const active = (await w.store.partnerships.getLink('E84001', 'bushy'))!;
    expect(active).toMatchObject({ status: 'active', createdBy: 'import', createdAt: '2019-03-12T12:00:00.000Z', lastContactAt: '2026-10-02T12:00:00.000Z', ladder: { rung: 0 }, initialContact: 'practice' });
    // Quiet from 13 November (42 days on): its first check is at its day in the spread, from the import on.
    expect(Date.parse(active.dueAt!)).toBeGreaterThanOrEqual(importDay.getTime());
    expect(Date.parse(active.dueAt!)).toBeLessThan(importDay.getTime() + 28 * day);
    const introduced = (await w.store.partnerships.getLink('80005', 'colwick'))!;
    expect(introduced).toMatchObject({ status: 'introduced', createdAt: importDay.toISOString() });
    // Never in touch, registered today: checked when the ladder would, 42 days on.
    expect(introduced.dueAt).toBe(new Date(importDay.getTime() + 42 * day).toISOString());
    expect(await w.store.takeovers.getPromptState({ practiceCode: 'F84010', eventShortName: 'cardiff' })).toMatchObject({ planned: false });
    expect(await w.store.feedback.getAskState({ practiceCode: 'F84010', eventShortName: 'bushy' })).toMatchObject({ dueAt: expect.any(String) });
    expect(await w.store.partnerships.historyOf({ practiceCode: 'E84001', eventShortName: 'bushy' }, 5)).toMatchObject([{ type: 'import', by: 'head-office', lastContactOn: '2026-10-02' }]);
    expect(await w.store.audit.ofSubject('E84001.bushy', 5)).toMatchObject([{ action: 'import', actor: 'tester' }]);

    // Nothing is mailed: not on import, and not by a sweep that runs at once.
    expect(await w.sweep()).toMatchObject({ due: 0 });
    expect(w.transport.sent).toEqual([]);

    const before = await w.scan();
    expect((await w.practices(file)).summary).toEqual({ created: 0, updated: 0, unchanged: 3, refused: 0 });
    expect(await w.scan()).toEqual(before);
  });

  it('keeps a practice already on record as it is, adding only its missing links', async () => {
    const w = await world();
    // On record from a confirmed registration.
    await registerAndConfirm(w.deps, w.transport.sent, registrationBody({ practiceCode: 'A81001', events: ['bushy'] }));
    const file = await w.file(spreadsheet([practiceHeader, row('A81001', 'bushy;cardiff', { email: 'someone.else@nhs.example' })]));
    expect((await w.practices(file, { dryRun: true })).summary).toEqual({ created: 0, updated: 1, unchanged: 0, refused: 0 });
    expect(await w.store.partnerships.getLink('A81001', 'cardiff')).toBeUndefined();
    expect((await w.practices(file)).summary).toEqual({ created: 0, updated: 1, unchanged: 0, refused: 0 });
    expect((await w.store.partnerships.getPractice('A81001'))!.champion.email).toBe('jane.smith@nhs.example');
    expect(await w.store.partnerships.getLink('A81001', 'bushy')).toMatchObject({ status: 'registered', createdBy: 'registration' });
    expect(await w.store.partnerships.getLink('A81001', 'cardiff')).toMatchObject({ status: 'introduced', createdBy: 'import' });
  });

  it('spreads long-quiet practices’ first checks over the following weeks, so no sweep is handed them all at once', async () => {
    const w = await world();
    const lines = Array.from({ length: 90 }, (_, i) => row(`B${String(10000 + i)}`, ['bushy', 'cardiff', 'colwick'][i % 3]!, { lastContactOn: '2025-06-01', registeredOn: '2019-01-01' }));
    expect((await w.practices(await w.file(spreadsheet([practiceHeader, ...lines])))).summary).toMatchObject({ created: 90, refused: 0 });
    const due = (await w.scan()).filter((i) => i.entityType === 'Link').map((i) => Date.parse(String(i.dueAt)));
    expect(due).toHaveLength(90);
    // All quiet for over a year, yet none is due before the import, all within its four weeks.
    expect(Math.min(...due)).toBeGreaterThanOrEqual(importDay.getTime());
    expect(Math.max(...due)).toBeLessThan(importDay.getTime() + 28 * day);
    const perDay = new Map<number, number>();
    for (const d of due) perDay.set(Math.floor((d - importDay.getTime()) / day), (perDay.get(Math.floor((d - importDay.getTime()) / day)) ?? 0) + 1);
    // 90 over 28 days: about 3 a day, never a crowd (the times are a stable hash of each link, so this is the same every run).
    expect(perDay.size).toBeGreaterThanOrEqual(20);
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(10);
    // 90 practices through the real import and DynamoDB Local: about 10 s alone, over 30 s on a busy machine.
  });
});

describe('practices import with --introduce', () => {
  it('introduces both sides over the following weeks: one email per champion, each event team its practices in one digest, no director two in a week, all in their hours', async () => {
    const w = await world();
    const file = await w.file(
      spreadsheet([
        practiceHeader,
        row('E84001', 'bushy', { lastContactOn: '2026-10-02' }),
        row('E84002', 'bushy'),
        row('E84003', 'bushy;cardiff'),
        row('W97070', 'cardiff'),
        row('80005', 'colwick'),
        row('80006', 'colwick'),
      ]),
    );
    expect((await w.practices(file, { introduce: true })).summary).toEqual({ created: 6, updated: 0, unchanged: 0, refused: 0 });
    expect(w.transport.sent).toEqual([]);
    // A second run adds nothing, and so queues nothing more.
    expect((await w.practices(file, { introduce: true })).summary).toMatchObject({ unchanged: 6 });

    // Five weeks of the sweep, once each weekday morning (in AWS it runs every hour from 08:00 to 17:00; what is due waits for the next run).
    const sent: Array<{ at: Date; email: OutgoingEmail }> = [];
    for (const at of weekdayOccurrences(importDay, new Date(importDay.getTime() + 35 * day), [quietLinkSweepSchedule.hours[2]], quietLinkSweepSchedule.timeZone)) {
      w.clock.set(at);
      const before = w.transport.sent.length;
      expect((await w.sweep()).failed).toBe(0);
      for (const email of w.transport.sent.slice(before)) sent.push({ at, email });
    }
    const to = (address: string) => sent.filter((s) => s.email.to === address);

    // Each champion: one introduction, listing their events, with whom to talk to there.
    const introductionTo = (address: string) => to(address).filter((s) => s.email.subject.startsWith('Meet your parkrun team'));
    for (const code of ['e84001', 'e84002', 'e84003', 'w97070', '80005', '80006']) expect(introductionTo(`${code}@nhs.example`)).toHaveLength(1);
    const both = introductionTo('e84003@nhs.example')[0]!.email;
    expect(both.subject).toBe('Meet your parkrun team at Bushy parkrun and Cardiff parkrun');
    expect(both.text).toContain('sarah@parkrun.example');
    expect(introductionTo('80005@nhs.example')[0]!.email.text).toContain('colwick@parkrun.com');

    // Each event team: its practices in one digest. Tom directs Bushy only; Colwick has its team address.
    // (His second is the quiet link's, below.)
    const toms = to('tom@parkrun.example');
    expect(toms.map((s) => s.email.subject)).toEqual(['Bushy parkrun: 3 parkrun practices are linked with you', 'Bushy parkrun: 1 practice link could do with a hello']);
    for (const code of ['E84001', 'E84002', 'E84003']) expect(toms[0]!.email.text).toContain(`Practice ${code}`);
    expect(to('colwick@parkrun.com')).toHaveLength(1);
    expect(to('colwick@parkrun.com')[0]!.email.text).toMatch(/^Hello Colwick parkrun team,/);
    // Sarah directs two events: never two such emails within a week.
    const sarahs = to('sarah@parkrun.example');
    expect(sarahs.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < sarahs.length; i++) expect(sarahs[i]!.at.getTime() - sarahs[i - 1]!.at.getTime()).toBeGreaterThanOrEqual(7 * day);
    const sarahText = sarahs.map((s) => s.email.text).join('\n');
    for (const code of ['E84001', 'E84002', 'E84003', 'W97070']) expect(sarahText).toContain(`Practice ${code}`);

    // Spread over the weeks, every email inside its reader's hours.
    expect(new Set(sent.map((s) => localDateOf(s.at, 'Europe/London').day)).size).toBeGreaterThan(1);
    for (const s of sent) expect(isAllowed(s.email.to.endsWith('nhs.example') ? 'practice' : 'event-director', s.at, 'Europe/London')).toBe(true);
    // Nobody is nudged before being introduced: a link quiet since October is checked two weeks after its introduction at the earliest.
    const nudges = sent.filter((s) => s.email.to.endsWith('nhs.example') && !s.email.subject.startsWith('Meet your parkrun team'));
    expect(nudges.map((n) => n.email.to)).toEqual(['e84001@nhs.example']);
    expect(nudges[0]!.at.getTime() - introductionTo('e84001@nhs.example')[0]!.at.getTime()).toBeGreaterThanOrEqual(14 * day);
    // The nudge puts the link in the Bushy directors' next digest: Tom's, once his interval since the introductions is out.
    expect(toms[1]!.email.text).toContain('Practice E84001');
    expect(toms[1]!.at.getTime()).toBeGreaterThan(nudges[0]!.at.getTime());
  });
});

describe('practices import, bad input', () => {
  it('refuses each bad row with the very messages of a registration, storing nothing of it', async () => {
    const w = await world();
    const api = await w.request('/api/registrations', { json: registrationBody({ postcode: 'nowhere' }) });
    const apiMessage = ((await api.json()) as { fields: Record<string, string> }).fields.postcode;
    const file = await w.file(
      spreadsheet([
        practiceHeader,
        row('A81', 'bushy'),
        row('A81002', 'bushy', { postcode: 'nowhere' }),
        row('A81003', 'bushy', { email: 'not-an-address' }),
        row('A81004', 'bushy;cardiff;colwick;a;b;c'),
        row('A81005', 'bushy;bushi park'),
        row('A81006', 'oldpark'),
        row('A81007', 'bushy', { registeredOn: '12/03/2019' }),
        row('A81008', 'bushy', { lastContactOn: '2027-02-30' }),
        row('A81009', 'bushy', { lastContactOn: '2099-01-01' }),
        row('A81010', 'bushy'),
        row('a81010', 'cardiff'),
        row('A81011', 'bushy', { name: '"Two\r\nlines"' }),
        '',
        row('A81012', ''),
        row('A81013', 'bushy', { name: '"=IMPORTXML(A1,""x"")"' }),
        row('A81014', 'bushy', { name: 'Refund due - claim at https://evil.example/refund' }),
      ]),
    );
    const { summary, refusals } = await w.practices(file);
    expect(summary).toEqual({ created: 2, updated: 0, unchanged: 0, refused: 13 });
    expect(refusals.map((r) => `${r.where}: ${r.field}: ${r.reason}`)).toEqual([
      'line 2: practiceCode: Practice code must be an ODS code such as A81001 (or a five-digit Scottish practice code)',
      `line 3: postcode: ${apiMessage}`,
      'line 4: championEmail: Champion email must be a valid email address',
      'line 5: events: Choose at most 5 events',
      'line 6: events: Unknown parkrun event: bushi park (did you mean Bushy parkrun?)',
      'line 7: events: No longer a parkrun event: oldpark',
      'line 8: registeredOn: registeredOn must be a date written as YYYY-MM-DD, such as 2019-05-14 (not "12/03/2019")',
      'line 9: lastContactOn: lastContactOn must be a date written as YYYY-MM-DD, such as 2019-05-14 (not "2027-02-30")',
      'line 10: lastContactOn: lastContactOn is in the future (2099-01-01)',
      'line 12: practiceCode: A81010 is on line 11 already: one row per practice, with its events separated by ;',
      'line 13: practiceName: Practice name must be a single line of text',
      'line 16: events: Choose at least one parkrun event',
      'line 18: practiceName: Practice name must be plain text, without a web address',
    ]);
    // A row is all or nothing: A81005's Bushy link is not stored for want of its other event.
    expect(await w.store.partnerships.getPractice('A81005')).toBeUndefined();
    expect(await w.store.partnerships.getLink('A81005', 'bushy')).toBeUndefined();
    expect((await w.store.partnerships.getPractice('A81013'))!.name).toBe('=IMPORTXML(A1,"x")');
  });

  it('refuses a file without the columns it needs, or not a CSV, storing nothing (exit 2), and exits 1 when some rows were refused', async () => {
    const w = await world();
    const noEvents = await w.cli(['practices', 'import', await w.file('practiceCode,practiceName,postcode,championName,championRole,championEmail\nA81001,x,TW11 0AA,x,GP,x@nhs.example\n')]);
    expect(noEvents.code).toBe(2);
    expect(noEvents.lines[0]).toMatch(/missing column events/);
    expect(noEvents.summary).toEqual({ created: 0, updated: 0, unchanged: 0, refused: 0 });
    // The optional columns may be left out altogether.
    const minimal = await w.cli(['practices', 'import', await w.file('practiceCode,practiceName,postcode,championName,championRole,championEmail,events\nA81001,Riverside,TW11 0AA,Jane,GP,jane@nhs.example,bushy\nA81,x,x,x,x,x,x\n')]);
    expect(minimal.code).toBe(1);
    expect(minimal.refusals[0]).toMatch(/^line 3: practiceCode: /);
    expect(minimal.summary).toMatchObject({ created: 1, refused: 1 });
    expect((await w.cli(['practices', 'import', await w.file('x'), '--spread-weeks', '0'])).code).toBe(2);
    expect((await w.cli(['practices', 'import'])).code).toBe(2);
    expect((await w.cli(['practices', 'import', 'a.csv', '--force'])).lines[0]).toMatch(/Unknown option '--force'/);
  });
});
