/**
 * A live registration form must not become a way to send our email to anyone, on
 * DynamoDB Local: each attack from the abuse issue, reproduced, now failing safe.
 * Confirm first; a real practice cannot be attached by a stranger; head office can undo.
 */
import { describe, expect, it } from 'vitest';
import { GetCommand, ScanCommand } from '../../functions/adapters/dynamo/document-client.js';
import { keys } from '../../functions/adapters/dynamo/items.js';
import { runQuietLinkSweep } from '../../functions/core/use-cases/quiet-link-sweep.js';
import { registrationBody } from '../support/fixtures.js';
import { feed, feature, importWorld, registrationWatching } from '../support/import-world.js';
import { confirmationIn, isConfirmationRequest } from '../support/registrations.js';

const day = 86_400_000;

async function world() {
  const w = await importWorld();
  await w.events(await w.file(JSON.stringify(feed([feature('bushy', { name: 'Bushy parkrun' }), feature('cardiff', { name: 'Cardiff parkrun' })]))), {
    regions: await w.file('eventname,region\nbushy,London\ncardiff,Wales\n'),
  });
  await w.cli(['teams', 'import', await w.file('event,name,email\nbushy,Sarah Okafor,sarah@parkrun.example\nbushy,Tom Whitley,tom@parkrun.example\ncardiff,Rhys Evans,rhys@parkrun.example\n')]);
  /** What the registration watcher would do with what is new on the stream. */
  const watch = registrationWatching(w);
  const register = async (body: Record<string, unknown>) => {
    const response = await w.request('/api/registrations', { json: registrationBody(body) });
    await watch();
    return response;
  };
  const requestsTo = (address: string) => w.transport.sent.filter((m) => m.to === address && isConfirmationRequest(m));
  const confirmUrl = (address: string) => {
    const { registrationId, token } = confirmationIn(requestsTo(address).at(-1)!);
    return `/registrations/${registrationId}/confirm/${token}`;
  };
  const confirm = async (address: string) => {
    const response = await w.request(confirmUrl(address), { form: {} });
    await watch();
    return response;
  };
  const toDirectors = () => w.transport.sent.filter((m) => m.to.endsWith('@parkrun.example'));
  return { ...w, register, confirm, confirmUrl, requestsTo, toDirectors, watch };
}

