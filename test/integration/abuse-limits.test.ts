/**
 * The limits wherever a stranger can start mail, on DynamoDB Local, across two app
 * instances sharing one table (as two Lambda instances would): each answers 429 with a
 * clear message, and the refused request stores nothing and sends nothing. The source
 * address comes from the server's bindings (the socket locally, API Gateway's sourceIp in
 * AWS), never from a header the caller sets.
 */
import { describe, expect, it } from 'vitest';
import { ScanCommand } from '../../functions/adapters/dynamo/document-client.js';
import { createApp } from '../../functions/api/app.js';
import { apiDeps, storeDeps } from '../../functions/wiring.js';
import { localDocumentClient } from '../../local/dynamodb-local.js';
import { registrationBody } from '../support/fixtures.js';
import { linksIn, magicLinkWorld, pathOf } from '../support/magic-links.js';

/** The bindings hono's adapters hand the app: the node server's socket, or API Gateway's event. */
const fromSocket = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });
const fromApiGateway = (sourceIp: string) => ({ event: { requestContext: { http: { sourceIp } } } });

async function twoInstances() {
  const w = await magicLinkWorld();
  // A second instance: its own client and app, the same table.
  const other = storeDeps(localDocumentClient(w.t.endpoint), w.t.tableName, 'k'.repeat(48), w.clock);
  const apps = [w.app, createApp(apiDeps(other, { addresses: ['analyst@parkrun.example'] }))];
  let turn = 0;
  /** Each call goes to the other instance. */
  const send = async (path: string, init: { json?: unknown; form?: Record<string, string> }, env: object, headers: Record<string, string> = {}): Promise<Response> =>
    apps[turn++ % 2]!.request(
      `http://localhost${path}`,
      {
        method: 'POST',
        headers: { 'content-type': init.json ? 'application/json' : 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', ...headers },
        body: init.json ? JSON.stringify(init.json) : new URLSearchParams(init.form).toString(),
      },
      env,
    );
  const table = async () => (await w.t.doc.send(new ScanCommand({ TableName: w.t.tableName, ConsistentRead: true }))).Items;
  /** The request is refused with a 429 and its message, and leaves the table and the outbox as they were. */
  const refusedWhole = async (act: () => Promise<Response>, message: RegExp) => {
    const [before, sent] = [await table(), w.transport.sent.length];
    const res = await act();
    expect(res.status).toBe(429);
    // JSON for the API; a page for a person, which says the same.
    expect(await res.text()).toMatch(message);
    expect(await table()).toEqual(before);
    expect(w.transport.sent.length).toBe(sent);
  };
  return { w, send, refusedWhole };
}

const registration = (i: number, more: Record<string, unknown> = {}) =>
  registrationBody({ practiceCode: `B${String(10000 + i)}`, champion: { name: 'Dr Jane Smith', role: 'GP', email: `champion${i}@nhs.example` }, ...more });

describe('registrations', () => {
  it('are limited per source address, taken from the socket, not from X-Forwarded-For', async () => {
    const { send, refusedWhole } = await twoInstances();
    for (let i = 0; i < 10; i++) expect((await send('/api/registrations', { json: registration(i) }, fromSocket('203.0.113.7'), { 'x-forwarded-for': `198.51.100.${i}` })).status).toBe(201);
    await refusedWhole(() => send('/api/registrations', { json: registration(10) }, fromSocket('203.0.113.7'), { 'x-forwarded-for': '198.51.100.99' }), /too many registrations from your connection/);
    // Another address is not held back.
    expect((await send('/api/registrations', { json: registration(11) }, fromApiGateway('192.0.2.1'))).status).toBe(201);
  });

  it('are limited per recipient, plus-addressing folded, per practice code, and per event and its directors in a day', async () => {
    const { send, refusedWhole } = await twoInstances();
    const as = (n: number) => fromApiGateway(`192.0.2.${n}`);
    for (let i = 0; i < 3; i++) expect((await send('/api/registrations', { json: registration(i, { champion: { name: 'V', role: 'GP', email: `victim+${i}@nhs.example` } }) }, as(i))).status).toBe(201);
    await refusedWhole(() => send('/api/registrations', { json: registration(3, { champion: { name: 'V', role: 'GP', email: 'VICTIM+x@nhs.example' } }) }, as(3)), /for this email address/);

    for (let i = 0; i < 3; i++) expect((await send('/api/registrations', { json: registration(20 + i, { practiceCode: 'Z99999' }) }, as(20 + i))).status).toBe(201);
    await refusedWhole(() => send('/api/registrations', { json: registration(23, { practiceCode: 'Z99999' }) }, as(23)), /for this practice/);

    // Bushy: 20 a day (its directors alike); one of the above was for Bushy already, as was the world's own.
    let accepted = 0;
    for (let i = 30; accepted < 20; i++) {
      const res = await send('/api/registrations', { json: registration(i) }, as(i));
      if (res.status !== 201) break;
      accepted++;
    }
    expect(accepted).toBeLessThan(20);
    await refusedWhole(() => send('/api/registrations', { json: registration(99) }, as(99)), /for this parkrun event|for this event's team/);
  });
});

describe('hand-overs', () => {
  it('are limited per successor, plus-addressing folded, and per source, however many hand-over links are in hand', async () => {
    const { w, send, refusedWhole } = await twoInstances();
    // A hand-over link is spent on use: an attacker would need one per try, as a director's many emails give.
    const handOverLink = async () => `/links/A81001.bushy/hand-over/${await w.store.tokens.issue({ purpose: 'hand-over', subject: 'A81001.bushy', recipient: 'sarah@parkrun.example', role: 'event-director', expiresAt: new Date(w.clock.now().getTime() + 86_400_000) }, w.clock.now())}`;
    const successor = (email: string) => ({ name: 'Priya Shah', role: 'Co-event director', email });
    for (let i = 0; i < 3; i++) expect((await send(await handOverLink(), { form: successor(`victim+${i}@example.org`) }, fromSocket(`10.2.0.${i}`))).status).toBe(200);
    const fourth = await handOverLink();
    await refusedWhole(() => send(fourth, { form: successor('Victim@example.org') }, fromSocket('10.2.0.9')), /too many hand-overs for this email address/);
    for (let i = 0; i < 10; i++) expect((await send(await handOverLink(), { form: successor(`colleague${i}@parkrun.example`) }, fromSocket('10.2.1.1'))).status).toBe(200);
    const eleventh = await handOverLink();
    await refusedWhole(() => send(eleventh, { form: successor('colleague99@parkrun.example') }, fromSocket('10.2.1.1')), /too many hand-overs from your connection/);
  });
});

describe('first-timer namings', () => {
  it("are limited per event and per volunteer in a day, though the director's link is not spent", async () => {
    const { w, send, refusedWhole } = await twoInstances();
    const naming = pathOf(linksIn(w.emailTo('sarah@parkrun.example'))['Name a first-timer contact, so practices can tell patients whom to ask for']!);
    const name = (i: number, email = `volunteer${i}@runners.example`) => ({ firstName: `Sam${String.fromCharCode(65 + i)}`, whereToFind: 'by the start funnel', email });
    for (let i = 0; i < 3; i++) expect((await send(naming, { form: name(i, 'jo+${i}@runners.example'.replace('${i}', String(i))) }, fromSocket(`10.0.0.${i}`))).status).toBe(200);
    await refusedWhole(() => send(naming, { form: name(3, 'jo@runners.example') }, fromSocket('10.0.0.3')), /too many first-timer contacts named for this email address/);
    for (let i = 4; i < 6; i++) expect((await send(naming, { form: name(i) }, fromSocket(`10.0.0.${i}`))).status).toBe(200);
    await refusedWhole(() => send(naming, { form: name(6) }, fromSocket('10.0.0.6')), /too many first-timer contacts named for this parkrun event/);
  });
});

describe('sign-in links', () => {
  it('are limited per address and per source, the same for an address on the list and one not', async () => {
    const { send, refusedWhole } = await twoInstances();
    for (const address of ['analyst@parkrun.example', 'stranger@example.org']) {
      for (let i = 0; i < 5; i++) expect((await send('/head-office/sign-in', { form: { email: address } }, fromSocket(`172.16.0.${i}`))).status).toBe(200);
      await refusedWhole(() => send('/head-office/sign-in', { form: { email: address } }, fromSocket('172.16.0.9')), /too many sign-in links for this email address/);
    }
    for (let i = 0; i < 20; i++) expect((await send('/head-office/sign-in', { form: { email: `person${i}@example.org` } }, fromSocket('172.16.1.1'))).status).toBe(200);
    await refusedWhole(() => send('/head-office/sign-in', { form: { email: 'person99@example.org' } }, fromSocket('172.16.1.1')), /too many sign-in links from your connection/);
  });
});

describe('fresh links', () => {
  it('are limited per address, however many old links are in hand', async () => {
    const { w, send, refusedWhole } = await twoInstances();
    const email = w.emailTo('sarah@parkrun.example');
    const tokens = ["We're in touch", 'Record what you have done or planned', 'Pause for 1 month', 'Pause for 3 months'].map((label) => pathOf(linksIn(email)[label]!).split('/').pop()!.split('?')[0]!);
    // Each used once, so each offers a fresh one.
    w.clock.advance(15 * 86_400_000);
    for (let i = 0; i < 3; i++) expect((await send(`/fresh-links/${tokens[i]}`, { form: {} }, fromSocket(`10.1.0.${i}`))).status).toBe(202);
    await refusedWhole(() => send(`/fresh-links/${tokens[3]}`, { form: {} }, fromSocket('10.1.0.3')), /too many new links for this email address/);
  });
});
