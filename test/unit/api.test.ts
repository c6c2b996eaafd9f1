import { describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.js';
import { isCrossSite } from '../../functions/api/security.js';
import { anEvent, registrationBody } from '../support/fixtures.js';
import { memoryDeps } from '../support/memory-ports.js';
import { registerAndConfirm } from '../support/registrations.js';

function setup() {
  const deps = memoryDeps([anEvent(), anEvent({ shortName: 'colwick', name: 'Colwick parkrun', region: 'East Midlands' })]);
  return { deps, app: createApp(deps) };
}

const postJson = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

const form = (fields: Array<[string, string]>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
  body: new URLSearchParams(fields).toString(),
});

const validForm: Array<[string, string]> = [
  ['practiceCode', 'a81001'],
  ['practiceName', 'Riverside Surgery'],
  ['postcode', 'tw11 0aa'],
  ['championName', 'Dr Jane Smith'],
  ['championRole', 'GP'],
  ['championEmail', 'jane.smith@nhs.example'],
  ['championPhone', ''],
  ['events', 'bushy'],
  ['events', ''],
  ['events', ''],
  ['contactedEventTeam', 'no'],
];

describe('POST /api/registrations', () => {
  it('accepts a registration: 201 with its id', async () => {
    const { app, deps } = setup();
    const res = await app.request('/api/registrations', postJson(registrationBody()));
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ practiceCode: 'A81001', events: ['bushy'], status: 'awaiting-confirmation' });
    expect(body.message).toMatch(/^A confirmation email is on its way to the practice's parkrun champion/);
    expect([...deps.registrations.pending.keys()]).toEqual([body.registrationId]);
    // Nothing is linked, and nothing mailed, until the champion confirms.
    expect(deps.partnerships.registrations).toHaveLength(0);
    expect(deps.transport.sent).toEqual([]);
  });

  it('answers bad input with 400, a message per field, and writes nothing', async () => {
    const { app, deps } = setup();
    const res = await app.request('/api/registrations', postJson(registrationBody({ practiceCode: 'nope', postcode: '', events: [] })));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; fields: Record<string, string> };
    expect(body.error).toBe('invalid-input');
    expect(Object.keys(body.fields).sort()).toEqual(['events', 'postcode', 'practiceCode']);
    expect(deps.partnerships.registrations).toHaveLength(0);
  });

  it('answers a body that is not JSON with 400', async () => {
    const { app } = setup();
    const res = await app.request('/api/registrations', postJson('practiceCode=A81001'));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { fields: Record<string, string> }).fields.body).toMatch(/JSON object/);
  });

  it('answers an unknown event with 422 naming it', async () => {
    const { app } = setup();
    const res = await app.request('/api/registrations', postJson(registrationBody({ events: ['bushy', 'atlantis'] })));
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: 'unknown-event', events: ['atlantis'], message: 'Unknown parkrun event: atlantis' });
  });

  it('answers a repeated link with 409, naming nothing that exists, and creates nothing new', async () => {
    const { app, deps } = setup();
    await registerAndConfirm(deps, deps.transport.sent, registrationBody());
    const res = await app.request('/api/registrations', postJson(registrationBody()));
    expect(res.status).toBe(409);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ error: 'link-exists', message: 'This practice is linked with that event already, so nothing was changed. Its parkrun champion has the partnership in their emails.' });
    expect(deps.partnerships.registrations).toHaveLength(1);
    expect(deps.registrations.pending.size).toBe(1);
  });

  it('limits registrations naming one address, plus-addressing folded, so the form cannot flood an inbox', async () => {
    const { app, deps } = setup();
    const statuses = [];
    for (let i = 1; i <= 5; i++) {
      const champion = { name: 'Dr Jane Smith', role: 'GP', email: `jane.smith+${i}@nhs.example` };
      statuses.push((await app.request('/api/registrations', postJson(registrationBody({ practiceCode: `A0000${i}`, champion })))).status);
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    const refused = await app.request('/api/registrations', postJson(registrationBody({ practiceCode: 'A00009' })));
    expect(await refused.json()).toMatchObject({ error: 'rate-limited', message: 'There have been too many registrations for this email address lately, so this one was not taken and nothing was sent. Please try again tomorrow.' });
    expect(deps.registrations.pending.size).toBe(3);
  });

  it('refuses a cross-site browser POST', async () => {
    const { app, deps } = setup();
    const res = await app.request('/api/registrations', postJson(registrationBody(), { origin: 'https://evil.example' }));
    expect(res.status).toBe(403);
    expect(deps.partnerships.registrations).toHaveLength(0);
  });
});

