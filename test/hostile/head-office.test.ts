/**
 * Hostile input at the head-office dashboard, on DynamoDB Local: the sign-in form and
 * sign-in links, every guarded page and form without a session and with forged ones, and,
 * with a real signed-in session (made by a real sign-in link through the real routes),
 * hostile scopes, statuses, page cursors, link ids and forms. Nothing is written for bad
 * input, no answer is a 5xx, and practice names full of markup and spreadsheet formulas
 * are escaped on the pages and defused and quoted in the CSVs.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { headOfficeFilter, newFreshLinkRequestFilter } from '../../functions/adapters/dynamo/stream-filters.js';
import { createFreshLinkWatcher } from '../../functions/watchers/fresh-link-watcher-handler.js';
import { analystOnly } from '../support/memory-ports.js';
import { contactMethods } from '../../functions/core/model.js';
import { linkStatuses } from '../../functions/core/policies/dashboard-figures.js';
import { createHeadOfficeWatcher } from '../../functions/watchers/head-office-watcher-handler.js';
import {
  acceptedHostileLine,
  analyst,
  carriesLinkOrMarkup,
  damage,
  damaged,
  encodeForm,
  expectClearRefusal,
  expectSafeAnswer,
  hostileText,
  hostileWorld,
  junkToken,
  pageEscaped,
  riverside,
  runs,
  sameOrigin,
  seg,
  strangeFieldName,
  strangeHeaders,
  type World,
} from './support.js';

let w: World;
let cookie: string;
let signInToken: string;
let answerToken: string;
const link = 'A81001.bushy';

beforeAll(async () => {
  w = await hostileWorld();
  const reg = await w.register(riverside);
  expect(reg.status).toBe(201);
  await w.introduce();
  await w.watch(headOfficeFilter, createHeadOfficeWatcher(w.store));
  cookie = await w.signIn();
  signInToken = await w.mint('head-office-sign-in', analyst, analyst, 'head-office', { expiresInMs: 15 * 60_000 });
  answerToken = await w.mint('in-touch', link, analyst, 'champion');
});

const withSession = (headers: Record<string, string> = {}) => ({ cookie, ...headers });
const form = (pairs: Array<[string, string]>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...sameOrigin, ...headers },
  body: encodeForm(pairs),
});
const badEmail = (v: string) => !/^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+\.[^\s@<>()",;:\\[\]]+$/.test(v.trim());

describe('head-office sign-in under attack', () => {
  it('refuses a sign-in form with a bad address (400, the address echoed escaped), and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(hostileText, fc.tuple(fc.constantFrom(analyst, 'x@y.example'), fc.constantFrom('\r\nBcc: hstl@evil.example', '<hstl>', ' ,x@y.z', '%0d%0a')).map(([a, b]) => `${a}${b}`)).filter(badEmail),
        fc.array(fc.tuple(strangeFieldName, hostileText), { maxLength: 2 }),
        async (email, extra) => {
          const res = await w.unchanged(() => w.request('/head-office/sign-in', form([['email', email], ...extra.filter(([n]) => n !== 'email')])));
          const page = await expectClearRefusal(res, [400]);
          expect(page).toContain('error');
          expect(res.headers.get('set-cookie')).toBeNull();
        },
      ),
      runs(60),
    );
  });

  it('answers an address that may not sign in exactly as one that may, writing the same kinds of item, and the watcher mails it nothing', async () => {
    /** What a request wrote: the entity types of the items that appeared. */
    const writes = async (email: string) => {
      const before = new Set((await w.snapshot()).map((i) => `${i.pk}|${i.sk}`));
      const res = await w.request('/head-office/sign-in', form([['email', email]]));
      const added = (await w.snapshot()).filter((i) => !before.has(`${i.pk}|${i.sk}`)).map((i) => String(i.entityType ?? i.pk).replace(/#.*/, ''));
      return { res, added: added.sort() };
    };
    const listed = await writes(analyst);
    expect(listed.added.length).toBeGreaterThan(0);
    const listedPage = await expectSafeAnswer(listed.res);
    const sent = w.transport.sent.length;
    await fc.assert(
      fc.asyncProperty(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,12}[a-z0-9]$/), fc.stringMatching(/^[a-z]{2,10}$/), fc.constantFrom('', ' ', '  ')).filter(([local]) => !local.includes('..')).map(([local, domain, pad]) => `${pad}${local}@${domain}.example${pad}`).filter((e) => e.trim() !== analyst), async (email) => {
        const { res, added } = await writes(email);
        expect(res.status).toBe(listed.res.status);
        expect(await expectSafeAnswer(res)).toBe(listedPage);
        expect(added).toEqual(listed.added);
      }),
      runs(20),
    );
    await w.watch(newFreshLinkRequestFilter, createFreshLinkWatcher({ ...w.deps, allowlist: analystOnly }));
    expect(new Set(w.transport.sent.slice(sent).map((m) => m.to))).toEqual(new Set([analyst]));
  });

  it('refuses sign-in links that are random, altered, for an answer, expired or used: 404 or 410, no session, nothing written', async () => {
    const expired = await w.mint('head-office-sign-in', analyst, analyst, 'head-office', { expiresInMs: -1 });
    const used = await w.mint('head-office-sign-in', analyst, analyst, 'head-office', { expiresInMs: 15 * 60_000 });
    await w.spend(used);
    const notAllowed = await w.mint('head-office-sign-in', 'ex-staff@parkrun.example', 'ex-staff@parkrun.example', 'head-office', { expiresInMs: 15 * 60_000 });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(junkToken.map(seg), damage.map((how) => seg(damaged(signInToken, how))), fc.constantFrom(expired, used, answerToken, notAllowed)),
        fc.constantFrom('GET', 'POST'),
        async (token, method) => {
          const res = await w.unchanged(() => w.request(`/head-office/sign-in/${token}`, method === 'GET' ? {} : form([])));
          await expectClearRefusal(res, [403, 404, 410]);
          expect(res.headers.get('set-cookie')).toBeNull();
        },
      ),
      runs(60),
    );
  });
});

