/**
 * The hostile-input suite's world and weapons: the real app over a real DynamoDB Local
 * table (one per test file), a recording mail transport, tokens of every purpose minted
 * the way the mailer mints them, a signed-in head-office session, a snapshot of the whole
 * table for "nothing written", and fast-check arbitraries for malicious text, bodies,
 * headers and tokens.
 *
 * Markup in hostile text is built around the marker `hstl`, so a page can be checked for
 * it precisely: an escaped value shows `&lt;hstl`, an unescaped one `<hstl`, and no page
 * of the product contains the marker of its own.
 */
import { StreamReader } from '../support/stream.js';
import { createHmac } from 'node:crypto';
import { PutCommand, ScanCommand, UpdateCommand } from '../../functions/adapters/dynamo/document-client.js';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import fc from 'fast-check';
import { expect, vi } from 'vitest';

// Each property runs hundreds of requests against DynamoDB Local: quick alone, but npm test
// runs every file at once on two cores, so give each test room beyond the usual 30 s.
vi.setConfig({ testTimeout: 180_000 });
import { createApp } from '../../functions/api/app.js';
import { MovableClock } from '../../functions/adapters/clock.js';
import { eventItem, keys } from '../../functions/adapters/dynamo/items.js';
import { newRegistrationFilter, type StreamFilter } from '../../functions/adapters/dynamo/stream-filters.js';
import { confirmationIn, isConfirmationRequest } from '../support/registrations.js';
import { createRegistrationWatcher } from '../../functions/watchers/registration-watcher-handler.js';
import type { LinkHolder, ParkrunEvent } from '../../functions/core/model.js';
import type { OutgoingEmail, TokenPurpose } from '../../functions/core/ports.js';
import { apiDeps, mailDeps, storeDeps } from '../../functions/wiring.js';
import { createTestTable } from '../support/dynamo.js';
import { anEvent } from '../support/fixtures.js';
import { FixedClock, mailSettings, RecordingTransport } from '../support/memory-ports.js';
import { defaultAbuseLimits, type AbuseLimits } from '../../functions/core/policies/abuse-limits.js';
import { defaultNudgePolicy } from '../../functions/core/policies/quiet-link-ladder.js';

export const analyst = 'analyst@parkrun.example';
export const director = 'sarah@parkrun.example';
/** Tuesday 24 November 2026, 10:00 in London: inside every mail window. */
export const start = new Date('2026-11-24T10:00:00Z');
const tokenSecret = 'k'.repeat(48);
const day = 86_400_000;

export const events: ParkrunEvent[] = [
  anEvent(),
  anEvent({ shortName: 'cardiff', name: 'Cardiff parkrun', country: 'Wales', region: 'Wales', eventDirectors: [{ name: 'Rhys Evans', email: 'rhys@parkrun.example' }] }),
];

/** Headers a same-origin browser form post carries, so a request reaches its handler. */
/** The practice every hostile world registers first, linked with Bushy: link A81001.bushy. */
export const riverside = {
  practiceCode: 'A81001',
  practiceName: 'Riverside Surgery',
  postcode: 'TW11 0AA',
  champion: { name: 'Dr Jane Smith', role: 'GP', email: 'jane.smith@nhs.example' },
  events: ['bushy'],
  contactedEventTeam: false,
};

