/**
 * Every page starts with a doctype, and every page reached by a token (magic links,
 * confirmation, hand-over, sign-in, unsubscribe, preferences, fresh links) or a head-office
 * session is never stored (Cache-Control: no-store) nor indexed (X-Robots-Tag: noindex).
 * The token routes are read from the app's own route table, so a new one is covered the
 * day it is mounted; the live links are the ones the emails carry.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.js';
import { answerPurposes } from '../../functions/core/magic-links.js';
import { introduceRegistration } from '../../functions/core/use-cases/introduce-registration.js';
import { anEvent, registrationBody } from '../support/fixtures.js';
import { pathOf } from '../support/magic-links.js';
import { memoryDeps } from '../support/memory-ports.js';
import { registerAndConfirm } from '../support/registrations.js';

const sameOrigin = { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' };
const junkToken = 'J'.repeat(43);

function setup() {
  const deps = memoryDeps([anEvent()]);
  return { deps, app: createApp(deps) };
}

/** Each route's path with its parameters filled in; a route taking any answer purpose once per purpose. */
function pathsOf(path: string, token: string): string[] {
  const filled = path.replace(':linkId', 'A81001.bushy').replace(':id', 'r-1').replace(':event', 'bushy').replace(':shortName', 'bushy').replace(':token', token);
  return filled.includes(':purpose') ? answerPurposes.map((p) => filled.replace(':purpose', p)) : [filled];
}

async function expectPrivatePage(res: Response, what: string) {
  expect(res.headers.get('cache-control'), what).toBe('no-store');
  expect(res.headers.get('x-robots-tag'), what).toBe('noindex');
  expect(res.headers.get('content-type'), what).toMatch(/^text\/html/);
  expect((await res.text()).startsWith('<!doctype html>'), what).toBe(true);
}

