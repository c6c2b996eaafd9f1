/**
 * One budget per person for the email they did not ask for. Volunteers' and practice
 * staff's time is the first barrier the event-team survey found, and each job deciding
 * alone (its own cap, blind to the others) sent one champion 12 emails in 7 weeks.
 *
 *  - Unasked email: what a job sends on its own initiative (a nudge, a takeover planning
 *    prompt, a feedback ask or its reminder, a director's digest, and a director's
 *    introduction to a practice that has just registered). Nobody gets more than one in
 *    `unaskedEveryDays`.
 *  - What falls due meanwhile waits (held, as mail outside quiet hours is) until the
 *    person's budget is free, and then goes out together in one round-up, most important
 *    first.
 *  - Everything else answers the person's own action, or cannot wait (a confirmation, the
 *    countdown of a takeover they fixed, a fresh link, newcomers coming on Saturday): it is
 *    outside the budget, but still keeps quiet hours.
 *
 * Pure: the mailer applies it (core/mailer.ts), the held-mail job bundles by it.
 */

import type { Link } from '../model.js';

export interface MailBudget {
  /** At most one unasked email per person in this many days. */
  unaskedEveryDays: number;
  /** And at most this many in a calendar month (the reader's): what is over waits for the next month. */
  unaskedPerMonth: number;
}

/**
 * A week apart, and two a month: "we never send you more than two emails a month you did
 * not ask for" is a promise a volunteer can hold us to (a week apart alone allows five).
 */
export const defaultMailBudget: MailBudget = { unaskedEveryDays: 7, unaskedPerMonth: 2 };

/** A person's budget as stored: their last unasked email (by idempotency key), and the month's count. */
export interface BudgetSlot {
  lastAt: string;
  key: string;
  /** The reader's calendar month of `lastAt`, YYYY-MM. */
  month: string;
  inMonth: number;
}

/**
 * Whether the unasked email `key` may go to a person now, and their slot after it: not
 * within `budgetDays` of their last, nor over the month's count (then it waits for the
 * next month to start: `nextMonthAt`). The same key asking again (a retry) gets its slot
 * back without spending another.
 */
export function spendSlot(
  slot: BudgetSlot | undefined,
  key: string,
  now: Date,
  month: { id: string; nextMonthAt: Date },
  budget: MailBudget,
): { granted: true; next?: BudgetSlot } | { granted: false; freeAt: Date } {
  if (slot?.key === key) return { granted: true };
  const inMonth = slot?.month === month.id ? slot.inMonth : 0;
  const weekFree = slot ? new Date(new Date(slot.lastAt).getTime() + budgetDays(budget) * 86_400_000) : now;
  const monthFree = inMonth >= budget.unaskedPerMonth ? month.nextMonthAt : now;
  const freeAt = new Date(Math.max(weekFree.getTime(), monthFree.getTime()));
  if (freeAt > now) return { granted: false, freeAt };
  return { granted: true, next: { lastAt: now.toISOString(), key, month: month.id, inMonth: inMonth + 1 } };
}

/**
 * The templates of unasked email, most important first: the order a round-up lists them.
 * An introduction to a new practice is news; a takeover prompt offers Saturdays that fill;
 * a nudge asks for a hello; a feedback ask can wait a week; a digest gathers the rest.
 */
export const unaskedTemplates = ['intro-event-team', 'takeover-prompt', 'quiet-link-nudge', 'feedback-ask', 'event-director-digest'] as const;

const rank = new Map<string, number>(unaskedTemplates.map((name, i) => [name, i]));

/** Whether an email of this template counts against its reader's budget. */
export const isUnasked = (template: string): boolean => rank.has(template);

/** Orders a round-up's parts: most important first, then oldest first, so the order is the same on every try. */
export function roundUpOrder<T extends { template: string; idempotencyKey: string; heldAt?: string }>(parts: readonly T[]): T[] {
  return [...parts].sort(
    (a, b) =>
      (rank.get(a.template) ?? rank.size) - (rank.get(b.template) ?? rank.size) ||
      (a.heldAt ?? '').localeCompare(b.heldAt ?? '') ||
      a.idempotencyKey.localeCompare(b.idempotencyKey),
  );
}

/**
 * The days a person's budget stays spent after an unasked email: the setting, less an
 * hour. The jobs run at the same hour each week and take moments, so without the hour a
 * prompt sent at 10:00:00.02 last Monday would push this Monday's 10:00 run back a week.
 */
export const budgetDays = (budget: MailBudget): number => budget.unaskedEveryDays - 1 / 24;

/**
 * Whether a held ask about a link still stands when its reader's budget frees: a nudge to
 * say hello, or a prompt to plan a takeover, is dropped if since it was held the two sides
 * have been in touch, a takeover is now offered or planned, or the link has ended; and any
 * held email past its `staleAfter`. (Held a week for the budget, a "time to say hello" could otherwise reach a champion who has just
 * offered Saturdays.)
 */
export function heldAskStands(message: { template: string; heldAt?: string; staleAfter?: string }, link: Pick<Link, 'status' | 'lastContactAt' | 'takeoverUntil'> | undefined, now: Date): boolean {
  // Past what its sender said it was worth (a reminder about last month's ask).
  if (message.staleAfter && now.toISOString() > message.staleAfter) return false;
  if (message.template !== 'quiet-link-nudge' && message.template !== 'takeover-prompt') return true;
  if (!link || link.status === 'ended') return false;
  if (message.heldAt && link.lastContactAt && link.lastContactAt > message.heldAt) return false;
  return !(link.takeoverUntil && link.takeoverUntil >= now.toISOString().slice(0, 10));
}

/**
 * The parts of a round-up that only repeat another: the same kind of ask about the same
 * link, held twice while the reader's budget was spent (a feedback ask and its reminder,
 * or two rungs of the quiet-link ladder). The first held stays, as it was written to be
 * read first ("Reminder: ..." and "Still there?" assume an email the reader never got);
 * the later ones go. Returns the idempotency keys to drop.
 */
export function repeatedParts<T extends { template: string; idempotencyKey: string; heldAt?: string; practiceCode?: string; eventShortName?: string }>(parts: readonly T[]): string[] {
  const kept = new Set<string>();
  const repeated: string[] = [];
  for (const part of [...parts].sort((a, b) => (a.heldAt ?? '').localeCompare(b.heldAt ?? '') || a.idempotencyKey.localeCompare(b.idempotencyKey))) {
    if (!part.practiceCode || !part.eventShortName) continue;
    const about = `${part.template}#${part.practiceCode}.${part.eventShortName}`;
    if (kept.has(about)) repeated.push(part.idempotencyKey);
    else kept.add(about);
  }
  return repeated;
}
