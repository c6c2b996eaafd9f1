import { releaseHeldMail } from '../../functions/core/use-cases/held-mail.js';
/**
 * Who runs each event: the teams import and head office's own edits, on DynamoDB Local.
 * A director taken off an event hears no more of it and their links stop working; an
 * event with nobody named is introduced at its team address.
 */
import { describe, expect, it } from 'vitest';
import { ScanCommand } from '../../functions/adapters/dynamo/document-client.js';
import { feed, feature, importWorld, registrationWatching, spreadsheet } from '../support/import-world.js';
import { registrationBody } from '../support/fixtures.js';
import { linksIn, pathOf } from '../support/magic-links.js';
import { confirmationIn, isConfirmationRequest } from '../support/registrations.js';
import { rebuildMetrics } from '../../functions/core/use-cases/head-office-metrics.js';
import { DynamoTableScan } from '../../local/table-scan.js';

const events = feed([feature('bushy', { name: 'Bushy parkrun' }), feature('cardiff', { name: 'Cardiff parkrun' }), feature('colwick', { name: 'Colwick parkrun' })]);
const sarah = 'bushy,Sarah Okafor,sarah@parkrun.example';
const tom = 'bushy,Tom Whitley,tom@parkrun.example';

async function world() {
  const w = await importWorld();
  await w.events(await w.file(JSON.stringify(events)), { regions: await w.file('eventname,region\nbushy,London\ncardiff,Wales\ncolwick,East Midlands\n') });
  const confirmed = new Set<string>();
  const watch = registrationWatching(w);
  /** Registers through the API, the champion confirms from their email, and the registration watcher introduces, as in AWS. */
  const register = async (body: Record<string, unknown>) => {
    const response = await w.request('/api/registrations', { json: registrationBody(body) });
    await watch();
    for (const request of w.transport.sent.filter(isConfirmationRequest)) {
      const { registrationId, token } = confirmationIn(request);
      if (confirmed.has(registrationId)) continue;
      confirmed.add(registrationId);
      expect((await w.request(`/registrations/${registrationId}/confirm/${token}`, { form: {} })).status).toBe(200);
    }
    await watch();
    return response;
  };
  const mailTo = (address: string) => w.transport.sent.filter((m) => m.to === address);
  return { ...w, register, mailTo };
}

