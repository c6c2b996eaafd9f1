/**
 * Every email's words agree with what its links do. Each email here goes through the
 * real mailer, so every link in it is a real token; every lifetime or use an email states
 * ("works once, for 15 minutes", "for 14 days", "we forget the registration after
 * Friday 4 December") is read back out of its words and compared with the token of the
 * nearest link: how long it lasts from the moment the email was sent, and whether using
 * it spends it (magic-links.ts singleUseLinks, which the token stores obey). Nothing here
 * compares a constant with a constant: a number typed into a template, or a lifetime
 * changed where links are issued but not in the words, fails.
 *
 * An email that is not a mailing (the head-office sign-in link) has no footer, no way to
 * stop email, no unsubscribe token and no list headers.
 */
import Mustache from 'mustache';
import { describe, expect, it } from 'vitest';
import { namesOf, type Names } from '../support/template-names.js';
import { InvalidTokenError } from '../../functions/core/errors.js';
import { answerPurposes, answerRoles, singleUseLinks } from '../../functions/core/magic-links.js';
import type { FreshLinkRequest } from '../../functions/core/model.js';
import type { OutgoingEmail } from '../../functions/core/ports.js';
import { parseRegistrationInput } from '../../functions/core/policies/registration-input.js';
import { actionLabels, sendFreshLink } from '../../functions/core/use-cases/fresh-link.js';
import { openSignIn, requestSignIn, signIn } from '../../functions/core/use-cases/head-office-access.js';
import { releaseHeldMail } from '../../functions/core/use-cases/held-mail.js';
import { introduceRegistration } from '../../functions/core/use-cases/introduce-registration.js';
import { sendConfirmationRequest } from '../../functions/core/use-cases/registration-confirmation.js';
import { submitRegistration } from '../../functions/core/use-cases/submit-registration.js';
import { templatesByName } from '../../templates/all.js';
import { answersHtml, answersText } from '../../templates/layout.js';
import { anEvent, registrationBody } from '../support/fixtures.js';
import { analystOnly, memoryDeps } from '../support/memory-ports.js';
import { registerAndConfirm } from '../support/registrations.js';

type Deps = ReturnType<typeof memoryDeps>;
const base = 'https://nudges.test/';
const timeZone = 'Europe/London';

/** What a passage of an email says about a link. */
interface Statement {
  words: string;
  at: number;
  once?: true;
  minutes?: number;
  /** "Friday 4 December": the day the link stops working. */
  day?: string;
}

const counts: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12, fourteen: 14, fifteen: 15, thirty: 30, sixty: 60 };
const unitMinutes: Record<string, number> = { minute: 1, hour: 60, day: 1440, week: 10_080, fortnight: 20_160, month: 30 * 1440, year: 365 * 1440 };
const lifetimeWords = new RegExp(
  String.raw`\b(?:works?|lasts?|expires?|valid|usable|good)\b(\s+once)?,?(?:\s+(?:for|in|within|after|up to))?\s+(\d+|${Object.keys(counts).join('|')})\s+(minute|hour|day|week|fortnight|month|year)s?\b`,
  'gi',
);
const onceWords = /\b(?:works|usable|valid|used?)\s+(?:only\s+)?once\b|\bsingle[- ]use\b|\bone[- ]time\b/gi;
const months = 'January|February|March|April|May|June|July|August|September|October|November|December';
const weekdays = 'Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday';
const dayWords = new RegExp(String.raw`\b(?:forget|lapse|expire|stop|work)[a-z ]*?\s+(?:after|on|until|by)\s+((?:(?:${weekdays}),? )?\d{1,2} (?:${months})(?: \d{4})?)`, 'gi');

/** Whether "Friday 4 December" (weekday and year optional) names the day of `instant` where the reader is. */
function namesDayOf(words: string, instant: Date): boolean {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).formatToParts(instant).map((p) => [p.type, p.value]),
  );
  const [, weekday, day, month, year] = new RegExp(String.raw`^(?:(${weekdays}),? )?(\d{1,2}) (${months})(?: (\d{4}))?$`).exec(words)!;
  return (weekday ?? parts.weekday) === parts.weekday && day === parts.day && month === parts.month && (year ?? parts.year) === parts.year;
}