const guarded: Array<{ method: 'GET' | 'POST'; path: string; data: boolean }> = [
  { method: 'GET', path: '/head-office', data: false },
  { method: 'GET', path: '/head-office/series.csv', data: true },
  { method: 'GET', path: '/head-office/links?status=introduced', data: false },
  { method: 'GET', path: '/head-office/links.csv?status=introduced', data: true },
  { method: 'GET', path: '/head-office/events?list=without-links', data: false },
  { method: 'GET', path: '/head-office/events.csv?list=without-links', data: true },
  { method: 'GET', path: `/head-office/links/${link}`, data: false },
  { method: 'GET', path: `/head-office/links/${link}/audit.csv`, data: true },
  { method: 'POST', path: `/head-office/links/${link}/contact`, data: false },
  { method: 'POST', path: `/head-office/links/${link}/introduction`, data: false },
  { method: 'GET', path: '/head-office/events?list=without-directors', data: false },
  { method: 'GET', path: '/head-office/events.csv?list=left-feed', data: true },
  { method: 'GET', path: '/head-office/events/bushy', data: false },
  { method: 'POST', path: '/head-office/events/bushy/directors', data: false },
  { method: 'POST', path: '/head-office/events/bushy/directors/remove', data: false },
];

describe('head-office pages without a real session', () => {
  it('send a browser to sign in and a script a 401, whatever cookie is forged, and write nothing', async () => {
    const [id, signature] = cookie.slice('ho_session='.length).split('.');
    const forged = fc.oneof(
      strangeHeaders.map((h) => h.cookie ?? ''),
      fc.constantFrom(`ho_session=${id}.${signature}x`, `ho_session=${id}`, `ho_session=${signature}.${id}`, `ho_session=${id!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}.${signature}`, `ho_session=${id}.${signature}.${signature}`, `other=${id}.${signature}`),
      fc.stringMatching(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/).map((v) => `ho_session=${v}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...guarded), forged, fc.array(fc.tuple(strangeFieldName, hostileText), { maxLength: 3 }), fc.boolean(), async (route, forgedCookie, pairs, wantsJson) => {
        const headers = { cookie: forgedCookie, ...(wantsJson ? { accept: 'application/json' } : {}) };
        const res = await w.unchanged(() => (route.method === 'GET' ? w.request(route.path, { headers }) : w.request(route.path, form(pairs, headers))));
        if (route.data || wantsJson) {
          await expectClearRefusal(res, [401]);
        } else {
          expect(res.status).toBe(303);
          expect(res.headers.get('location')).toBe('/head-office/sign-in');
        }
      }),
      runs(60),
    );
  });

  it('signs nobody out with a forged cookie, and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(strangeHeaders, async (headers) => {
        const res = await w.unchanged(() => w.request('/head-office/sign-out', { method: 'POST', headers: { ...sameOrigin, ...headers } }));
        expect(res.status).toBe(200);
        await expectSafeAnswer(res);
        expect((await w.request('/head-office', { headers: withSession() })).status).toBe(200);
      }),
      runs(20),
    );
  });
});

/** A page cursor as the links page makes one, with its fields chosen by an attacker. */
const cursor = fc.oneof(
  junkToken,
  hostileText,
  fc
    .record({ pk: hostileText, sk: hostileText, statusKey: fc.oneof(fc.constant('STATUS#introduced'), hostileText), placeKey: fc.oneof(fc.constantFrom('', 'England#', 'England#London#bushy#'), hostileText) })
    .map((c) => Buffer.from(JSON.stringify(c)).toString('base64url')),
  fc.record({ pk: fc.constant(''), sk: fc.constant(''), statusKey: fc.constant('STATUS#introduced'), placeKey: fc.constant('') }).map((c) => Buffer.from(JSON.stringify(c)).toString('base64url')),
  fc.integer({ min: 1025, max: 4000 }).map((n) => Buffer.from(JSON.stringify({ pk: 'P'.repeat(n), sk: 'LINK#x', statusKey: 'STATUS#introduced', placeKey: 'England#' })).toString('base64url')),
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
);
const scope = fc.oneof(
  fc.tuple(fc.constantFrom('country:', 'region:', 'event:', 'COUNTRY:', 'place:', ''), hostileText).map(([k, v]) => `${k}${v}`),
  fc.constantFrom('ALL', 'all', 'country:England', 'region:London', 'event:bushy', 'event:BUSHY', 'region:London#x', 'event:'),
);

describe("an event's team page with a real session and hostile input", () => {
  it('answers any event name with its page or a clear 404, and any list with the list or a clear 400, writing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileText.filter((t) => t.length > 0 && t.length < 200), fc.constantFrom('bushy', 'BUSHY', 'bushy.', 'cardiff', 'atlantis')), fc.option(hostileText, { nil: undefined }), async (name, list) => {
        const page = await w.unchanged(() => w.request(`/head-office/events/${seg(name)}`, { headers: withSession() }));
        if (['bushy', 'cardiff'].includes(name)) {
          expect(page.status).toBe(200);
          await expectSafeAnswer(page);
        } else await expectClearRefusal(page, [404]);
        if (list !== undefined) {
          const listed = await w.unchanged(() => w.request(`/head-office/events?${encodeForm([['list', list]])}`, { headers: withSession() }));
          if (listed.status === 200) await expectSafeAnswer(listed);
          else await expectClearRefusal(listed, [400]);
        }
      }),
      runs(40),
    );
  });

  it('refuses a director with a bad name or address, a stale form or one to take off who is not one, with a clear 400 and nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/head-office/events/bushy/directors', '/head-office/events/bushy/directors/remove'),
        fc.oneof(hostileText, fc.constant('Sarah Okafor')),
        fc.oneof(hostileText.filter(badEmail), fc.constant('nobody@parkrun.example')),
        fc.oneof(hostileText, fc.uuid()),
        async (path, name, email, requestId) => {
          // An address that is valid but not a director can only be taken off: adding it would be a real change.
          // A form cannot carry a lone surrogate: the browser sends U+FFFD for it, so that is what the rules see.
          const addsValid = path.endsWith('/directors') && !badEmail(email) && acceptableName(name.replace(/[\ud800-\udfff]/gu, '\ufffd'));
          fc.pre(!addsValid);
          const res = await w.unchanged(() => w.request(path, form([['requestId', requestId], ['name', name], ['email', email]], withSession())));
          const body = await expectClearRefusal(res, [400]);
          expect(body).not.toContain('Invalid input');
        },
      ),
      runs(60),
    );
  });
});

/** A name the director form would take: one line, 1 to 100 characters once trimmed, counted as people count them (code points: an emoji is one, as zod's maxLength counts it). */
const acceptableName = (v: string) => v.trim().length > 0 && [...v.trim()].length <= 100 && !/[\r\n\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udfff]/u.test(v.trim()) && !carriesLinkOrMarkup(v);

describe('head-office pages with a real session and hostile parameters', () => {
  it('answer any scope, status and page cursor with the page or a clear 400: never a 5xx, never unescaped, nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/head-office', '/head-office/series.csv', '/head-office/links', '/head-office/links.csv', '/head-office/events', '/head-office/events.csv'),
        fc.option(scope, { nil: undefined }),
        fc.option(fc.oneof(fc.constantFrom(...linkStatuses), hostileText), { nil: undefined }),
        fc.option(cursor, { nil: undefined }),
        async (path, scopeValue, status, after) => {
          const query = encodeForm([
            ...(scopeValue === undefined ? [] : [['scope', scopeValue] as [string, string]]),
            ...(status === undefined ? [] : [['status', status] as [string, string]]),
            ...(after === undefined ? [] : [['after', after] as [string, string]]),
          ]);
          const res = await w.unchanged(() => w.request(`${path}?${query}`, { headers: withSession() }));
          if (res.status === 200) {
            const bytes = new Uint8Array(await res.clone().arrayBuffer());
            await expectSafeAnswer(res);
            if (path.endsWith('.csv')) {
              expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[A-Za-z0-9._-]+"$/);
              expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
            }
          } else {
            const body = await expectClearRefusal(res, [400]);
            expect(body).not.toContain('Invalid input');
          }
        },
      ),
      runs(80),
    );
  });

  it('answer a forged page cursor on a list with the page or a clear 400, never a 5xx, and nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('ALL', 'country:Wales', 'country:England', 'region:London', 'event:bushy'), cursor, async (scopeValue, after) => {
        const res = await w.unchanged(() => w.request(`/head-office/links?${encodeForm([['status', 'introduced'], ['scope', scopeValue], ['after', after]])}`, { headers: withSession() }));
        if (res.status === 200) await expectSafeAnswer(res);
        else expect(await expectClearRefusal(res, [400])).toContain('This page link is broken');
      }),
      runs(50),
    );
  });

  it("answer any link id with the link's page or a clear 404, a CSV with a safe file name, and nothing written", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(hostileText.filter((s) => s.length > 0 && s.length < 300), fc.constantFrom(link, 'A81001.BUSHY', 'a81001.bushy', 'A81001.bushy.', '..', 'A81002.bushy', 'Z99999.atlantis')),
        fc.constantFrom('', '/audit.csv'),
        async (id, suffix) => {
          const res = await w.unchanged(() => w.request(`/head-office/links/${seg(id)}${suffix}`, { headers: withSession() }));
          if (id === link) {
            expect(res.status).toBe(200);
            await expectSafeAnswer(res);
            if (suffix) expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[A-Za-z0-9._-]+"$/);
          } else {
            await expectClearRefusal(res, [404]);
          }
        },
      ),
      runs(50),
    );
  });

  it("refuse a bad contact or introduction form on a link's page: 400 with the page and a message, nothing written", async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const today = '2026-11-24';
    const goodDay = (v: string) => v.trim() === '' || (/^\d{4}-\d{2}-\d{2}$/.test(v.trim()) && new Date(Date.parse(`${v.trim()}T12:00:00Z`) || 0).toISOString().slice(0, 10) === v.trim() && v.trim() <= today && v.trim() >= '2025-11-23');
    const goodHow = (v: string) => v === '' || Object.hasOwn(contactMethods, v);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('contact', 'introduction'),
        fc.record({
          requestId: fc.option(fc.oneof(fc.uuid(), hostileText), { nil: undefined }),
          contactedOn: fc.option(fc.oneof(fc.constantFrom(today, '2026-11-01', '2026-13-01', '2026-02-30', '9999-99-99', '2030-01-01', '2020-01-01'), hostileText), { nil: undefined }),
          how: fc.option(fc.oneof(fc.constantFrom('email', 'phone'), hostileText), { nil: undefined }),
        }),
        async (action, f) => {
          const valid = f.requestId !== undefined && uuid.test(f.requestId) && (action === 'introduction' || (goodDay(f.contactedOn ?? '') && goodHow(f.how ?? '')));
          fc.pre(!valid);
          const pairs = Object.entries(f).filter((e): e is [string, string] => e[1] !== undefined);
          const res = await w.unchanged(() => w.request(`/head-office/links/${link}/${action}`, form(pairs, withSession())));
          const page = await expectClearRefusal(res, [400]);
          expect(page).toContain('error-summary');
        },
      ),
      runs(60),
    );
  });

  it('refuse a form of another type (415), an unreadable one (400) or an oversized one (413), and write nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(`/head-office/links/${link}/contact`, `/head-office/links/${link}/introduction`, '/head-office/sign-in', '/head-office/sign-out'),
        fc.oneof(
          fc.record({ type: fc.constantFrom('multipart/form-data', 'multipart/form-data; boundary=hstl'), body: fc.string({ maxLength: 60 }), status: fc.constant(400) }),
          fc.record({ type: fc.constant('application/x-www-form-urlencoded'), body: fc.integer({ min: 70_000, max: 300_000 }).map((n) => `email=${'a'.repeat(n)}`), status: fc.constant(413) }),
          fc.record({ type: fc.constantFrom('application/json', 'text/plain'), body: fc.constantFrom(`{"email":"${analyst}"}`, `email=${analyst}`), status: fc.constant(415) }),
        ),
        async (path, { type, body, status }) => {
          // Signing out reads no form: only its size is refused.
          fc.pre(path !== '/head-office/sign-out' || status === 413);
          const res = await w.unchanged(() => w.request(path, { method: 'POST', headers: { ...sameOrigin, 'content-type': type, cookie }, body }));
          await expectClearRefusal(res, [status]);
        },
      ),
      runs(20),
    );
  });
});

/** RFC 4180, as a spreadsheet reads it: quoted fields, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = text.startsWith('\uFEFF') ? 1 : 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += ch;
  }
  return rows;
}

describe('hostile practice names on the dashboard', () => {
  let n = 100;
  it('are escaped on every head-office page, and quoted with formulas defused in every CSV', async () => {
    await fc.assert(
      fc.asyncProperty(acceptedHostileLine(120), acceptedHostileLine(100), async (practiceName, championName) => {
        const code = `B${String(n++).padStart(5, '0')}`;
        const res = await w.register({
          practiceCode: code,
          practiceName,
          postcode: 'TW11 0AA',
          champion: { name: championName, role: '=cmd|hstl', email: `${code.toLowerCase()}@nhs.example` },
          events: ['cardiff'],
          contactedEventTeam: false,
        });
        expect(res.status).toBe(201);
        await w.introduce();
        await w.watch(headOfficeFilter, createHeadOfficeWatcher(w.store));
        const id = `${code}.cardiff`;
        const status = (await w.store.partnerships.getLink(code, 'cardiff'))!.status;

        const story = await w.request(`/head-office/links/${id}`, { headers: withSession() });
        expect(story.status).toBe(200);
        expect(await expectSafeAnswer(story)).toContain(pageEscaped(practiceName));

        const list = await w.request(`/head-office/links?status=${status}&scope=event:cardiff`, { headers: withSession() });
        expect(list.status).toBe(200);
        expect(await expectSafeAnswer(list)).toContain(pageEscaped(practiceName));

        const csv = await w.request(`/head-office/links.csv?status=${status}&scope=event:cardiff`, { headers: withSession() });
        expect(csv.status).toBe(200);
        const rows = parseCsv(await csv.text());
        const header = rows[0]!;
        const row = rows.find((r) => r[header.indexOf('link')] === id)!;
        const defused = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
        expect(row[header.indexOf('practice')]).toBe(defused(practiceName));
        expect(row[header.indexOf('champion')]).toBe(defused(championName));
        expect(row[header.indexOf('champion_role')]).toBe("'=cmd|hstl");
        // No cell a spreadsheet would run as a formula.
        for (const r of rows) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }),
      runs(6),
    );
  });
});