describe('teams import', () => {
  it("replaces the directors of each event it lists, keeps the others' as they are, audits each change, and changes nothing the second time", async () => {
    const w = await world();
    await w.store.registry.replaceTeam('colwick', [{ name: 'Helen Foster', email: 'helen@parkrun.example' }], [], { at: w.clock.now().toISOString(), actor: 'tester', action: 'team-add', id: 'seed' });
    const file = await w.file(spreadsheet(['event,name,email,phone', sarah + ',07700 900123', tom + ',', 'Cardiff parkrun,"Evans, Rhys",RHYS@parkrun.example,']));
    const first = await w.cli(['teams', 'import', file]);
    expect(first).toMatchObject({ code: 0, refusals: [], summary: { created: 2, updated: 0, unchanged: 0, refused: 0 } });
    const stored = await w.store.events.getEvents(['bushy', 'cardiff', 'colwick']);
    expect(stored.get('bushy')!.eventDirectors).toEqual([
      { name: 'Sarah Okafor', email: 'sarah@parkrun.example' },
      { name: 'Tom Whitley', email: 'tom@parkrun.example' },
    ]);
    expect(stored.get('cardiff')!.eventDirectors).toEqual([{ name: 'Evans, Rhys', email: 'rhys@parkrun.example' }]);
    expect(stored.get('colwick')!.eventDirectors).toEqual([{ name: 'Helen Foster', email: 'helen@parkrun.example' }]);
    expect(await w.store.audit.ofSubject('event:bushy', 10)).toMatchObject([{ action: 'team-import', detail: 'added Sarah Okafor <sarah@parkrun.example>, Tom Whitley <tom@parkrun.example>' }]);

    const before = await w.t.doc.send(new ScanCommand({ TableName: w.t.tableName }));
    expect((await w.cli(['teams', 'import', file])).summary).toEqual({ created: 0, updated: 0, unchanged: 2, refused: 0 });
    expect((await w.t.doc.send(new ScanCommand({ TableName: w.t.tableName }))).Items).toEqual(before.Items);

    const renamed = await w.file(spreadsheet(['event,name,email', sarah, 'bushy,Tom Whitley-Jones,tom@parkrun.example']));
    expect((await w.cli(['teams', 'import', renamed, '--dry-run'])).summary).toEqual({ created: 0, updated: 1, unchanged: 0, refused: 0 });
    expect((await w.cli(['teams', 'import', renamed])).summary).toEqual({ created: 0, updated: 1, unchanged: 0, refused: 0 });
    expect((await w.store.audit.ofSubject('event:bushy', 10))[0]).toMatchObject({ detail: 'renamed Tom Whitley to Tom Whitley-Jones' });
  });

  it('takes a director off: their old links stop working and they get no more mail about the event', async () => {
    const w = await world();
    await w.cli(['teams', 'import', await w.file(spreadsheet(['event,name,email', sarah, tom]))]);
    expect((await w.register({ practiceCode: 'A81001', events: ['bushy'] })).status).toBe(201);
    const tomsIntro = w.mailTo('tom@parkrun.example')[0]!;
    const inTouch = linksIn(tomsIntro)["We're in touch"]!;
    expect((await w.request(pathOf(inTouch))).status).toBe(200);

    expect((await w.cli(['teams', 'import', await w.file(spreadsheet(['event,name,email', sarah]))])).summary).toMatchObject({ updated: 1 });
    const refused = await w.request(pathOf(inTouch));
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('handed over');
    expect((await w.request(pathOf(inTouch), { form: {} })).status).toBe(403);
    expect(await w.store.partnerships.getLink('A81001', 'bushy')).not.toHaveProperty('lastContactAt');

    await w.register({ practiceCode: 'A81002', events: ['bushy'], champion: { name: 'Dr Ali', role: 'GP', email: 'ali@nhs.example' } });
    expect(w.mailTo('tom@parkrun.example')).toHaveLength(1);
    // Sarah's second introduction this week waits for her budget of unasked email; Tom's never comes.
    expect(w.mailTo('sarah@parkrun.example')).toHaveLength(1);
    w.clock.set(new Date(w.clock.now().getTime() + 7 * 86_400_000));
    await releaseHeldMail(w.deps);
    expect(w.mailTo('tom@parkrun.example')).toHaveLength(1);
    expect(w.mailTo('sarah@parkrun.example')).toHaveLength(2);
    expect(w.mailTo('sarah@parkrun.example')[1]!.text).toContain('Dr Ali');
    expect(w.mailTo('ali@nhs.example').map((m) => m.subject)).toEqual(['Confirm your parkrun practice registration', 'Meet your parkrun team at Bushy parkrun']);
  });

  it("introduces a practice to an event with no director named at the event team's own address, which may answer until a director is named", async () => {
    const w = await world();
    expect((await w.register({ practiceCode: 'W97070', events: ['Cardiff parkrun'] })).status).toBe(201);
    const [intro] = w.mailTo('cardiff@parkrun.com');
    expect(intro!.subject).toBe('Riverside Surgery has linked with Cardiff parkrun');
    expect(intro!.text).toMatch(/^Hello Cardiff parkrun team,/);
    const champion = w.transport.sent.find((m) => m.to === 'jane.smith@nhs.example' && !isConfirmationRequest(m))!;
    expect(champion.text).toContain('cardiff@parkrun.com');
    const inTouch = linksIn(intro!)["We're in touch"]!;
    expect((await w.request(pathOf(inTouch))).status).toBe(200);

    await w.cli(['teams', 'import', await w.file(spreadsheet(['event,name,email', 'cardiff,Rhys Evans,rhys@parkrun.example']))]);
    expect((await w.request(pathOf(inTouch))).status).toBe(403);
  });
});