describe('cross-site guard', () => {
  const url = 'https://nudges.example.org/register';
  it.each([
    ['a same-origin form post, which carries Origin: null under no-referrer', 'same-origin', 'null', false],
    ['a post typed into the address bar', 'none', undefined, false],
    ['a post from another site', 'cross-site', 'https://evil.example', true],
    ['a post from a sibling subdomain', 'same-site', 'https://evil.example.org', true],
    ['an older browser posting from another origin', undefined, 'https://evil.example', true],
    ['an older browser posting from this origin', undefined, 'https://nudges.example.org', false],
    ["a mail provider's one-click POST (no browser headers)", undefined, undefined, false],
  ])('judges %s', (_, site, origin, refused) => {
    expect(isCrossSite(site, origin, url)).toBe(refused);
  });
});

describe('/register', () => {
  it('shows the form with the events to choose from, and strict security headers', async () => {
    const { app } = setup();
    const res = await app.request('/register?event=colwick');
    expect(res.status).toBe(200);
    const page = await res.text();
    // Grouped by region, and preselected by ?event=.
    expect(page).toMatch(/<optgroup label="East Midlands"><option value="colwick" selected="">Colwick parkrun<\/option><\/optgroup>/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('registers from the form', async () => {
    const { app, deps } = setup();
    const res = await app.request('http://localhost/register', form(validForm));
    expect(res.status).toBe(201);
    const page = await res.text();
    expect(page).toContain('Thank you: now check your email');
    expect(page).toContain('We have sent the parkrun champion of Riverside Surgery an email to confirm the registration with Bushy parkrun.');
    expect(page).not.toContain('jane.smith@nhs.example');
    expect([...deps.registrations.pending.values()][0]?.practice.postcode).toBe('TW11 0AA');
  });

  it('shows errors beside their fields, keeps what was typed, and escapes it', async () => {
    const { app, deps } = setup();
    const fields = validForm.map(([k, v]): [string, string] =>
      k === 'practiceName' ? [k, '<script>alert(1)</script>'] : k === 'championEmail' ? [k, 'not-an-email'] : [k, v],
    );
    const res = await app.request('http://localhost/register', form(fields));
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('id="f-championEmail-error"');
    expect(page).toContain('Champion email must be a valid email address');
    expect(page).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(deps.partnerships.registrations).toHaveLength(0);
  });

  it('explains a repeated link on the form with 409', async () => {
    const { app, deps } = setup();
    await registerAndConfirm(deps, deps.transport.sent, registrationBody());
    const res = await app.request('http://localhost/register', form(validForm));
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('This practice is linked with that event already, so nothing was changed.');
  });
});

describe('/health', () => {
  it('is 200 when the table answers and 503 when it does not', async () => {
    const { app, deps } = setup();
    expect((await app.request('/health')).status).toBe(200);
    deps.setReachable(false);
    const res = await app.request('/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable', table: 'unreachable' });
  });
});

describe('/unsubscribe', () => {
  async function tokenFor(deps: ReturnType<typeof memoryDeps>) {
    return deps.tokens.issue(
      { purpose: 'unsubscribe', subject: 'introductions', recipient: 'sarah@parkrun.example', expiresAt: new Date('2027-12-01T00:00:00Z') },
      deps.clock.now(),
    );
  }

  it('changes nothing on GET, however often a scanner opens it', async () => {
    const { app, deps } = setup();
    const token = await tokenFor(deps);
    for (let i = 0; i < 5; i++) expect((await app.request(`/unsubscribe/${token}`)).status).toBe(200);
    expect(await deps.optOuts.isOptedOut('sarah@parkrun.example', 'introductions')).toBe(false);
  });

  it('stops all mail on a one-click POST without cookies or redirect', async () => {
    const { app, deps } = setup();
    const token = await tokenFor(deps);
    const res = await app.request(`/unsubscribe/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await deps.optOuts.isOptedOut('sarah@parkrun.example', 'introductions')).toBe(true);
  });

  it('stops mail from the page button too', async () => {
    const { app, deps } = setup();
    const token = await tokenFor(deps);
    const res = await app.request(`http://localhost/unsubscribe/${token}`, form([]));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('you will not get more emails from us');
    expect(await deps.optOuts.isOptedOut('sarah@parkrun.example', 'introductions')).toBe(true);
  });

  it('answers an unknown or tampered token with a clear page and changes nothing', async () => {
    const { app, deps } = setup();
    const token = await tokenFor(deps);
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const res = await app.request(`http://localhost/unsubscribe/${tampered}`, form([]));
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('We do not recognise this link');
    expect(await deps.optOuts.isOptedOut('sarah@parkrun.example', 'introductions')).toBe(false);
  });
});
