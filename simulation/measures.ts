/**
 * What the simulation measures from the mail that arrived and the table: pure functions,
 * so the report's promises (no quiet-hour mail, nothing twice) are checked by code that
 * is itself tested.
 */
import { audienceOf as productAudienceOf, isAllowed, type Audience } from '../functions/core/policies/quiet-hours.js';
import type { MailboxMessage } from '../local/mailbox.js';
import { eventDirectorDigest } from '../templates/event-director-digest.js';

export type Role = 'champion' | 'event-director' | 'volunteer';
export type RoleOf = (address: string) => { role: Role; timeZone: string } | undefined;

/** Volunteers are parkrun people: the event directors' window applies to them too, as the product sends it. */
const audienceOf = (role: Role): Audience => productAudienceOf(role === 'volunteer' ? 'first-timer-contact' : role);

/** Messages sent to someone at a time their window does not allow. */
export function quietHourEmails(messages: MailboxMessage[], roleOf: RoleOf): MailboxMessage[] {
  return messages.filter((m) =>
    m.to.some((address) => {
      const person = roleOf(address);
      return person !== undefined && !isAllowed(audienceOf(person.role), new Date(m.sentAt), person.timeZone);
    }),
  );
}

/** An email's content without its links, whose tokens differ on every send. */
const withoutLinks = (text: string) => text.replace(/https?:\/\/\S+/g, '<link>');

/**
 * The same email to the same person again within `withinMs`: a double send shows as
 * identical content in quick succession (a retry, a schedule fired twice, a batch
 * delivered twice), whereas a weekly digest that happens to repeat is days apart.
 */
export function duplicateEmails(messages: MailboxMessage[], withinMs = 3_600_000): MailboxMessage[] {
  const last = new Map<string, number>();
  const duplicates: MailboxMessage[] = [];
  for (const m of [...messages].sort((a, b) => a.sentAt.localeCompare(b.sentAt))) {
    const at = Date.parse(m.sentAt);
    const key = `${m.to.join(',')}\n${m.subject}\n${withoutLinks(m.text)}`;
    const before = last.get(key);
    if (before !== undefined && at - before < withinMs) duplicates.push(m);
    last.set(key, at);
  }
  return duplicates;
}

/** The value at quantile q (0..1) of a list, nearest-rank; 0 for an empty list. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export interface Spread {
  median: number;
  p95: number;
  max: number;
}

export const spread = (values: number[]): Spread => ({ median: quantile(values, 0.5), p95: quantile(values, 0.95), max: quantile(values, 1) });

/** The calendar months wholly inside the simulation (from `from` to `to`), as YYYY-MM. */
export function wholeMonths(from: Date, to: Date): string[] {
  const months: string[] = [];
  for (let y = from.getUTCFullYear(), m = from.getUTCMonth() + (from.getUTCDate() === 1 ? 0 : 1); ; m++) {
    const start = new Date(Date.UTC(y, m, 1));
    const end = new Date(Date.UTC(y, m + 1, 1));
    if (end > to) break;
    months.push(start.toISOString().slice(0, 7));
  }
  return months;
}

/**
 * Emails per person per calendar month, over the months wholly inside the simulation,
 * for every person of `role` (a month with no email counts as 0: quiet people are the
 * point).
 */
export function emailsPerPersonMonth(messages: MailboxMessage[], people: string[], from: Date, to: Date): Spread {
  const months = wholeMonths(from, to);
  if (months.length === 0) return spread([]);
  const wanted = new Set(months);
  const counts = new Map<string, number>();
  for (const m of messages) {
    const month = m.sentAt.slice(0, 7);
    if (!wanted.has(month)) continue;
    for (const address of m.to) counts.set(`${address}|${month}`, (counts.get(`${address}|${month}`) ?? 0) + 1);
  }
  return spread(people.flatMap((p) => months.map((month) => counts.get(`${p}|${month}`) ?? 0)));
}

/** Email its reader did not ask for (a nudge, a prompt, a feedback ask, a digest, a director's introduction, or a round-up of them), by the tag the mailer gives it. */
export const isUnasked = (m: MailboxMessage): boolean => m.tags?.budget === 'unasked';

/**
 * A reply by email passed on to the other side: the other person's own words, as if they
 * had written to them directly, not an email of ours. The per-person email targets count
 * our emails; the report gives the figures with relayed replies as well, beside them.
 */
export const isRelayedReply = (m: MailboxMessage): boolean => m.tags?.template === 'reply-relay';

