/**
 * Hostile requests across the whole app, on DynamoDB Local: cross-site POSTs at every
 * form and API (each with a live token or a valid body, so only the guard stands in the
 * way), methods no route takes, random paths and hostile headers everywhere (including
 * /health, /assets and /). No 5xx, nothing written, the security headers on every
 * answer, and no attacker markup in any of them.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { handoverFilter, newRegistrationFilter } from '../../functions/adapters/dynamo/stream-filters.js';
import { createHandoverWatcher } from '../../functions/watchers/handover-watcher-handler.js';
import { linksIn, pathOf } from '../support/magic-links.js';
import { createRegistrationWatcher } from '../../functions/watchers/registration-watcher-handler.js';
import { confirmationIn, isConfirmationRequest } from '../support/registrations.js';
import { analyst, damage, damaged, director, encodeForm, expectClearRefusal, expectSafeAnswer, hostileText, hostileWorld, junkToken, riverside, runs, sameOrigin, seg, strangeHeaders, type World } from './support.js';

let w: World;
let confirm = '';
let pendingId = '';
let acceptHandover = '';
const posts: Array<{ path: string; body: string; type: string }> = [];
const pages: string[] = [];

beforeAll(async () => {
  w = await hostileWorld();
  const registration = riverside;
  expect((await w.register(registration)).status).toBe(201);
  await w.introduce();
  const cookie = await w.signIn();
  const inTouch = await w.mint('in-touch', 'A81001.bushy', director, 'event-director');
  const unsubscribe = await w.mint('unsubscribe', director, director);
  const signIn = await w.mint('head-office-sign-in', analyst, analyst, 'head-office', { expiresInMs: 15 * 60_000 });
  const form = 'application/x-www-form-urlencoded';
  // A registration waiting for its champion: their confirmation link is live.
  expect((await w.register({ ...registration, practiceCode: 'A81009', champion: { ...registration.champion, email: 'waiting@nhs.example' } })).status).toBe(201);
  await w.watch(newRegistrationFilter, createRegistrationWatcher(w.deps));
  const waiting = confirmationIn(w.mailTo('waiting@nhs.example').find(isConfirmationRequest)!);
  confirm = `/registrations/${waiting.registrationId}/confirm/${waiting.token}`;
  pendingId = waiting.registrationId;
  // A hand-over offered to a colleague who has not accepted yet: their accept link is live.
  const handOver = await w.mint('hand-over', 'A81001.bushy', director, 'event-director');
  expect((await w.request(`/links/A81001.bushy/hand-over/${handOver}`, { method: 'POST', headers: { 'content-type': form, ...sameOrigin }, body: encodeForm([['name', 'Priya Shah'], ['role', 'Co-event director'], ['email', 'priya@parkrun.example']]) })).status).toBe(200);
  await w.watch(handoverFilter, createHandoverWatcher(w.deps));
  acceptHandover = pathOf(linksIn(w.mailTo('priya@parkrun.example')[0]!)['Accept the hand-over']!);
  // Each of these would be accepted from the same site: only the cross-site guard refuses them.
  posts.push(
    { path: '/api/registrations', body: JSON.stringify({ ...registration, practiceCode: 'A81002', champion: { ...registration.champion, email: 'other@nhs.example' } }), type: 'application/json' },
    { path: '/register', body: encodeForm([['practiceCode', 'A81003'], ['practiceName', 'X'], ['postcode', 'TW11 0AA'], ['championName', 'A'], ['championRole', 'GP'], ['championEmail', 'a3@nhs.example'], ['events', 'bushy'], ['contactedEventTeam', 'no']]), type: form },
    { path: `/links/A81001.bushy/in-touch/${inTouch}`, body: '', type: form },
    { path: `/preferences/${unsubscribe}`, body: 'action=stop-all', type: form },
    { path: `/unsubscribe/${unsubscribe}`, body: 'List-Unsubscribe=One-Click', type: form },
    { path: `/fresh-links/${inTouch}`, body: '', type: form },
    { path: '/head-office/sign-in', body: `email=${analyst}`, type: form },
    { path: `/head-office/sign-in/${signIn}`, body: '', type: form },
    { path: '/head-office/sign-out', body: '', type: `${form}; cookie=${cookie}` },
    { path: '/head-office/links/A81001.bushy/introduction', body: `requestId=${crypto.randomUUID()}`, type: `${form}; cookie=${cookie}` },
    { path: confirm, body: '', type: form },
    { path: acceptHandover, body: '', type: form },
    { path: `/head-office/registrations/${pendingId}/reject`, body: `requestId=${crypto.randomUUID()}`, type: `${form}; cookie=${cookie}` },
    { path: '/head-office/events/bushy/directors', body: `requestId=${crypto.randomUUID()}&name=Eve&email=eve%40parkrun.example`, type: `${form}; cookie=${cookie}` },
  );
  pages.push(confirm, acceptHandover, '/head-office/registrations', '/', '/favicon.ico', '/health', '/register', '/assets/site.css', '/assets/head-office.css', `/links/A81001.bushy/in-touch/${inTouch}`, `/preferences/${unsubscribe}`, `/unsubscribe/${unsubscribe}`, '/head-office/sign-in', `/head-office/sign-in/${signIn}`);
});

/** Splits the test-only `; cookie=` suffix off a content type into its own header. */
const headersOf = (type: string) => {
  const [contentType, cookie] = type.split('; cookie=');
  return { 'content-type': contentType!, ...(cookie ? { cookie } : {}) };
};

