/**
 * Hostile input at the front door: POST /api/registrations (JSON) and /register (the
 * form), on DynamoDB Local. Bad input of every kind (bad fields, broken or oversized
 * bodies, the wrong content type, files for text) gets a 4xx with a clear message and
 * writes nothing; text the product accepts however hostile (markup, mustache, formulas,
 * unicode tricks) is stored, and every page and email that shows it escapes it, with
 * nothing but one line in any email header.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { newFreshLinkRequestFilter } from '../../functions/adapters/dynamo/stream-filters.js';
import { createFreshLinkWatcher } from '../../functions/watchers/fresh-link-watcher-handler.js';
import { linksIn, pathOf } from '../support/magic-links.js';
import { isConfirmationRequest } from '../support/registrations.js';
import {
  acceptedHostileLine,
  expectClearRefusal,
  expectSafeAnswer,
  expectSafeEmail,
  hostileText,
  hostileWorld,
  isOversized,
  mailEscaped,
  materialise,
  pageEscaped,
  rawBody,
  runs,
  sameOrigin,
  strangeContentType,
  strangeFieldName,
  unescapedMarkup,
  type World,
} from './support.js';
import { analystOnly } from '../support/memory-ports.js';

let w: World;
beforeAll(async () => {
  w = await hostileWorld();
  // One practice already linked with bushy, so a repeat is a 409.
  expect((await w.register(body(0))).status).toBe(201);
  await w.introduce();
});

/** A valid registration whose practice and champion are new for each `n`. */
function body(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    practiceCode: `Z${String(n).padStart(5, '0')}`,
    practiceName: 'Riverside Surgery',
    postcode: 'TW11 0AA',
    champion: { name: 'Dr Jane Smith', role: 'GP', email: `champion${n}@nhs.example`, phone: '020 7946 0000' },
    events: ['bushy'],
    contactedEventTeam: false,
    ...overrides,
  };
}
let next = 1;

// ---- What docs/product.md's table of rules (The registration API) says is not acceptable, field by field.

const singleLine = (v: string) => !/[\r\n\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(v) && !/[\ud800-\udfff]/u.test(v);
/** Leading and trailing space (line breaks included) is trimmed away, so only what is left must be one line; length is in characters (code points). */
const badLine = (max: number) => (v: unknown) => typeof v !== 'string' || v.trim().length === 0 || [...v.trim()].length > max || !singleLine(v.trim());
const badCode = (v: unknown) => typeof v !== 'string' || !/^(?:[A-Z]\d{5}|\d{5})$/.test(v.trim().toUpperCase());
const badPostcode = (v: unknown) => typeof v !== 'string' || !/^(?:[A-Z]{1,2}\d[A-Z\d]?) ?\d[A-Z]{2}$/.test(v.trim().toUpperCase().replace(/\s+/g, ' '));
/** Anything failing this loose shape fails any email check: no spaces, brackets or quotes, one @, a dot after it. */
const badEmail = (v: unknown) => typeof v !== 'string' || !/^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+\.[^\s@<>()",;:\\[\]]+$/.test(v.trim());
const badPhone = (v: unknown) => v !== undefined && (typeof v !== 'string' || (v.trim() !== '' && !/^\+?[\d ()-]{7,20}$/.test(v.trim())));
/** Events are named by short or long name; what no event can be called: over 100 characters, or control characters once spaces are collapsed. */
const badEventName = (v: string) => {
  const name = v.trim().replace(/\s+/g, ' ');
  return name.length > 100 || /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udfff]/u.test(name);
};
const badYesNo = (v: unknown) => typeof v !== 'boolean' && v !== 'yes' && v !== 'no';

const notAString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }));
const candidate = fc.oneof({ weight: 4, arbitrary: hostileText }, { weight: 1, arbitrary: notAString });
const badValue = (isBad: (v: unknown) => boolean) => candidate.filter(isBad);

type Corruption = { path: string[]; value: unknown };
/** One change that makes a registration unacceptable. */
const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  badValue(badCode).map((value) => ({ path: ['practiceCode'], value })),
  badValue(badLine(120)).map((value) => ({ path: ['practiceName'], value })),
  badValue(badPostcode).map((value) => ({ path: ['postcode'], value })),
  badValue(badLine(100)).map((value) => ({ path: ['champion', 'name'], value })),
  badValue(badLine(60)).map((value) => ({ path: ['champion', 'role'], value })),
  fc
    .oneof(candidate, fc.tuple(fc.emailAddress(), fc.constantFrom('\r\nBcc: hstl@evil.example', '\nCc:x@y.z', '<hstl>', ' ', ',x@y.z')).map(([e, x]) => `${e}${x}`))
    .filter(badEmail)
    .map((value) => ({ path: ['champion', 'email'], value })),
  badValue(badPhone).map((value) => ({ path: ['champion', 'phone'], value })),
  badValue(badYesNo).map((value) => ({ path: ['contactedEventTeam'], value })),
  fc
    .oneof(
      fc.array(hostileText, { minLength: 1, maxLength: 4 }).filter((names) => names.some((n) => n.trim() !== '' && badEventName(n))),
      fc.constant([]),
      fc.constant(['', ' ']),
      fc.constant(['a', 'b', 'c', 'd', 'e', 'f']),
      notAString.filter((v) => !Array.isArray(v)),
    )
    .map((value) => ({ path: ['events'], value })),
  notAString.map((value) => ({ path: ['champion'], value })),
);

