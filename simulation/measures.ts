/**
 * What the simulation measures from the mail that arrived and the table: pure functions,
 * so the report's promises (no quiet-hour mail, nothing twice) are checked by code that
 * is itself tested.
 */
import { audienceOf as productAudienceOf, isAllowed, type Audience } from '../functions/core/policies/quiet-hours.js';
import type { MailboxMessage } from '../local/mailbox.js';

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

/**
 * Emails per person per calendar month, over the months wholly inside the simulation,
 * for every person of `role` (a month with no email counts as 0: quiet people are the
 * point).
 */
export function emailsPerPersonMonth(messages: MailboxMessage[], people: string[], from: Date, to: Date): Spread {
  const months: string[] = [];
  for (let y = from.getUTCFullYear(), m = from.getUTCMonth() + (from.getUTCDate() === 1 ? 0 : 1); ; m++) {
    const start = new Date(Date.UTC(y, m, 1));
    const end = new Date(Date.UTC(y, m + 1, 1));
    if (end > to) break;
    months.push(start.toISOString().slice(0, 7));
  }
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