const crossSite = fc.oneof(
  fc.record({ 'sec-fetch-site': fc.constantFrom('cross-site', 'same-site', 'Cross-Site', '', 'hstl') }, { requiredKeys: ['sec-fetch-site'] }).chain((h) => fc.record({ origin: fc.constantFrom('http://localhost', 'https://evil.example') }, { requiredKeys: [] }).map((o) => ({ ...h, ...o }))),
  fc.constantFrom('https://evil.example', 'null', 'http://localhost.evil.example', 'http://localhost:8080', 'https://localhost', 'http://LOCALHOST.', '<hstl>').map((origin) => ({ origin })),
);

describe('the whole app under hostile requests', () => {
  it('refuses every cross-site POST with 403 and writes nothing, even with a live token or a valid body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...posts), crossSite, async (post, headers) => {
        const res = await w.unchanged(() => w.request(post.path, { method: 'POST', headers: { ...headersOf(post.type), ...headers }, body: post.body }));
        expect(await expectClearRefusal(res, [403])).toBe('Cross-site requests are not accepted.');
      }),
      runs(60),
    );
  });

  it('takes no method a route does not name: a 4xx and nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...posts.map((p) => p.path), ...pages), fc.constantFrom('/api/registrations/x', '/head-office/links/A81001.bushy')),
        fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND', 'TRACE-X'),
        fc.boolean(),
        async (path, method, sameSite) => {
          const res = await w.unchanged(() => w.request(path, { method, headers: sameSite ? { 'sec-fetch-site': 'same-origin' } : {}, body: method === 'OPTIONS' ? undefined : 'x=<hstl>' }));
          // Behind the head-office guard, no session comes first: a browser is sent to sign in.
          if (res.status === 303) expect([path.startsWith('/head-office/'), res.headers.get('location')]).toEqual([true, '/head-office/sign-in']);
          else expect(res.status).toBeGreaterThanOrEqual(400);
          await expectSafeAnswer(res);
        },
      ),
      runs(40),
    );
  });

  it('answers random paths and hostile headers on every page without a 5xx, with its security headers, and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constantFrom(...pages),
          fc.array(hostileText.filter((s) => s.length > 0 && s.length < 100), { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.map(seg).join('/')}`),
          fc.tuple(fc.constantFrom('/assets/', '/links/', '/first-timers/', '/registrations/', '/handovers/', '/api/', '/head-office/', '/health/', '/preferences/', '/unsubscribe/'), hostileText.filter((s) => s.length > 0 && s.length < 100)).map(([p, s]) => `${p}${seg(s)}`),
          fc.constantFrom('/assets/..%2F..%2Fpackage.json', '/assets/site.css%00.html', '/%2e%2e/%2e%2e/etc/passwd', '//evil.example/', '/register/../health', '/health?<hstl>'),
        ),
        fc.array(fc.tuple(fc.constantFrom('q', 'event', 'scope', '<hstl>'), hostileText), { maxLength: 2 }),
        strangeHeaders,
        async (path, query, headers) => {
          const res = await w.unchanged(() => w.request(query.length ? `${path}${path.includes('?') ? '&' : '?'}${encodeForm(query)}` : path, { headers }));
          const copy = res.clone();
          await expectSafeAnswer(res);
          if (res.status >= 400 && res.status !== 404) await expectClearRefusal(copy, [400, 401, 403, 410]);
          expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
          expect(res.headers.get('x-content-type-options')).toBe('nosniff');
          expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        },
      ),
      runs(80),
    );
  });

  it('refuses a confirmation link that is random, altered, for another registration or another purpose: a 4xx, nothing written', async () => {
    const [, , id, , token] = confirm.split('/');
    const other = await w.mint('in-touch', 'A81001.bushy', 'jane.smith@nhs.example', 'champion');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          junkToken.map((t) => `/registrations/${id}/confirm/${t}`),
          damage.map((how) => `/registrations/${id}/confirm/${seg(damaged(token!, how))}`),
          fc.constant(`/registrations/${id}/confirm/${other}`),
          fc.uuid().map((u) => `/registrations/${u}/confirm/${token}`),
          hostileText.filter((t) => t.length > 0 && t.length < 80).map((t) => `/registrations/${seg(t)}/confirm/${token}`),
        ),
        fc.constantFrom('GET', 'POST'),
        async (path, method) => {
          const res = await w.unchanged(() => w.request(path, method === 'GET' ? {} : { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...sameOrigin }, body: '' }));
          await expectClearRefusal(res, [403, 404, 410]);
        },
      ),
      runs(40),
    );
  });

  it('refuses a hand-over acceptance link that is random, altered, for another link or another purpose: a 4xx, nothing written', async () => {
    const [, , linkId, , token] = acceptHandover.split('/');
    const other = await w.mint('in-touch', 'A81001.bushy', 'priya@parkrun.example', 'event-director');
    const withoutOffer = await w.mint('handover-accept', 'A81001.bushy', 'priya@parkrun.example', 'event-director');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          junkToken.map((t) => `/handovers/${linkId}/accept/${t}`),
          damage.map((how) => `/handovers/${linkId}/accept/${seg(damaged(token!, how))}`),
          fc.constantFrom(`/handovers/${linkId}/accept/${other}`, `/handovers/${linkId}/accept/${withoutOffer}`, `/handovers/A81002.bushy/accept/${token}`),
          hostileText.filter((t) => t.length > 0 && t.length < 80).map((t) => `/handovers/${seg(t)}/accept/${token}`),
        ),
        fc.constantFrom('GET', 'POST'),
        async (path, method) => {
          const res = await w.unchanged(() => w.request(path, method === 'GET' ? {} : { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...sameOrigin }, body: '' }));
          await expectClearRefusal(res, [403, 404, 410]);
        },
      ),
      runs(40),
    );
  });

  it('answers /health with the table reachable, whatever is sent with it, and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(strangeHeaders, fc.array(fc.tuple(hostileText, hostileText), { maxLength: 2 }), async (headers, query) => {
        const res = await w.unchanged(() => w.request(`/health?${encodeForm(query)}`, { headers }));
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ status: 'ok', table: 'reachable' });
      }),
      runs(20),
    );
  });
});