describe('confirm first', () => {
  it('refuses names that carry a web or email address, markup or a marker, storing and sending nothing', async () => {
    const w = await world();
    for (const [field, value, says] of [
      ['practiceName', 'Refund due - claim at https://evil.example/refund', 'a web address'],
      ['practiceName', 'Visit evil.example now', 'a web address'],
      ['practiceName', '[held-link:handOver]', 'markers'],
      ['practiceName', '{{unsubscribeUrl}}', 'markers'],
      ['champion', { name: 'parkrun HQ: verify at www.evil.example/login', role: 'GP', email: 'x@nhs.example' }, 'a web address'],
      ['champion', { name: 'Write to hq@evil.example', role: 'GP', email: 'x@nhs.example' }, 'an email address'],
      ['champion', { name: 'Jane', role: '<b>GP</b>', email: 'x@nhs.example' }, 'markup'],
    ] as const) {
      const res = await w.register({ [field]: value });
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toContain(`must be plain text, without ${says}`);
    }
    expect(w.transport.sent).toEqual([]);
    expect(await w.store.registrations.awaiting(new Date(0), 10)).toEqual([]);
  });

  it('mails only the champion the form named, and no event team until they confirm', async () => {
    const w = await world();
    const res = await w.register({ events: ['bushy', 'cardiff'] });
    expect(res.status).toBe(201);
    expect(w.transport.sent.map((m) => [m.to, m.subject])).toEqual([['jane.smith@nhs.example', 'Confirm your parkrun practice registration']]);
    expect(w.toDirectors()).toEqual([]);
    expect(await w.store.partnerships.getPractice('A81001')).toBeUndefined();

    // A scanner (or a curious person) opening the link five times confirms nothing.
    for (let i = 0; i < 5; i++) expect((await w.request(w.confirmUrl('jane.smith@nhs.example'))).status).toBe(200);
    await w.watch();
    expect(await w.store.partnerships.getLink('A81001', 'bushy')).toBeUndefined();
    expect(w.toDirectors()).toEqual([]);

    const confirmed = await w.confirm('jane.smith@nhs.example');
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('is registered');
    expect(w.toDirectors().map((m) => m.to).sort()).toEqual(['rhys@parkrun.example', 'sarah@parkrun.example', 'tom@parkrun.example']);
    // The link works once.
    expect((await w.request(w.confirmUrl('jane.smith@nhs.example'), { form: {} })).status).toBe(410);
  });

  it('does not let a stranger attach a practice on record to another event, however often they try', async () => {
    const w = await world();
    await w.register({ events: ['bushy'] });
    await w.confirm('jane.smith@nhs.example');
    const before = w.transport.sent.length;
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await w.register({ events: ['cardiff'], practiceName: 'Riverside Surgery', champion: { name: 'Mallory', role: 'GP', email: `mallory+${i}@evil.example` } });
      statuses.push(res.status);
      expect(JSON.stringify(await res.json())).not.toContain('jane');
    }
    // The champion on record is asked, and not flooded: after three in a day, the form says to wait.
    expect(statuses).toEqual([201, 201, 429, 429, 429, 429, 429, 429, 429, 429]);
    const since = w.transport.sent.slice(before);
    // Only the champion on record is asked; the stranger and Cardiff's director hear nothing.
    expect(new Set(since.map((m) => m.to))).toEqual(new Set(['jane.smith@nhs.example']));
    expect(since).toHaveLength(2);
    expect(since.every(isConfirmationRequest)).toBe(true);
    expect(await w.store.partnerships.getLink('A81001', 'cardiff')).toBeUndefined();
    expect((await w.store.partnerships.getPractice('A81001'))!.champion.email).toBe('jane.smith@nhs.example');
  });

  it("refuses a stranger's confirmation once the practice is on record with another champion", async () => {
    const w = await world();
    // The stranger gets in first with a new practice code, but does not confirm at once.
    await w.register({ events: ['cardiff'], champion: { name: 'Mallory', role: 'GP', email: 'mallory@evil.example' } });
    const strangers = w.confirmUrl('mallory@evil.example');
    await w.register({ events: ['bushy'] });
    await w.confirm('jane.smith@nhs.example');
    const refused = await w.request(strangers, { form: {} });
    expect(refused.status).toBe(403);
    expect(await w.store.partnerships.getLink('A81001', 'cardiff')).toBeUndefined();
  });

  it('lets an unconfirmed registration lapse after 7 days, leaving only an audit entry without the address', async () => {
    const w = await world();
    const { registrationId } = (await (await w.register({ events: ['bushy'] })).json().then((b) => ({ registrationId: (b as { registrationId: string }).registrationId })));
    const item = await w.t.doc.send(new GetCommand({ TableName: w.t.tableName, Key: keys.pendingRegistration(registrationId) }));
    // DynamoDB's TTL removes it a day after its link lapses.
    expect(item.Item!.expiresAt).toBe(Math.floor((w.clock.now().getTime() + 8 * day) / 1000));
    const audit = await w.store.audit.ofSubject('practice:A81001', 10);
    expect(audit).toMatchObject([{ action: 'registration-received', actor: 'registration form', detail: "for bushy; awaiting confirmation by the practice's champion" }]);
    expect(JSON.stringify(audit)).not.toContain('jane');

    w.clock.advance(7 * day + 60_000);
    const late = await w.request(w.confirmUrl('jane.smith@nhs.example'), { form: {} });
    expect(late.status).toBe(410);
    expect(await late.text()).toContain('this one has lapsed');
    expect(await w.store.partnerships.getPractice('A81001')).toBeUndefined();
    expect(await w.store.registrations.awaiting(new Date(w.clock.now().getTime() - 7 * day), 10)).toEqual([]);
  });

  it('answers a link that exists with a 409 that names nothing', async () => {
    const w = await world();
    await w.register({ events: ['bushy'] });
    await w.confirm('jane.smith@nhs.example');
    const res = await w.request('/api/registrations', { json: registrationBody({ events: ['bushy'], champion: { name: 'Eve', role: 'GP', email: 'eve@evil.example' } }) });
    expect(res.status).toBe(409);
    const text = await res.text();
    for (const leak of ['bushy', 'Bushy', 'A81001', 'jane', 'Riverside']) expect(text).not.toContain(leak);
  });
});