/** As emailsPerPersonMonth, counting unasked email only: what the per-person budget limits. */
export function unaskedEmailsPerPersonMonth(messages: MailboxMessage[], people: string[], from: Date, to: Date): Spread {
  return emailsPerPersonMonth(messages.filter(isUnasked), people, from, to);
}

/** The template tag of a round-up: several unasked emails bundled into one. */
export const roundUp = 'round-up';
const quietLinkNudge = 'quiet-link-nudge';
const digest = 'event-director-digest';

/** The templates an email is made of: its own, or a round-up's parts, in the order it shows them. */
export function templatesOf(m: MailboxMessage): string[] {
  const template = m.tags?.template || 'untagged';
  if (template !== roundUp) return [template];
  const parts = (m.tags.parts ?? '').split('_').filter(Boolean);
  return parts.length ? parts : [roundUp];
}

/**
 * The outbox ledger's entries the delivered emails account for: one an email, one a part
 * of a round-up (each part keeps its own entry). More than the ledger records as sent is a
 * double send.
 */
export function ledgerEntriesOf(messages: MailboxMessage[]): number {
  return messages.reduce((n, m) => n + (m.tags?.template === roundUp ? templatesOf(m).length : 1), 0);
}

/** One person's month, as the report's table of the busiest shows it. */
export interface PersonMonth {
  address: string;
  month: string;
  /** Emails received: a round-up is one. */
  emails: number;
  /** Of which round-ups, and the parts they carried between them. */
  roundUps: number;
  roundUpParts: number;
  /** Emails by template, a round-up counted once for each of its parts. */
  byTemplate: Record<string, number>;
}

/**
 * The `top` people-months with the most email, among `people` and the months wholly
 * inside the simulation (the months the spread's maximum is over), most first: where the
 * tail of emailsPerPersonMonth comes from.
 */
export function busiestPersonMonths(messages: MailboxMessage[], people: string[], from: Date, to: Date, top = 10): PersonMonth[] {
  const wanted = new Set(wholeMonths(from, to));
  const who = new Set(people);
  const months = new Map<string, PersonMonth>();
  for (const m of messages) {
    const month = m.sentAt.slice(0, 7);
    if (!wanted.has(month)) continue;
    const parts = templatesOf(m);
    const bundled = m.tags?.template === roundUp;
    for (const address of m.to) {
      if (!who.has(address)) continue;
      const key = `${address}|${month}`;
      let row = months.get(key);
      if (!row) months.set(key, (row = { address, month, emails: 0, roundUps: 0, roundUpParts: 0, byTemplate: {} }));
      row.emails++;
      if (bundled) {
        row.roundUps++;
        row.roundUpParts += parts.length;
      }
      for (const template of parts) row.byTemplate[template] = (row.byTemplate[template] ?? 0) + 1;
    }
  }
  return [...months.values()]
    .sort((a, b) => b.emails - a.emails || a.address.localeCompare(b.address) || a.month.localeCompare(b.month))
    .slice(0, top);
}

const byCountThenName = (counts: Map<string, number>): Record<string, number> =>
  Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));

/**
 * The year's emails by template: `byTemplate` counts each email once, by its template
 * tag (a round-up under `round-up`, so they add up to the emails sent); `roundUpParts`
 * counts what the round-ups carried, by the parts' templates.
 */
export function templateTotals(messages: MailboxMessage[]): { byTemplate: Record<string, number>; roundUpParts: Record<string, number> } {
  const byTemplate = new Map<string, number>();
  const parts = new Map<string, number>();
  for (const m of messages) {
    const template = m.tags?.template || 'untagged';
    byTemplate.set(template, (byTemplate.get(template) ?? 0) + 1);
    if (template === roundUp) for (const part of templatesOf(m)) parts.set(part, (parts.get(part) ?? 0) + 1);
  }
  return { byTemplate: byCountThenName(byTemplate), roundUpParts: byCountThenName(parts) };
}

/** A round-up's text, cut into its parts' texts: part k is under the heading "k. <its subject>" and a line of dashes. */
export function roundUpSections(text: string, parts: number): string[] {
  const starts: Array<{ at: number; body: number }> = [];
  let from = 0;
  for (let k = 1; k <= parts; k++) {
    const heading = new RegExp(`(^|\\n)${k}\\. [^\\n]*\\n-+\\n`, 'g');
    heading.lastIndex = from;
    const found = heading.exec(text);
    if (!found) break;
    starts.push({ at: found.index, body: found.index + found[0].length });
    from = found.index + found[0].length;
  }
  return starts.map((s, i) => text.slice(s.body, starts[i + 1]?.at ?? text.length));
}