export const sameOrigin = { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' };

export type World = Awaited<ReturnType<typeof hostileWorld>>;

/** The default limits a hundred times over: high enough for a property's runs, still limits. */
const generousLimits = Object.fromEntries(
  Object.entries(defaultAbuseLimits).map(([action, rules]) => [action, Object.fromEntries(Object.entries(rules).map(([rule, a]) => [rule, { ...a, count: a.count * 100 }]))]),
) as AbuseLimits;

export async function hostileWorld() {
  const t = await createTestTable();
  for (const e of events) await t.doc.send(new PutCommand({ TableName: t.tableName, Item: eventItem(e) }));
  const clock = new MovableClock(new FixedClock(start));
  // The limits on what a stranger can make us send are the abuse suite's business
  // (test/integration/abuse-limits.test.ts); these properties try many valid answers in one day.
  const store = storeDeps(t.doc, t.tableName, tokenSecret, clock, defaultNudgePolicy, generousLimits);
  const transport = new RecordingTransport();
  const deps = mailDeps(store, { ...mailSettings }, transport);
  const app = createApp(apiDeps(store, { addresses: [analyst] }));

  /** Every item in the table, in key order: compared before and after, it shows any write. */
  const snapshot = async () => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await t.doc.send(new ScanCommand({ TableName: t.tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items.sort((a, b) => `${a.pk}\u0000${a.sk}`.localeCompare(`${b.pk}\u0000${b.sk}`));
  };

  /**
   * The stream from where this consumer (one per filter, as each watcher has its own event
   * source mapping) last read it: each call returns only records it has not had.
   */
  const readers = new Map<StreamFilter | undefined, StreamReader>();
  const newRecords = (filter?: StreamFilter): Promise<DynamoDBRecord[]> => {
    const reader = readers.get(filter) ?? new StreamReader(t.streams, t.streamArn);
    readers.set(filter, reader);
    return reader.next(filter);
  };
  /** Runs a stream watcher over what is new on the stream for its filter; every record must succeed. */
  const watch = async (filter: StreamFilter, watcher: (e: DynamoDBStreamEvent, c: never) => Promise<{ batchItemFailures: unknown[] } | void>) => {
    generation++;
    const records = await newRecords(filter);
    if (records.length > 0) expect(await watcher({ Records: records }, {} as never)).toEqual({ batchItemFailures: [] });
    return records.length;
  };

  /** A token as the mailer issues it; `expiresInMs` may be negative for an expired one. */
  const mint = (purpose: TokenPurpose, subject: string, recipient: string, role?: LinkHolder, options: { detail?: Record<string, string>; expiresInMs?: number } = {}) => {
    generation++;
    return store.tokens.issue(
      {
        purpose,
        subject,
        recipient,
        ...(role ? { role } : {}),
        ...(options.detail ? { detail: options.detail } : {}),
        expiresAt: new Date(clock.now().getTime() + (options.expiresInMs ?? 14 * day)),
      },
      clock.now(),
    );
  };
  /** Marks a token used, as its single-use POST would have. */
  const spend = async (token: string) => {
    generation++;
    const hash = createHmac('sha256', tokenSecret).update(token).digest('base64url');
    await t.doc.send(new UpdateCommand({ TableName: t.tableName, Key: keys.token(hash), UpdateExpression: 'SET usedAt = :u, uses = uses + :one', ExpressionAttributeValues: { ':u': clock.now().toISOString(), ':one': 1 } }));
  };

  /**
   * "Nothing written": runs `act` (requests through this world) and fails if the table
   * differs afterwards, by a Scan before and after. While nothing else has been done
   * through this world since the last such check, the table that check ended with is the
   * "before", so a run of bad requests costs one Scan each. A write this world did not see
   * (a use case called directly) can only make the check fail, never hide a write.
   */
  let generation = 0;
  let acting = false;
  let lastSeen: { generation: number; items: Record<string, unknown>[] } | undefined;
  const unchanged = async <T>(act: () => Promise<T>): Promise<T> => {
    const before = lastSeen?.generation === generation ? lastSeen.items : await snapshot();
    lastSeen = undefined;
    acting = true;
    let result: T;
    try {
      result = await act();
    } finally {
      acting = false;
    }
    const after = await snapshot();
    expect(after, 'nothing written').toEqual(before);
    lastSeen = { generation, items: after };
    return result;
  };

  const request = async (path: string, init: RequestInit = {}): Promise<Response> => {
    if (!acting) generation++;
    return app.request(`http://localhost${path}`, init);
  };
  const get = (path: string, headers: Record<string, string> = {}) => request(path, { headers });
  const postForm = (path: string, fields: Array<[string, string]> | Record<string, string>, headers: Record<string, string> = {}) =>
    request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...sameOrigin, ...headers },
      body: new URLSearchParams(fields as Record<string, string>).toString(),
    });

  /** Signs in through the real routes with a real sign-in link, and returns the session cookie. */
  const signIn = async () => {
    const token = await mint('head-office-sign-in', analyst, analyst, 'head-office', { expiresInMs: 15 * 60_000 });
    const res = await request(`/head-office/sign-in/${token}`, { method: 'POST', headers: sameOrigin, body: '' });
    expect(res.status).toBe(303);
    return /ho_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
  };

  const mailTo = (address: string) => transport.sent.filter((e) => e.to === address);

  /** Registers through the JSON API, as a script would. */
  const register = (body: unknown) => request('/api/registrations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  /**
   * Lets the registration watcher ask each new registration's champion to confirm, the
   * champions confirm from their emails, and the watcher introduce what they confirmed.
   */
  const confirmed = new Set<string>();
  const introduce = async () => {
    const watcher = createRegistrationWatcher(deps);
    let records = await watch(newRegistrationFilter, watcher);
    for (const request of transport.sent.filter(isConfirmationRequest)) {
      const { registrationId, token } = confirmationIn(request);
      if (confirmed.has(registrationId)) continue;
      confirmed.add(registrationId);
      expect((await request_(`/registrations/${registrationId}/confirm/${token}`, { method: 'POST', headers: sameOrigin })).status).toBe(200);
    }
    records += await watch(newRegistrationFilter, watcher);
    return records;
  };
  const request_ = request;

  return { t, clock, store, deps, app, transport, snapshot, unchanged, newRecords, watch, mint, spend, request, get, postForm, signIn, mailTo, register, introduce };
}

// ---------------------------------------------------------------------------------------
// What a page and an email may never contain.
// ---------------------------------------------------------------------------------------

/**
 * A stack trace or an error's name, in a body meant for a person. A stack frame starts its
 * own line ("    at fn ("): text a person typed and the page kept, such as "claim at
 * evil.com (", is not one.
 */
export const leaksInternals = (body: string) => /^\s+at [\w.<>$]+ \(|\.(?:ts|js|tsx):\d+:\d+|\b(?:TypeError|RangeError|SyntaxError|ReferenceError|ValidationException|ResourceNotFoundException|ConditionalCheckFailed)\b/m.test(body);

/**
 * Markup an attacker wrote, unescaped: a tag, comment or attribute built on the marker
 * `hstl`, or any script at all (the product's pages and emails have none).
 */
export function unescapedMarkup(html: string): string[] {
  const found: string[] = [];
  for (const pattern of [/<\/?hstl/i, /<script/i, /<!--\s*hstl/i, /<img\b[^>]*hstl/i, /<svg\b[^>]*onload/i, /(?:href|src|action)\s*=\s*["']?\s*javascript:/i]) {
    const m = pattern.exec(html);
    if (m) found.push(html.slice(Math.max(0, m.index - 60), m.index + 80));
  }
  // An attribute of the attacker's: with every quoted value taken out of a tag (escaping
  // leaves no quote inside one), a `hstl…=` still there broke out of its quotes.
  for (const tag of html.match(/<[a-zA-Z][^>]*>/g) ?? []) {
    if (/\shstl\w*\s*=/i.test(tag.replace(/"[^"]*"|'[^']*'/g, '""'))) found.push(tag.slice(0, 160));
  }
  return found;
}

/**
 * An answer to bad input: one of the `allowed` 4xx statuses, with a message a person can
 * read (JSON with `error` and `message`, a page with a heading and a paragraph, or a line
 * of text), and nothing internal.
 */
export async function expectClearRefusal(res: Response, allowed: number[] = [400, 403, 404, 409, 410, 413, 422, 429]) {
  const body = await res.text();
  expect(allowed, `status ${res.status}: ${body.slice(0, 400)}`).toContain(res.status);
  expect(leaksInternals(body), body.slice(0, 500)).toBe(false);
  expect(unescapedMarkup(body)).toEqual([]);
  const type = res.headers.get('content-type') ?? '';
  if (type.startsWith('application/json')) {
    const json = JSON.parse(body) as { error?: unknown; message?: unknown };
    expect(typeof json.error).toBe('string');
    expect(typeof json.message === 'string' && json.message.trim().length > 10, body).toBe(true);
  } else if (type.startsWith('text/html')) {
    expect(body, 'a page with a heading').toMatch(/<h1[^>]*>[^<]*\w[^<]*<\/h1>/);
    expect(body, 'and something to say').toMatch(/<(?:p|li)[^>]*>(?:<a [^>]*>)?[^<]*\w{3}/);
  } else {
    expect(type).toMatch(/^text\/plain/);
    // One plain sentence, such as "Not found" or "Cross-site requests are not accepted."
    expect(body.trim()).toMatch(/^[A-Z][A-Za-z ,'-]{4,}[.!]?$/);
  }
  return body;
}

/** Text as hono's JSX writes it into a page. */
export const pageEscaped = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
/** Text as mustache writes it into an email's HTML. */
export const mailEscaped = (s: string) =>
  s.replace(/[&<>"'`=/]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '/': '&#x2F;', '`': '&#x60;', '=': '&#x3D;' })[c]!);

/** Any answer at all: never 5xx, never internals, never attacker markup. */
export async function expectSafeAnswer(res: Response) {
  const body = await res.text();
  expect(res.status, body.slice(0, 300)).toBeLessThan(500);
  if (res.status >= 400) expect(body.trim().length).toBeGreaterThan(0);
  expect(leaksInternals(body), body.slice(0, 500)).toBe(false);
  expect(unescapedMarkup(body)).toEqual([]);
  return body;
}

/** Every email: nothing but one line in each header, and no attacker markup in its HTML. */
export function expectSafeEmail(email: OutgoingEmail) {
  for (const [name, value] of [
    ['to', email.to],
    ['from', email.from],
    ['replyTo', email.replyTo],
    ['subject', email.subject],
    ...email.headers.map((h) => [h.name, h.value] as const),
  ]) {
    expect(value, `${name} header`).not.toMatch(/[\r\n\u0000-\u001f\u007f\u2028\u2029]/);
  }
  expect(email.headers.map((h) => h.name)).toEqual(expect.arrayContaining(['List-Unsubscribe', 'List-Unsubscribe-Post']));
  for (const h of email.headers) expect(h.name).toMatch(/^[A-Za-z][A-Za-z0-9-]*$/);
  expect(email.to).toMatch(/^[^\s<>@]+@[^\s<>@]+$/);
  expect(unescapedMarkup(email.html)).toEqual([]);
  // Mustache must never run a person's text as a template, in either part.
  expect(`${email.html}\n${email.text}\n${email.subject}`).not.toMatch(/https:\/\/nudges\.test\/[^\s"<]*hstl/);
}

// ---------------------------------------------------------------------------------------
// Arbitraries.
// ---------------------------------------------------------------------------------------

/** Markup and tricks built on the marker, each a payload on its own. */
export const markupPayloads = [
  '<hstl>',
  '<script>hstl()</script>',
  '<SCRIPT SRC=//hstl.example/x.js></SCRIPT>',
  '"><hstl x="',
  "'><hstl x='",
  '" hstl="1',
  "' hstl='1",
  '`hstl=1',
  '<img src=x onerror=hstl()>',
  '<svg onload=hstl()>',
  '</title><hstl>',
  '</textarea><hstl>',
  '<!--hstl-->',
  ']]><hstl>',
  '<a href="javascript:hstl()">x</a>',
  '{{unsubscribeUrl}}hstl',
  '{{{preferencesUrl}}}hstl',
  '{{#inTouchUrl}}hstl{{/inTouchUrl}}',
  '{{> body}}',
  '&lt;hstl&gt;',
  '&#60;hstl&#62;',
  '%3Chstl%3E',
  '\\u003chstl\\u003e',
  '=HYPERLINK("http://hstl.example","x")',
  '+cmd|hstl',
  '@SUM(1+1)*hstl',
  '-2+3+cmd|hstl',
];

/** CR, LF and their cousins, to try to add a header or a line. */
export const lineBreakPayloads = ['\r\nBcc: hstl@evil.example', '\nSubject: hstl', '\r', '\u0085hstl', '\u2028hstl', '\u2029hstl', '%0d%0aBcc:hstl@evil.example', '\u0000hstl', '\u001b[31mhstl', '\thstl'];

/** Unicode that looks like something else, hides, or reverses. */
export const unicodePayloads = [
  '\u202eevil\u202c',
  '\u200b\u200c\u200d\u2060',
  '\ufeff',
  'Ｒｉｖｅｒｓｉｄｅ',
  'R\u0456vers\u0456de',
  'e\u0301\u0301\u0301\u0301',
  '\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67',
  '\ud800',
  '\udfff',
  '\uffff\ufffe',
  '\u0130\u0131\u00df',
  'ꙮ'.repeat(3),
  '\u{1F4A9}'.repeat(4),
];

/** Text from a person who means harm: markup, line breaks, unicode tricks, random text and oversized values, mixed. */
export const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...markupPayloads, ...lineBreakPayloads, ...unicodePayloads) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...markupPayloads, ...lineBreakPayloads, ...unicodePayloads), fc.string({ maxLength: 10 }))
      .map(([a, b, c]) => `${a}${b}${c}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '   \t ', 'null', 'undefined', 'NaN', '-1', '1e400', '0x10', '[object Object]', '__proto__') },
  // Just past the longest field (bigger bodies are the oversized-body properties' business, and print shorter there).
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', '<hstl>', '\u00e9', '\ud83d\ude00'), fc.integer({ min: 61, max: 400 })).map(([s, n]) => s.repeat(n).slice(0, n)) },
);

/**
 * What a name or free-text field refuses, as this suite sees it (written apart from the
 * product's rule): anything with `@`, `<` or `>`, a scheme (`x://`) or `www.`, template
 * or link markers, or a dotted word ending in a common top-level name.
 */
export const carriesLinkOrMarkup = (v: string) =>
  /[@<>]|:\/\/|www\.|\{\{|\}\}|\$\{|\[[a-z][a-z-]*:/i.test(v) || /[a-z0-9-]\.(?:com|org|net|uk|co|io|info|biz|gov|nhs|me|app|xyz|ly|ru|cn|de|fr|eu|us|ie|example|site|online|link|click|top|live|shop|ai|dev)\b/i.test(v);

/**
 * Hostile text a name field accepts: trimmed, 1 to `max` characters, no control
 * characters, no links, addresses or markup (those are refused), but full of quotes,
 * ampersands, formulas and unicode tricks.
 */
export const acceptedHostileLine = (max: number) =>
  fc
    .tuple(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.constantFrom(...markupPayloads, ...unicodePayloads.filter((u) => !/[\ud800-\udfff]/.test(u) || u.length > 1)),
      fc.string({ unit: 'grapheme-ascii', maxLength: 12 }),
    )
    .map(([a, b, c]) => `${a}${b}${c}`.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '').trim().slice(0, max).trim())
    .filter((s) => s.length > 0 && !/[\ud800-\udbff]$/.test(s) && !carriesLinkOrMarkup(s));

/** Text a name field refuses whatever else it holds: a link, an address, markup or a marker somewhere in it. */
export const smuggledLink = fc
  .tuple(
    fc.string({ unit: 'grapheme-ascii', maxLength: 10 }),
    fc.constantFrom('https://evil.example/refund', 'http://x.co', 'www.evil.example', 'evil.example/login', 'claim at evil.com', 'ftp://x', 'hq@evil.example', '<b>', '</a>', '{{unsubscribeUrl}}', '[held-link:handOver]', '${x}', '[link:x]'),
    fc.string({ unit: 'grapheme-ascii', maxLength: 10 }),
  )
  .map(([a, b, c]) => `${a} ${b} ${c}`.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 60));

/**
 * Field names a form does not expect, including ones that try prototype pollution. (A
 * field named `__proto__` never reaches a form: the body parser drops it, so it can be
 * neither refused nor stored; `strictExtraName` leaves it out.)
 */
export const strangeFieldName = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__proto__[hstl]', 'constructor[prototype][hstl]', 'a[]', 'patientName', '<hstl>', '', ' '),
  fc.string({ maxLength: 12 }),
);
export const strictExtraName = strangeFieldName.filter((n) => n !== '__proto__');

/** Content types a client might send instead of the right one. */
export const strangeContentType = fc.constantFrom(
  'text/plain',
  'application/json',
  'application/xml',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'multipart/form-data; boundary=hstl',
  'application/x-www-form-urlencoded; charset=utf-16',
  'application/x-www-form-urlencoded; charset=<hstl>',
  'text/html',
  'application/octet-stream',
  'image/png',
  '*/*',
  'garbage',
  '',
);

/** An oversized body, kept as its size so a counterexample prints short. */
export type Oversized = { oversized: number };
export type RawBody = string | Uint8Array | Oversized;
export const isOversized = (b: RawBody): b is Oversized => typeof b === 'object' && !(b instanceof Uint8Array);
export const materialise = (b: RawBody): string | Uint8Array<ArrayBuffer> => (isOversized(b) ? `a=${'x'.repeat(b.oversized)}` : typeof b === 'string' ? b : new Uint8Array(b));

/** A raw body: random bytes or text, broken JSON or broken url-encoding or multipart, or oversized (use `materialise`). */
export const rawBody: fc.Arbitrary<RawBody> = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('{', '{"a":', '[', 'null', '"', '%', '%E0%A4%A', 'a=%ZZ&b=%', '=&=&&==', '--hstl\r\nContent-Disposition: form-data; name="x"\r\n\r\n<hstl>\r\n--hstl--', '\u0000\u0000'),
  fc.integer({ min: 70_000, max: 1_500_000 }).map((oversized) => ({ oversized })),
);

/** Headers a client may send that it should not, or get wrong. Never CR/LF: fetch's Headers refuse them before any server sees them. */
export const strangeHeaders = fc.record(
  {
    cookie: fc.oneof(fc.constantFrom('ho_session=', 'ho_session=hstl', 'ho_session=a.b.c', `ho_session=${'A'.repeat(43)}.${'B'.repeat(43)}`, 'ho_session="<hstl>"', '=;;='), fc.string({ unit: 'grapheme-ascii', maxLength: 60 }).map((s) => `ho_session=${s}`)),
    accept: fc.constantFrom('application/json', 'text/csv', '*/*', 'text/html', '<hstl>'),
    'accept-language': fc.constantFrom('xx', '*', '<hstl>'),
    'x-forwarded-host': fc.constantFrom('evil.example', '<hstl>'),
    'x-forwarded-proto': fc.constantFrom('javascript', 'http'),
    'user-agent': fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
    referer: fc.constantFrom('https://evil.example/', 'javascript:hstl()'),
  },
  { requiredKeys: [] },
);

/** A token that is not a live one of the right kind: random, truncated, altered, padded, or a path trick. */
export const junkToken = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 60 }),
  fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
  // ('.' and '..' are left out: the URL parser resolves them before a request is made.)
  fc.constantFrom('%2e%2e', '%2F', '<hstl>', '%3Chstl%3E', "'", '"', 'null', 'undefined', '0', '%00', '%C0%AE', '%ED%A0%80', '\u00e9', '\u{1F4A9}'),
  fc.integer({ min: 44, max: 3000 }).map((n) => 'A'.repeat(n)),
);

/** Ways to damage a real token. */
export const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.integer({ min: 1, max: 42 }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.integer({ min: 0, max: 42 }), to: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')) }),
  fc.record({ kind: fc.constant('append' as const), extra: fc.string({ minLength: 1, maxLength: 5 }) }),
  fc.record({ kind: fc.constant('case' as const) }),
);

export type Damage = { kind: 'truncate'; at: number } | { kind: 'flip'; at: number; to: string } | { kind: 'append'; extra: string } | { kind: 'case' };

export function damaged(token: string, how: Damage): string {
  switch (how.kind) {
    case 'truncate':
      return token.slice(0, how.at);
    case 'flip': {
      const to = token[how.at] === how.to ? (how.to === 'A' ? 'B' : 'A') : how.to;
      return `${token.slice(0, how.at)}${to}${token.slice(how.at + 1)}`;
    }
    case 'append':
      return `${token}${how.extra}`;
    case 'case': {
      const swapped = token.replace(/[a-z]/g, (c) => c.toUpperCase());
      return swapped === token ? `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}` : swapped;
    }
  }
}

/**
 * A path segment as a client would send it: percent-encoded, so the router sees what was
 * meant. A lone surrogate cannot be put in a URL as UTF-8; clients send U+FFFD for it
 * (raw invalid UTF-8 such as %ED%A0%80 is among the junk tokens).
 */
export const seg = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udfff]/gu, '\ufffd')).replace(/\./g, '%2E');

/** Fields as url-encoded pairs, repeated names allowed. */
export const encodeForm = (pairs: Array<[string, string]>) => new URLSearchParams(pairs).toString();

/** numRuns for a property: the default for this suite, scaled by HOSTILE_RUNS_SCALE for a longer soak. */
export const runs = (n: number) => ({ numRuns: Math.max(1, Math.round(n * Number(process.env.HOSTILE_RUNS_SCALE ?? 1))) });

export { day };