function apply(target: Record<string, unknown>, { path, value }: Corruption) {
  let at = target;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) return;
    at = at[key] as Record<string, unknown>;
  }
  at[path.at(-1)!] = value;
}

const extraFields = fc.dictionary(strangeFieldName, hostileText, { maxKeys: 3 });

describe('POST /api/registrations with hostile JSON', () => {
  it('refuses any registration with a bad field: 400 naming the field, or 422 for an unknown event, and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(corruption, { minLength: 1, maxLength: 3 }), extraFields, async (corruptions, extra) => {
        const registration = { ...extra, ...body(next++) };
        for (const c of corruptions) apply(registration, c);
        const res = await w.unchanged(() => w.register(registration));
        const text = await expectClearRefusal(res, [400]);
        const fields = Object.keys((JSON.parse(text) as { fields: Record<string, string> }).fields);
        // Every field named is one that was broken (or its parent, when a whole object was replaced).
        for (const field of fields) expect(corruptions.some((c) => c.path.join('.').startsWith(field) || field.startsWith(c.path.join('.')))).toBe(true);
      }),
      runs(100),
    );
  });

  it('answers unknown events with 422 naming them, and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,8}(?:-[a-z0-9]{1,8})?$/), { minLength: 1, maxLength: 4 }).filter((n) => !n.includes('bushy') && !n.includes('cardiff')), async (unknown) => {
        const res = await w.unchanged(() => w.register(body(next++, { events: ['bushy', ...unknown] })));
        const json = JSON.parse(await expectClearRefusal(res, [422])) as { events: string[] };
        expect(json.events.sort()).toEqual([...unknown].sort());
      }),
      runs(30),
    );
  });

  it('refuses bodies that are not a JSON registration: 415 for any type but JSON, 400 for broken JSON, 413 when oversized, nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(rawBody, fc.option(strangeContentType, { nil: undefined }), async (raw, type) => {
        // Without a type, fetch labels a string body text/plain.
        const sent = type ?? (typeof materialise(raw) === 'string' ? 'text/plain' : '');
        const res = await w.unchanged(() => w.request('/api/registrations', { method: 'POST', headers: type === undefined ? {} : { 'content-type': type }, body: materialise(raw) }));
        await expectClearRefusal(res, [isOversized(raw) ? 413 : sent === 'application/json' ? 400 : 415]);
      }),
      runs(60),
    );
  });

  it('refuses a valid registration sent with another content type: 415, nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(strangeContentType.filter((t) => t !== 'application/json'), async (type) => {
        const res = await w.unchanged(() => w.request('/api/registrations', { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify(body(next++)) }));
        await expectClearRefusal(res, [415]);
      }),
      runs(15),
    );
  });

  it('refuses an oversized registration even when its fields are fine: 413, nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 70_000, max: 2_000_000 }), fc.constantFrom('padding', 'notes', 'comment'), async (size, field) => {
        const res = await w.unchanged(() => w.register({ ...body(next++), [field]: 'x'.repeat(size) }));
        await expectClearRefusal(res, [413]);
      }),
      runs(8),
    );
  });

  it('answers a repeated link with 409 and writes nothing, however the repeat is spelled', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('Z00000', 'z00000', ' Z00000 ', '\tz00000'), fc.constantFrom(['bushy'], ['BUSHY'], [' bushy', 'bushy '], ['bushy', 'cardiff']), async (code, events) => {
        const res = await w.unchanged(() => w.register(body(next++, { practiceCode: code, events })));
        await expectClearRefusal(res, [409]);
      }),
      runs(10),
    );
  });
});

// ---- The form. --------------------------------------------------------------------------

const formNames: Record<string, string> = {
  practiceCode: 'practiceCode',
  practiceName: 'practiceName',
  postcode: 'postcode',
  'champion.name': 'championName',
  'champion.role': 'championRole',
  'champion.email': 'championEmail',
  'champion.phone': 'championPhone',
  contactedEventTeam: 'contactedEventTeam',
};