function statementsIn(words: string): Statement[] {
  const found: Statement[] = [];
  for (const m of words.matchAll(lifetimeWords)) {
    const n = /^\d+$/.test(m[2]!) ? Number(m[2]) : counts[m[2]!.toLowerCase()]!;
    found.push({ words: m[0], at: m.index, minutes: n * unitMinutes[m[3]!.toLowerCase()]!, ...(m[1] ? { once: true as const } : {}) });
  }
  for (const m of words.matchAll(onceWords)) found.push({ words: m[0], at: m.index, once: true });
  for (const m of words.matchAll(dayWords)) found.push({ words: m[0], at: m.index, day: m[1]! });
  return found;
}

const decode = (s: string) =>
  s
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&[lr]dquo;/g, '"')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');

/** The words of an HTML part as a reader sees them, each link's target standing where the link starts. */
const htmlWords = (html: string) => decode(html.replace(/<a\b[^>]*\bhref="([^"]*)"[^>]*>/gi, ' $1 ').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

/** An email's parts, each split into its body and its footer (a mailing's), as words with the links in them. */
function partsOf(email: OutgoingEmail) {
  const text = email.text.split('\n\n--\n');
  const html = email.html.split(/<hr\b/);
  return [
    { part: 'text', body: text[0]!, footer: text[1] },
    { part: 'html', body: htmlWords(html[0]!), footer: html[1] === undefined ? undefined : htmlWords(html[1]) },
  ];
}