describe('teams import, bad input', () => {
  it('refuses each bad row with its line, field and reason, and leaves an event with a refused row as it was', async () => {
    const w = await world();
    await w.cli(['teams', 'import', await w.file(spreadsheet(['event,name,email', 'colwick,Helen Foster,helen@parkrun.example']))]);
    const file = await w.file(
      spreadsheet([
        'Event,Name,Email',
        sarah,
        '',
        'atlantis,Someone,someone@parkrun.example',
        'cardiff,Rhys Evans,not-an-address',
        'cardiff,"Rhys <b>Evans</b>",formula@parkrun.example',
        tom,
        'bushy,Tom Again,TOM@parkrun.example',
        'colwick,"Two',
        'lines",two@parkrun.example',
        ',Nobody,nobody@parkrun.example',
        '   ,   ,   ',
      ]),
    );
    const result = await w.cli(['teams', 'import', file]);
    expect(result.code).toBe(1);
    expect(result.refusals).toEqual([
      'line 4: event: no event "atlantis" is on record: import the events first, or check the short name',
      'line 5: email: Email must be a valid email address',
      'line 6: name: Name must be plain text, without markup such as < or >',
      'line 8: email: tom@parkrun.example is a director of bushy already, on line 7',
      'line 9: name: Name must be a single line of text',
      'line 11: event: event is required',
      'line 2: event: not applied: line 8 for bushy was refused, so bushy keeps its team until the file is put right',
      'line 7: event: not applied: line 8 for bushy was refused, so bushy keeps its team until the file is put right',
    ]);
    expect(result.summary).toEqual({ created: 0, updated: 0, unchanged: 0, refused: 8 });
    const stored = await w.store.events.getEvents(['bushy', 'cardiff', 'colwick']);
    expect([stored.get('bushy')!.eventDirectors, stored.get('cardiff')!.eventDirectors]).toEqual([[], []]);
    expect(stored.get('colwick')!.eventDirectors).toEqual([{ name: 'Helen Foster', email: 'helen@parkrun.example' }]);
  });

  it('stores a name a spreadsheet would run as a formula as text, shows it escaped, and defuses it in head office’s CSV', async () => {
    const w = await world();
    await w.cli(['teams', 'import', await w.file(spreadsheet(['event,name,email', 'cardiff,"=IMPORTXML(A1,""x"")",rhys@parkrun.example']))]);
    expect((await w.store.events.getEvents(['cardiff'])).get('cardiff')!.eventDirectors[0]!.name).toBe('=IMPORTXML(A1,"x")');
    await rebuildMetrics({ ...w.store, scan: new DynamoTableScan(w.t.doc, w.t.tableName) });
    const cookie = await w.signIn();
    const page = await (await w.request('/head-office/events/cardiff', { cookie })).text();
    expect(page).toContain('=IMPORTXML(A1,&quot;x&quot;), rhys@parkrun.example');
    const csv = await (await w.request('/head-office/events.csv?list=without-links&scope=ALL', { cookie })).text();
    expect(csv).toContain(`cardiff,Cardiff parkrun,Wales,Wales,"'=IMPORTXML(A1,""x"") <rhys@parkrun.example>",cardiff@parkrun.com,true`);
  });

  it('refuses a file it cannot read as a whole, and stores nothing (exit 2)', async () => {
    const w = await world();
    const cases: Array<[string | Buffer, RegExp]> = [
      ['event,name\nbushy,Sarah\n', /missing column email/],
      ['', /is empty: it needs a header line/],
      ['event,name,email\nbushy,"Sarah,sarah@parkrun.example\n', /is not a CSV file we can read: .*Quote Not Closed/],
      [Buffer.from('\ufffeevent,name,email\n', 'utf16le'), /is UTF-16/],
      ['event,event,name,email\n', /names column event twice/],
    ];
    for (const [content, message] of cases) {
      const result = await w.cli(['teams', 'import', await w.file(content)]);
      expect(result.code).toBe(2);
      expect(result.lines[0]).toMatch(message);
    }
    expect((await w.store.events.getEvents(['bushy'])).get('bushy')!.eventDirectors).toEqual([]);
  });

  it('refuses a row saved in another encoding than UTF-8, naming the fix', async () => {
    const w = await world();
    const latin1 = Buffer.concat([Buffer.from('event,name,email\r\nbushy,Zo'), Buffer.from([0xeb]), Buffer.from(' Smith,zoe@parkrun.example\r\n')]);
    const result = await w.cli(['teams', 'import', await w.file(latin1)]);
    expect(result.refusals).toEqual(['line 2: file: this row has characters that are not UTF-8: save the file as "CSV UTF-8"']);
  });
});