describe('head office can undo', () => {
  it('lists registrations waiting for confirmation, rejects one silently, and refuses its address from then on', async () => {
    const w = await world();
    await w.register({ practiceCode: 'Z99999', practiceName: 'Fake Surgery', champion: { name: 'Mallory', role: 'GP', email: 'mallory@evil.example' } });
    const cookie = await w.signIn();
    const list = await (await w.request('/head-office/registrations', { cookie })).text();
    expect(list).toContain('Fake Surgery (Z99999)');
    expect(list).toContain('Mallory, mallory@evil.example');
    const requestId = /name="requestId" value="([0-9a-f-]{36})"/.exec(list)![1]!;
    const id = /\/head-office\/registrations\/([0-9a-f-]{36})\/reject/.exec(list)![1]!;
    const sent = w.transport.sent.length;
    w.clock.advance(60_000);
    const rejected = await w.request(`/head-office/registrations/${id}/reject`, { cookie, form: { requestId } });
    expect(rejected.status).toBe(200);
    expect(await rejected.text()).toContain('None waiting.');
    expect(await w.store.audit.ofSubject('practice:Z99999', 5)).toMatchObject([{ action: 'registration-reject', actor: 'analyst@parkrun.example' }, { action: 'registration-received' }]);
    // The old confirmation link does nothing now.
    expect((await w.request(w.confirmUrl('mallory@evil.example'), { form: {} })).status).toBe(403);

    // The address is refused for registrations: answered as any other, nothing stored or sent.
    const items = (await w.t.doc.send(new ScanCommand({ TableName: w.t.tableName }))).Items!.length;
    const again = await w.register({ practiceCode: 'Z99998', champion: { name: 'Mallory', role: 'GP', email: 'MALLORY@evil.example' } });
    expect(again.status).toBe(201);
    expect(w.transport.sent.length).toBe(sent);
    // (a rate-limit counter for the address is the one write)
    expect((await w.t.doc.send(new ScanCommand({ TableName: w.t.tableName }))).Items!.length).toBeLessThanOrEqual(items + 1);
    expect(await w.store.registrations.awaiting(new Date(0), 10)).toEqual([]);
  });

  it('rejects a confirmed registration from its link page: its links end, drop out of every job, and nobody is told', async () => {
    const w = await world();
    await w.register({ events: ['bushy', 'cardiff'] });
    await w.confirm('jane.smith@nhs.example');
    const cookie = await w.signIn();
    const story = await (await w.request('/head-office/links/A81001.bushy', { cookie })).text();
    const form = /action="\/head-office\/registrations\/([0-9a-f-]{36})\/reject"[^>]*>\s*<input type="hidden" name="requestId" value="([0-9a-f-]{36})"/.exec(story)!;
    const sent = w.transport.sent.length;
    expect((await w.request(`/head-office/registrations/${form[1]}/reject`, { cookie, form: { requestId: form[2]! } })).status).toBe(200);
    for (const event of ['bushy', 'cardiff']) {
      const link = (await w.store.partnerships.getLink('A81001', event))!;
      expect(link).toMatchObject({ status: 'ended' });
      expect(link.dueAt).toBeUndefined();
    }
    expect(await w.store.audit.ofSubject('A81001.cardiff', 5)).toMatchObject([{ action: 'registration-reject' }]);
    // Months on, the sweep has nothing to say about them.
    w.clock.advance(60 * day);
    await runQuietLinkSweep(w.deps);
    expect(w.transport.sent.length).toBe(sent);
    // A second submission of the same form does nothing more.
    const later = await w.signIn();
    const auditBefore = await w.store.audit.ofSubject('practice:A81001', 10);
    expect((await w.request(`/head-office/registrations/${form[1]}/reject`, { cookie: later, form: { requestId: form[2]! } })).status).toBe(200);
    expect(await w.store.audit.ofSubject('practice:A81001', 10)).toEqual(auditBefore);
    expect((await w.request('/head-office/registrations/not-a-registration/reject', { cookie: later, form: { requestId: form[2]! } })).status).toBe(404);
  });
});