function formPairs(registration: Record<string, unknown>): Array<[string, string]> {
  const champion = registration.champion as Record<string, string>;
  const pairs: Array<[string, string]> = [
    ['practiceCode', String(registration.practiceCode)],
    ['practiceName', String(registration.practiceName)],
    ['postcode', String(registration.postcode)],
    ['championName', champion.name!],
    ['championRole', champion.role!],
    ['championEmail', champion.email!],
    ['championPhone', champion.phone ?? ''],
    ['contactedEventTeam', registration.contactedEventTeam ? 'yes' : 'no'],
  ];
  for (const e of registration.events as string[]) pairs.push(['events', e]);
  return pairs;
}

/** A form field made bad: a hostile value the rules refuse, left out, or sent twice. */
const formCorruption = fc.oneof(
  fc.constantFrom(...Object.keys(formNames)).chain((path) => {
    const isBad = { practiceCode: badCode, practiceName: badLine(120), postcode: badPostcode, 'champion.name': badLine(100), 'champion.role': badLine(60), 'champion.email': badEmail, 'champion.phone': badPhone, contactedEventTeam: badYesNo }[path]!;
    return fc.oneof(
      // A form cannot carry a lone surrogate: the browser sends U+FFFD for it, so that is what the rules see.
      hostileText.filter((v) => isBad(v.replace(/[\ud800-\udfff]/gu, '\ufffd'))).map((value) => ({ name: formNames[path]!, how: 'replace' as const, value })),
      // The phone is optional: leaving it out, or sending it twice, is not a mistake the form must catch.
      ...(path === 'champion.phone'
        ? []
        : [fc.constant({ name: formNames[path]!, how: 'drop' as const, value: '' }), hostileText.map((value) => ({ name: formNames[path]!, how: 'twice' as const, value }))]),
    );
  }),
  // As above, the browser sends U+FFFD for a lone surrogate.
  fc.array(hostileText, { minLength: 1, maxLength: 3 }).filter((names) => names.some((n) => n.trim() !== '' && badEventName(n.replace(/[\ud800-\udfff]/gu, '\ufffd')))).map((value) => ({ name: 'events', how: 'events' as const, value })),
);

function corruptForm(pairs: Array<[string, string]>, c: { name: string; how: 'replace' | 'drop' | 'twice' | 'events'; value: unknown }): Array<[string, string]> {
  if (c.how === 'events') return [...pairs.filter(([n]) => n !== 'events'), ...(c.value as string[]).map((v): [string, string] => ['events', v])];
  if (c.how === 'drop') return pairs.filter(([n]) => n !== c.name);
  // Twice over, so the field is repeated even if another corruption dropped it first.
  if (c.how === 'twice') return [...pairs, [c.name, String(c.value)], [c.name, String(c.value)]];
  return pairs.map(([n, v]): [string, string] => [n, n === c.name ? String(c.value) : v]);
}

describe('/register with a hostile form', () => {
  it('shows the form again with a message beside each bad field (400), every value it echoes escaped, and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(formCorruption, { minLength: 1, maxLength: 3 }), fc.array(fc.tuple(strangeFieldName, hostileText), { maxLength: 3 }), async (corruptions, extra) => {
        let pairs = formPairs(body(next++));
        for (const c of corruptions) pairs = corruptForm(pairs, c);
        pairs.push(...extra.filter(([n]) => !Object.values(formNames).includes(n) && n !== 'events'));
        const res = await w.unchanged(() => w.postForm('/register', pairs));
        const page = await expectClearRefusal(res, [400]);
        expect(page).toContain('There is a problem');
        expect(page).toContain('<form method="post" action="/register"');
      }),
      runs(80),
    );
  });

  it('refuses a form body of another type (415), one it cannot read (400) or an oversized one (413), with a clear page, and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(rawBody, strangeContentType, async (raw, type) => {
        const res = await w.unchanged(() => w.request('/register', { method: 'POST', headers: { ...sameOrigin, 'content-type': type }, body: materialise(raw) }));
        const form = type === '' || type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data');
        await expectClearRefusal(res, [isOversized(raw) ? 413 : form ? 400 : 415]);
      }),
      runs(60),
    );
  });

  it('refuses files in place of text fields, and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray(['practiceName', 'championName', 'championEmail', 'events', 'postcode'], { minLength: 1 }), fc.uint8Array({ maxLength: 64 }), async (asFiles, bytes) => {
        const form = new FormData();
        for (const [name, value] of formPairs(body(next++))) {
          if (asFiles.includes(name)) form.append(name, new Blob([bytes], { type: 'text/html' }), '<hstl>.html');
          else form.append(name, value);
        }
        const res = await w.unchanged(() => w.request('/register', { method: 'POST', headers: sameOrigin, body: form }));
        await expectClearRefusal(res, [400]);
      }),
      runs(20),
    );
  });

  it('draws the empty form safely whatever events the query preselects, and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileText.filter((s) => s.length < 2000), { maxLength: 3 }), async (preset) => {
        const query = new URLSearchParams(preset.map((e) => ['event', e])).toString();
        const res = await w.unchanged(() => w.get(`/register${query ? `?${query}` : ''}`));
        expect(res.status).toBe(200);
        await expectSafeAnswer(res);
      }),
      runs(30),
    );
  });
});