describe("head office edits an event's team on the dashboard", () => {
  it('adds and takes off a director, audited, shows the team address in use, and lists the events with nobody named', async () => {
    const w = await world();
    const cookie = await w.signIn();
    // The head-office figures follow the stream; here the events' lists are rebuilt from the table.
    const page = async (path: string) => (await w.request(path, { cookie })).text();
    const first = await page('/head-office/events/bushy');
    expect(first).toContain('No director is named, so the event&#39;s email goes to its team address, <strong>bushy@parkrun.com</strong>');
    const requestId = (html: string, form: number) => [...html.matchAll(/name="requestId" value="([0-9a-f-]{36})"/g)][form]![1]!;

    const bad = await w.request('/head-office/events/bushy/directors', { cookie, form: { requestId: requestId(first, 0), name: 'Sarah Okafor', email: 'nope' } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Email must be a valid email address');

    const added = await w.request('/head-office/events/bushy/directors', { cookie, form: { requestId: requestId(first, 0), name: 'Sarah Okafor', email: 'Sarah@parkrun.example' } });
    expect(added.status).toBe(200);
    const after = await added.text();
    expect(after).toContain('Sarah Okafor is now an event director');
    expect((await w.store.events.getEvents(['bushy'])).get('bushy')!.eventDirectors).toEqual([{ name: 'Sarah Okafor', email: 'sarah@parkrun.example' }]);
    expect((await w.request('/head-office/events/bushy/directors', { cookie, form: { requestId: requestId(after, 1), name: 'Sarah', email: 'sarah@parkrun.example' } })).status).toBe(400);

    w.clock.advance(60_000);
    const removed = await w.request('/head-office/events/bushy/directors/remove', { cookie, form: { requestId: requestId(after, 0), email: 'sarah@parkrun.example' } });
    expect(await removed.text()).toContain('Sarah Okafor is no longer an event director');
    expect((await w.store.events.getEvents(['bushy'])).get('bushy')!.eventDirectors).toEqual([]);
    expect((await w.store.audit.ofSubject('event:bushy', 10)).map((a) => [a.actor, a.action, a.detail])).toEqual([
      ['analyst@parkrun.example', 'team-remove', 'removed Sarah Okafor <sarah@parkrun.example>'],
      ['analyst@parkrun.example', 'team-add', 'added Sarah Okafor <sarah@parkrun.example>'],
    ]);
    expect(await page('/head-office/events/bushy')).toContain('Head office took a director off');

    // Without a session: sent to sign in, and nothing changes.
    expect((await w.request('/head-office/events/bushy/directors', { form: { requestId: requestId(after, 0), name: 'Eve', email: 'eve@evil.example' } })).status).toBe(303);
    expect((await w.request('/head-office/events/nowhere', { cookie })).status).toBe(404);
  });

  it('lists the events with no named director and those gone from the feed, from the figures', async () => {
    const w = await world();
    await w.cli(['teams', 'import', await w.file(spreadsheet(['event,name,email', sarah]))]);
    await w.events(await w.file(JSON.stringify(feed([feature('bushy', { name: 'Bushy parkrun' }), feature('cardiff', { name: 'Cardiff parkrun' })]))), { regions: await w.file('eventname,region\nbushy,London\ncardiff,Wales\n') });
    await rebuildMetrics({ ...w.store, scan: new DynamoTableScan(w.t.doc, w.t.tableName) });
    const cookie = await w.signIn();
    const dashboard = await (await w.request('/head-office', { cookie })).text();
    expect(dashboard).toMatch(/<h2>Events with no named director<\/h2><p class="figure">2<\/p>/);
    expect(dashboard).toContain('1 no longer in parkrun&#39;s feed');
    const nobody = await (await w.request('/head-office/events?list=without-directors&scope=ALL', { cookie })).text();
    expect([...nobody.matchAll(/<a href="\/head-office\/events\/([a-z-]+)">/g)].map((m) => m[1])).toEqual(['cardiff', 'colwick']);
    expect(nobody).toContain('team address cardiff@parkrun.com');
    const gone = await (await w.request('/head-office/events?list=left-feed&scope=region:East%20Midlands', { cookie })).text();
    expect(gone).toContain('<a href="/head-office/events/colwick">Colwick parkrun</a>');
    const csv = await (await w.request('/head-office/events.csv?list=left-feed&scope=ALL', { cookie })).text();
    expect(csv).toContain('colwick,Colwick parkrun,East Midlands,England,,colwick@parkrun.com,false');
    expect((await w.request('/head-office/events?list=everything', { cookie })).status).toBe(400);
  });
});