/** The links (`A81001.bushy`) an email's text answers for: from its `/links/<link>/<purpose>/<token>` URLs. */
export function linkIdsIn(text: string): string[] {
  return [...new Set([...text.matchAll(/\/links\/([^/\s?#]+)\/[a-z-]+\//g)].map((m) => decodeURIComponent(m[1]!)))];
}

/**
 * The line a digest puts above the links it says still need a hello, read from the
 * template itself, so a digest's other links (offers to answer, new practices) are never
 * taken for them. Missing, the simulation stops at once rather than count nothing.
 */
const digestHelloHeading = (() => {
  const heading = eventDirectorDigest.text.match(/\{\{#hasLinks\}\}\s*([^{}\n][^{}]*?)\s*\{\{\/hasLinks\}\}/)?.[1];
  if (!heading) throw new Error('simulation/measures.ts: the event-director digest no longer has the line above its quiet links ({{#hasLinks}}…{{/hasLinks}}); update digestHelloHeading');
  return heading;
})();

/** What an email asks someone to say hello about: the links of a nudge (alone or in a round-up), and the links a digest lists as still quiet. */
export interface HelloAsk {
  template: typeof quietLinkNudge | typeof digest;
  link: string;
  roundUp: boolean;
}

export function helloAsks(m: MailboxMessage): HelloAsk[] {
  const template = m.tags?.template;
  const parts = templatesOf(m);
  if (!parts.includes(quietLinkNudge) && !parts.includes(digest)) return [];
  const bundled = template === roundUp;
  const texts = bundled ? roundUpSections(m.text, parts.length) : [m.text];
  const asks: HelloAsk[] = [];
  texts.forEach((text, i) => {
    const part = parts[i];
    if (part === quietLinkNudge) for (const link of linkIdsIn(text)) asks.push({ template: part, link, roundUp: bundled });
    if (part === digest) {
      const at = text.indexOf(digestHelloHeading);
      if (at >= 0) for (const link of linkIdsIn(text.slice(at))) asks.push({ template: part, link, roundUp: bundled });
    }
  });
  return asks;
}

/** A Takeover item's fields that tell what it was at a given moment. */
export interface TakeoverRecord {
  status: string;
  date?: string;
  previousDate?: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * Whether a takeover was offered (proposed, not yet answered or expired) or planned (fixed,
 * its day not yet passed) at `at`, from its record read a little after `at`. A record
 * changed after `at` (updatedAt later) was, at `at`, in the state that change left: an
 * offer since fixed or declined was still offered; a plan since cancelled, moved, or
 * reported on was still planned, for its day (or the day it moved from). Between an email
 * and the simulation's reading of it no one answers, so at most a job (an offer expiring)
 * has changed it. A day passes at the end of that day (UTC; UK times are at most an hour off).
 */
export function takeoverHeldAt(t: TakeoverRecord, at: string): 'offered' | 'planned' | undefined {
  if (t.createdAt > at) return undefined;
  const day = at.slice(0, 10);
  const ahead = (d?: string) => d !== undefined && d >= day;
  const changedSince = t.updatedAt > at;
  switch (t.status) {
    case 'proposed':
      return 'offered';
    case 'fixed':
      // Fixed after `at`: it was offered then, for days that included this one, still ahead.
      return ahead(t.date) || (changedSince && ahead(t.previousDate)) ? 'planned' : undefined;
    case 'declined':
      return changedSince ? 'offered' : undefined;
    case 'cancelled':
    case 'done':
    case 'did-not-happen':
      return changedSince && ahead(t.date) ? 'planned' : undefined;
    default:
      return undefined;
  }
}

/** A nudge, or a digest's "still quiet" entry, about a link taken up by a takeover at the time. */
export interface Contradiction {
  messageId: string;
  sentAt: string;
  to: string;
  link: string;
  template: HelloAsk['template'];
  roundUp: boolean;
  takeover: 'offered' | 'planned';
}

/**
 * The emails that ask for a hello about a link with a takeover offered or planned when
 * they were sent (once per email and link): the two sides are working together, so the
 * ask contradicts them. `takeoversOf` gives a link's Takeover records.
 */
export function contradictoryNudges(messages: MailboxMessage[], takeoversOf: (link: string) => readonly TakeoverRecord[]): Contradiction[] {
  const found: Contradiction[] = [];
  for (const m of messages) {
    const seen = new Set<string>();
    for (const ask of helloAsks(m)) {
      if (seen.has(ask.link)) continue;
      seen.add(ask.link);
      const held = takeoversOf(ask.link).map((t) => takeoverHeldAt(t, m.sentAt)).filter((h) => h !== undefined);
      // Planned says more than offered, when a link has both.
      const takeover = held.includes('planned') ? 'planned' : held[0];
      if (takeover) found.push({ messageId: m.id, sentAt: m.sentAt, to: m.to.join(','), link: ask.link, template: ask.template, roundUp: ask.roundUp, takeover });
    }
  }
  return found;
}

/** The figures issue 19's targets are set for. */
export interface TargetFigures {
  edEmailsPerMonth: Spread;
  championUnaskedEmailsPerMonth: Spread;
  championEmailsPerMonthMax: number;
  contradictoryNudges: number;
  contactShare90d: number;
  takeoversDone: number;
  feedbackResponseRate: number;
}

export interface Target {
  label: string;
  figure: (f: TargetFigures) => number;
  atMost?: number;
  atLeast?: number;
  /** Shown as a percentage. */
  share?: boolean;
}

/** Issue 19's targets for a simulated year: every target number is here. */
export const issue19Targets: readonly Target[] = [
  { label: 'Emails per event director per month, median', figure: (f) => f.edEmailsPerMonth.median, atMost: 1 },
  { label: 'Emails per event director per month, 95th percentile', figure: (f) => f.edEmailsPerMonth.p95, atMost: 2 },
  { label: 'Emails per event director per month, maximum', figure: (f) => f.edEmailsPerMonth.max, atMost: 4 },
  { label: 'Unasked emails per champion per month, median', figure: (f) => f.championUnaskedEmailsPerMonth.median, atMost: 1 },
  { label: 'Unasked emails per champion per month, 95th percentile', figure: (f) => f.championUnaskedEmailsPerMonth.p95, atMost: 2 },
  { label: 'Unasked emails per champion per month, maximum', figure: (f) => f.championUnaskedEmailsPerMonth.max, atMost: 4 },
  { label: 'All emails per champion per month, maximum', figure: (f) => f.championEmailsPerMonthMax, atMost: 6 },
  { label: 'Contradictory nudges', figure: (f) => f.contradictoryNudges, atMost: 0 },
  { label: 'Links with contact in the last 90 days, at the end', figure: (f) => f.contactShare90d, atLeast: 0.777, share: true },
  { label: 'Takeovers done', figure: (f) => f.takeoversDone, atLeast: 223 },
  { label: 'Feedback response rate', figure: (f) => f.feedbackResponseRate, atLeast: 0.638, share: true },
];

export interface TargetResult {
  label: string;
  figure: number;
  /** "≤ 2", "≥ 77.7%". */
  goal: string;
  met: boolean;
  share: boolean;
}

const asShare = (n: number) => `${(n * 100).toFixed(1)}%`;

export function checkTargets(figures: TargetFigures, targets: readonly Target[] = issue19Targets): TargetResult[] {
  return targets.map((t) => {
    const figure = t.figure(figures);
    const show = (n: number) => (t.share ? asShare(n) : String(n));
    const met = (t.atMost === undefined || figure <= t.atMost) && (t.atLeast === undefined || figure >= t.atLeast);
    const goal = [t.atMost !== undefined ? `≤ ${show(t.atMost)}` : '', t.atLeast !== undefined ? `≥ ${show(t.atLeast)}` : ''].filter(Boolean).join(' and ');
    return { label: t.label, figure, goal, met, share: t.share === true };
  });
}

/** Contact people recorded themselves over the year, by how: a "We're in touch" press or a reply by email. */
export interface ContactByReply {
  /** Replies by email the reply inbox took. */
  replies: number;
  /** Of which recorded contact on their link (the rest: the same day's contact already recorded, stops, ignored). */
  repliesRecordingContact: number;
  /** "We're in touch" presses that went through. */
  inTouchPresses: number;
  /** repliesRecordingContact / (repliesRecordingContact + inTouchPresses), to 3 places; 0 with neither. */
  share: number;
}

export function contactByReply(answers: Record<string, { answered: number }>, replyOutcomes: Record<string, number>): ContactByReply {
  const repliesRecordingContact = replyOutcomes.contact ?? 0;
  const inTouchPresses = answers['in-touch']?.answered ?? 0;
  const both = repliesRecordingContact + inTouchPresses;
  return { replies: answers.reply?.answered ?? 0, repliesRecordingContact, inTouchPresses, share: both ? Number((repliesRecordingContact / both).toFixed(3)) : 0 };
}