// ---- Hostile text the product accepts, followed into the table, the emails and the pages. --

describe('hostile names that are accepted', () => {
  it('are stored as typed, and every page and email that shows them escapes them, with one-line headers', async () => {
    await fc.assert(
      fc.asyncProperty(
        acceptedHostileLine(120),
        acceptedHostileLine(100),
        acceptedHostileLine(60),
        fc.boolean(),
        fc.constantFrom('bushy', 'cardiff'),
        async (practiceName, championName, championRole, asForm, event) => {
          const n = next++;
          // Five weeks on for each registration, same weekday and hour, and always a later month:
          // the directors' budget of unasked email (a week apart, two a month:
          // policies/mail-budget.ts) is free again, so their introduction goes at once.
          w.clock.advance(35 * 86_400_000);
          const registration = body(n, { practiceName, champion: { name: championName, role: championRole, email: `champion${n}@nhs.example` }, events: [event] });
          const sentBefore = w.transport.sent.length;
          const res = asForm ? await w.postForm('/register', formPairs(registration)) : await w.register(registration);
          const answer = await expectSafeAnswer(res);
          expect(res.status, answer.slice(0, 300)).toBe(201);
          if (asForm) expect(answer).toContain(pageEscaped(practiceName));

          const code = String(registration.practiceCode);
          // Asked to confirm, the champion does: only then is the practice on record.
          expect(await w.store.partnerships.getPractice(code)).toBeUndefined();
          expect(await w.introduce()).toBeGreaterThanOrEqual(2);
          const practice = await w.store.partnerships.getPractice(code);
          expect(practice).toMatchObject({ name: practiceName, champion: { name: championName, role: championRole } });
          const ask = w.transport.sent.slice(sentBefore).find((e) => e.to === `champion${n}@nhs.example` && isConfirmationRequest(e))!;
          expectSafeEmail(ask);
          expect(ask.html).toContain(mailEscaped(practiceName));

          // This registration's introductions: to its champion, and to the event team naming that champion.
          const emails = w.transport.sent.slice(sentBefore).filter((e) => !isConfirmationRequest(e) && (e.to === `champion${n}@nhs.example` || e.text.includes(`champion${n}@nhs.example`)));
          expect(emails.map((e) => e.to).sort()).toEqual([`champion${n}@nhs.example`, ...(event === 'bushy' ? ['sarah@parkrun.example', 'tom@parkrun.example'] : ['rhys@parkrun.example'])].sort());
          for (const email of emails) {
            expectSafeEmail(email);
            expect(email.text).toContain(practiceName);
            expect(email.html).toContain(mailEscaped(practiceName));
          }
          // The event team's email names the champion; its answer page shows both names, escaped.
          const toTeam = emails.find((e) => e.to !== `champion${n}@nhs.example`)!;
          expect(toTeam.text).toContain(championName);
          expect(toTeam.html).toContain(mailEscaped(championName));
          const page = await w.get(pathOf(linksIn(toTeam)["We're in touch"]!));
          const html = await expectSafeAnswer(page);
          expect(page.status).toBe(200);
          expect(html).toContain(pageEscaped(practiceName));
          expect(unescapedMarkup(html)).toEqual([]);

          // The champion asks for a new link: the fresh-link email names the practice, escaped too.
          const champion = `champion${n}@nhs.example`;
          const token = pathOf(linksIn(emails.find((e) => e.to === champion)!)["We're in touch"]!).split('/').pop()!;
          const fresh = await w.request(`/fresh-links/${token}`, { method: 'POST', headers: sameOrigin });
          await expectSafeAnswer(fresh);
          expect(fresh.status).toBe(202);
          expect(await w.watch(newFreshLinkRequestFilter, createFreshLinkWatcher({ ...w.deps, allowlist: analystOnly }))).toBe(1);
          const renewed = w.mailTo(champion).at(-1)!;
          expect(renewed.subject).toMatch(/^Your new link/);
          expectSafeEmail(renewed);
          expect(renewed.text).toContain(practiceName);
          expect(renewed.html).toContain(mailEscaped(practiceName));
        },
      ),
      runs(12),
    );
  });
});