describe('pages reached by a token', () => {
  it('every token route, GET and POST, with a token that is no token, answers a doctype page that is neither stored nor indexed', async () => {
    const { app } = setup();
    const tokenRoutes = app.routes.filter((r) => r.path.includes(':token') && (r.method === 'GET' || r.method === 'POST'));
    // Every family of magic link the product mails is in the table.
    const prefixes = new Set(tokenRoutes.map((r) => r.path.split('/')[1] + (r.path.startsWith('/head-office') ? `/${r.path.split('/')[2]}` : '')));
    expect([...prefixes].sort()).toEqual(['first-timers', 'fresh-links', 'handovers', 'head-office/sign-in', 'links', 'preferences', 'registrations', 'unsubscribe']);
    let checked = 0;
    for (const route of tokenRoutes) {
      for (const path of pathsOf(route.path, junkToken)) {
        const res = await app.request(`http://localhost${path}`, route.method === 'GET' ? {} : { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...sameOrigin }, body: '' });
        expect(res.status, `${route.method} ${path}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${route.method} ${path}`).toBeLessThan(500);
        await expectPrivatePage(res, `${route.method} ${path}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('every link in the emails of a registration and its introductions opens a doctype page that is neither stored nor indexed', async () => {
    const { app, deps } = setup();
    const registration = await registerAndConfirm(deps, deps.transport.sent, registrationBody());
    await introduceRegistration(deps, registration);
    const urls = new Set<string>();
    for (const email of deps.transport.sent) {
      for (const [url] of email.text.matchAll(/https:\/\/nudges\.test\/\S+/g)) urls.add(url);
      for (const h of email.headers.filter((h) => h.name === 'List-Unsubscribe')) urls.add(h.value.slice(1, -1));
    }
    const kinds = new Set([...urls].map((u) => pathOf(u).split('/').filter((s) => !/^[A-Za-z0-9_-]{43}$/.test(s)).slice(0, 4).join('/').replace(/\?.*/, '')));
    // Confirmation, answers, the page both sides share, unsubscribe and preferences links, at least.
    for (const expected of ['/registrations', '/links/A81001.bushy/in-touch', '/links/A81001.bushy/partnership', '/unsubscribe', '/preferences']) {
      expect([...kinds].some((k) => k.startsWith(expected)), expected).toBe(true);
    }
    for (const url of urls) {
      const res = await app.request(`http://localhost${pathOf(url)}`);
      expect(res.status, url).toBeLessThan(500);
      await expectPrivatePage(res, url);
    }
    expect(urls.size).toBeGreaterThan(8);
  });

  it('the partnership page, from a live link, and the refusal of a POST to it, are neither stored nor indexed', async () => {
    const { app, deps } = setup();
    const registration = await registerAndConfirm(deps, deps.transport.sent, registrationBody());
    await introduceRegistration(deps, registration);
    const live = deps.tokens.latest('partnership', 'A81001.bushy');
    const page = await app.request(`http://localhost/links/A81001.bushy/partnership/${live}`);
    expect(page.status).toBe(200);
    await expectPrivatePage(page, 'partnership page');
    const post = await app.request(`http://localhost/links/A81001.bushy/partnership/${live}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...sameOrigin }, body: '' });
    expect(post.status).toBe(405);
    await expectPrivatePage(post, 'POST to the partnership page');
  });

  it('the head-office sign-in link, the pages behind it, and a fresh-link request are neither stored nor indexed', async () => {
    const { app, deps } = setup();
    const now = deps.clock.now();
    const signIn = await deps.tokens.issue({ purpose: 'head-office-sign-in', subject: 'analyst@parkrun.example', recipient: 'analyst@parkrun.example', role: 'head-office', expiresAt: new Date(now.getTime() + 15 * 60_000) }, now);
    const page = await app.request(`http://localhost/head-office/sign-in/${signIn}`);
    expect(page.status).toBe(200);
    await expectPrivatePage(page, 'sign-in link');
    const signedIn = await app.request(`http://localhost/head-office/sign-in/${signIn}`, { method: 'POST', headers: sameOrigin });
    expect(signedIn.status).toBe(303);
    const cookie = /ho_session=[^;]+/.exec(signedIn.headers.get('set-cookie') ?? '')![0];
    const pages = app.routes.filter((r) => r.method === 'GET' && r.path.startsWith('/head-office') && !r.path.includes('sign-in') && !r.path.endsWith('.csv'));
    expect(pages.length).toBeGreaterThan(4);
    for (const route of pages) {
      for (const path of pathsOf(route.path, junkToken)) {
        const res = await app.request(`http://localhost${path}`, { headers: { cookie } });
        expect(res.status, path).toBeLessThan(500);
        await expectPrivatePage(res, path);
      }
    }

    const expired = await deps.tokens.issue({ purpose: 'in-touch', subject: 'A81001.bushy', recipient: 'sarah@parkrun.example', role: 'event-director', expiresAt: new Date(now.getTime() - 60_000) }, new Date(now.getTime() - 86_400_000));
    const fresh = await app.request(`http://localhost/fresh-links/${expired}`, { method: 'POST', headers: sameOrigin });
    expect(fresh.status).toBeLessThan(500);
    await expectPrivatePage(fresh, 'fresh link');
  });
});

describe('every other response', () => {
  it('every HTML page starts with a doctype; nothing but the stylesheets is stored, nothing but the register form indexed', async () => {
    const { app } = setup();
    const gets = app.routes.filter((r) => r.method === 'GET' && !r.path.includes(':token') && !r.path.startsWith('/head-office'));
    let pages = 0;
    for (const route of gets) {
      for (const path of pathsOf(route.path, junkToken)) {
        const res = await app.request(`http://localhost${path}`);
        if (path.startsWith('/assets/')) {
          expect(res.headers.get('cache-control'), path).toMatch(/max-age=\d+/);
          expect(res.headers.get('x-robots-tag'), path).toBeNull();
          continue;
        }
        expect(res.headers.get('cache-control'), path).toBe('no-store');
        expect(res.headers.get('x-robots-tag'), path).toBe(path === '/register' ? null : 'noindex');
        if ((res.headers.get('content-type') ?? '').startsWith('text/html')) {
          expect((await res.text()).startsWith('<!doctype html>'), path).toBe(true);
          pages++;
        }
      }
    }
    expect(pages).toBeGreaterThan(0);
    // Pages the error handler draws, and the not-found answer, too.
    for (const res of [await app.request('http://localhost/register', { method: 'POST', headers: { 'content-type': 'text/plain', ...sameOrigin }, body: 'x' }), await app.request('http://localhost/no-such-page')]) {
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-robots-tag')).toBe('noindex');
    }
  });
});