const linksIn = (words: string) => [...words.matchAll(/https:\/\/nudges\.test\/[^\s<>"']+/g)].map((m) => ({ url: m[0], at: m.index }));
const tokenOf = (url: string) => new URL(url).pathname.split('/').at(-1)!;

/**
 * Every statement in the email against the token of the link nearest it (in the subject:
 * the email's first link). Returns what was compared, so a test can insist the words were
 * there to compare.
 */
async function compareWords(deps: Deps, email: OutgoingEmail, sentAt: Date) {
  const compared: Array<{ statement: Statement; purpose: string }> = [];
  const firstLink = linksIn(partsOf(email)[0]!.body)[0];
  const segments = [
    { where: 'subject', words: email.subject, links: firstLink ? [{ url: firstLink.url, at: 0 }] : [] },
    ...partsOf(email).flatMap(({ part, body, footer }) => [
      { where: `${part} body`, words: body, links: linksIn(body) },
      ...(footer === undefined ? [] : [{ where: `${part} footer`, words: footer, links: linksIn(footer) }]),
    ]),
  ];
  for (const { where, words, links } of segments) {
    for (const statement of statementsIn(words)) {
      const what = `"${email.subject}", ${where}: "${statement.words}"`;
      const nearest = [...links].sort((a, b) => Math.abs(a.at - statement.at) - Math.abs(b.at - statement.at))[0];
      expect(nearest, `${what} is about no link`).toBeDefined();
      const lookup = await deps.tokens.lookup(tokenOf(nearest!.url), sentAt);
      expect(lookup, `${what}: ${nearest!.url} is no token`).toBeDefined();
      const { grant } = lookup!;
      const once = singleUseLinks[grant.purpose];
      if (statement.minutes !== undefined) {
        expect((grant.expiresAt.getTime() - sentAt.getTime()) / 60_000, `${what}: the ${grant.purpose} link's lifetime in minutes`).toBe(statement.minutes);
        // Saying how long without saying "once" would hide that the first use spends it.
        expect(statement.once ?? false, `${what}: does the ${grant.purpose} link work once?`).toBe(once);
      }
      if (statement.once) expect(once, `${what}: the ${grant.purpose} link is reusable`).toBe(true);
      if (statement.day) expect(namesDayOf(statement.day, grant.expiresAt), `${what}: the ${grant.purpose} link stops working at ${grant.expiresAt.toISOString()}`).toBe(true);
      compared.push({ statement, purpose: grant.purpose });
    }
  }
  return compared;
}

/** Runs `act` and returns the emails it sent, with when. */
async function sending(deps: Deps, act: () => Promise<unknown>) {
  const before = deps.transport.sent.length;
  await act();
  const sentAt = deps.clock.now();
  return deps.transport.sent.slice(before).map((email) => ({ email, sentAt }));
}

const events = () => [
  anEvent(),
  anEvent({ shortName: 'hackney-marshes', name: 'Hackney Marshes parkrun', eventDirectors: [{ name: 'Priya Shah', email: 'priya@parkrun.example' }] }),
];

describe('the words of every email agree with what its links do', () => {
  it('the head-office sign-in email says its link works once and for how long, which is what it does, and offers no way to stop email', async () => {
    const deps = memoryDeps(events());
    await requestSignIn(deps, { email: 'analyst@parkrun.example' });
    const unsubscribeTokens = () => deps.tokens.issued.filter((i) => i.grant.purpose === 'unsubscribe').length;
    const before = unsubscribeTokens();
    const [sent, ...more] = await sending(deps, () => sendFreshLink({ mailer: deps.mailer, allowlist: analystOnly }, deps.freshLinkRequests.requests.at(-1)!));
    expect(more).toEqual([]);
    const { email, sentAt } = sent!;
    expect(email.to).toBe('analyst@parkrun.example');

    const compared = await compareWords(deps, email, sentAt);
    // Said in both parts, each time of the sign-in link.
    expect(compared.filter((c) => c.statement.minutes !== undefined).length).toBeGreaterThanOrEqual(2);
    expect(new Set(compared.map((c) => c.purpose))).toEqual(new Set(['head-office-sign-in']));
    expect(compared.every((c) => c.statement.minutes === undefined || c.statement.once)).toBe(true);

    // And the link does what the words say: it works once, up to the minute stated.
    const minutes = compared.find((c) => c.statement.minutes !== undefined)!.statement.minutes!;
    const token = tokenOf(linksIn(email.text)[0]!.url);
    const deps2 = { ...deps, allowlist: analystOnly };
    deps.clock.at = new Date(sentAt.getTime() + minutes * 60_000 - 1000);
    await expect(openSignIn(deps2, token)).resolves.toMatchObject({ email: 'analyst@parkrun.example' });
    deps.clock.at = new Date(sentAt.getTime() + minutes * 60_000);
    await expect(openSignIn(deps2, token)).rejects.toMatchObject({ problem: 'expired' });
    deps.clock.at = sentAt;
    await signIn(deps2, token);
    await expect(signIn(deps2, token)).rejects.toBeInstanceOf(InvalidTokenError);

    // No footer, nothing offering to stop email, no list headers, and no unsubscribe token behind any of it.
    expect(email.text).not.toMatch(/\n--\n|stop them|preferences|unsubscribe/i);
    expect(email.html).not.toMatch(/<hr\b|stop them|\/preferences\/|\/unsubscribe\//i);
    expect(email.headers.map((h) => h.name.toLowerCase()).filter((n) => n.startsWith('list-'))).toEqual([]);
    expect(unsubscribeTokens()).toBe(before);
    expect(linksIn(email.text).map((l) => new URL(l.url).pathname.split('/').slice(1, 3).join('/'))).toEqual(['head-office/sign-in']);
  });

  it('a fresh link says how long the new link works and whether it works once, for every kind of link that is renewed, and keeps its footer', async () => {
    const deps = memoryDeps(events());
    // The kinds renewed from an expired or used link's page (requestFreshLink refuses the rest).
    const renewed = [...answerPurposes, 'first-timer-volunteer' as const];
    expect(renewed.every((p) => p in actionLabels)).toBe(true);
    for (const purpose of renewed) {
      const request: FreshLinkRequest = {
        id: `r-${purpose}`,
        purpose,
        subject: purpose === 'first-timer-volunteer' ? 'bushy' : 'A81001.bushy',
        recipient: 'jane.smith@nhs.example',
        role: purpose === 'first-timer-volunteer' ? 'first-timer-contact' : answerRoles[purpose][0]!,
        about: 'Riverside Surgery and Bushy parkrun',
        requestedAt: deps.clock.now().toISOString(),
      };
      const [sent, ...more] = await sending(deps, () => sendFreshLink({ mailer: deps.mailer, allowlist: analystOnly }, request));
      expect(more).toEqual([]);
      const compared = await compareWords(deps, sent!.email, sent!.sentAt);
      // The words are there, in both parts, and about the new link.
      expect(compared.filter((c) => c.statement.minutes !== undefined).map((c) => c.purpose), purpose).toEqual([purpose, purpose]);
      // Asked for, but a mailing: the footer is how a contact stops the nudges.
      expect(sent!.email.text, purpose).toMatch(/Choose which emails you get, or stop them: https:\/\/nudges\.test\/preferences\//);
      expect(sent!.email.headers.map((h) => h.name), purpose).toContain('List-Unsubscribe');
    }
  });

  it('a registration confirmation names the day its link stops working, also when it waited for the champion\'s working hours', async () => {
    // Monday morning: the first registration's confirmation goes at once.
    const deps = memoryDeps(events(), new Date('2026-11-23T10:00:00Z'));
    const emails = await sending(deps, async () => {
      const registration = await registerAndConfirm(deps, deps.transport.sent, registrationBody({ events: ['bushy'] }));
      await introduceRegistration(deps, registration);
    });
    // Friday evening: someone asks to link the practice on record with another event; the ask waits for Monday.
    deps.clock.at = new Date('2026-11-27T19:00:00Z');
    const pending = await submitRegistration(deps, parseRegistrationInput(registrationBody({ events: ['hackney-marshes'] })));
    expect(await sendConfirmationRequest(deps, pending)).toBe('held');
    deps.clock.at = new Date('2026-11-30T08:00:00Z');
    const held = await sending(deps, () => releaseHeldMail(deps));
    expect(held.map((e) => e.email.subject)).toEqual(['Confirm your parkrun practice registration']);

    const compared: Array<Awaited<ReturnType<typeof compareWords>>[number]> = [];
    for (const { email, sentAt } of [...emails, ...held]) compared.push(...(await compareWords(deps, email, sentAt)));
    expect(emails.map((e) => e.email.subject)).toContain('Confirm your parkrun practice registration');
    // Both confirmations name the day, in both parts.
    expect(compared.filter((c) => c.statement.day).map((c) => c.purpose)).toEqual(Array(4).fill('registration-confirm'));
  });

  it('every template, sent with real links, states no lifetime or use of its own: only what its links do, and has its footer if it is a mailing', async () => {
    const templates = [...templatesByName.values()];
    expect(templates.length).toBeGreaterThan(10);
    for (const template of templates) {
      const deps = memoryDeps(events());
      const names = namesOf([...Mustache.parse(template.subject), ...Mustache.parse(template.text), ...Mustache.parse(template.html), ...Mustache.parse(answersText), ...Mustache.parse(answersHtml)]);
      const urlNames = [...new Set([...names.values, ...names.sections.keys(), ...[...names.sections.values()].flatMap(innerNames)])].filter((n) => /url$/i.test(n));
      // A lifetime no one would type: a number copied into a template cannot match it.
      const links = Object.fromEntries(urlNames.map((n) => [n, { purpose: 'in-touch' as const, subject: 'A81001.bushy', role: 'champion' as const, lifetimeMinutes: 17 }]));
      const [sent] = await sending(deps, () =>
        deps.mailer.send({ idempotencyKey: template.name, kind: 'requested', to: 'jane.smith@nhs.example', template, links, view: (urls) => viewFor(names, urls), reason: 'You asked.' }),
      );
      const { email, sentAt } = sent!;
      await compareWords(deps, email, sentAt);
      expect(linksIn(email.text).length, template.name).toBeGreaterThan(0);
      const preferences = linksIn(email.text).filter((l) => l.url.startsWith(`${base}preferences/`));
      if (template.mailing === false) {
        expect(preferences, template.name).toEqual([]);
        expect(email.html, template.name).not.toMatch(/<hr\b|\/preferences\//);
        expect(deps.tokens.issued.filter((i) => i.grant.purpose === 'unsubscribe'), template.name).toEqual([]);
      } else {
        expect(email.text, template.name).toMatch(/\n--\nYou asked\.\nChoose which emails you get, or stop them: https:\/\/nudges\.test\/preferences\/\S+$/);
        expect((await deps.tokens.lookup(tokenOf(preferences.at(-1)!.url), sentAt))?.grant.purpose, template.name).toBe('unsubscribe');
      }
    }
  });
});

const innerNames = (names: Names): string[] => [...names.values, ...names.sections.keys(), ...[...names.sections.values()].flatMap(innerNames)];

/** A plain view: a person's name in every value, the link's real URL in every link, one item in every list. */
function viewFor(names: Names, urls: Record<string, string>): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const v of names.values) view[v] = /url$/i.test(v) ? urls[v] : /^mailto/i.test(v) ? 'mailto:jane.smith@nhs.example' : 'Sam';
  for (const [name, inner] of names.sections) {
    if (view[name] !== undefined && !/url$/i.test(name)) continue;
    view[name] = /url$/i.test(name) ? urls[name] : inner.iterates ? ['Sam'] : [viewFor(inner, urls)];
  }
  return view;
}
