/**
 * The monthly attendance-feedback cycle, in UK time. A practice is asked about the month
 * just gone on the first Tuesday of a month at 10:00 (always in the first week, inside
 * practice hours), reminded once a week later if it has not answered, and each event's
 * directors get the month's summary a week after that, in their next digest.
 */
import type { Period } from '../model.js';
import { localDateOf, localTimeToInstant, type LocalDate } from './event-dates.js';

export const feedbackCalendar = {
  timeZone: 'Europe/London',
  /** As Date#getDay: Tuesday. */
  weekday: 2,
  hour: 10,
  reminderAfterDays: 7,
  summaryAfterDays: 14,
} as const;

const dayMs = 86_400_000;

/** The ask time of a calendar month (month 1–12): its first Tuesday, 10:00 UK time. */
export function askTimeOf(year: number, month: number): Date {
  const firstWeekday = new Date(Date.UTC(year, month - 1, 1, 12)).getUTCDay();
  const day = 1 + ((feedbackCalendar.weekday - firstWeekday + 7) % 7);
  return localTimeToInstant({ year, month, day }, feedbackCalendar.hour, 0, feedbackCalendar.timeZone);
}

const nextMonth = (d: Pick<LocalDate, 'year' | 'month'>) => (d.month === 12 ? { year: d.year + 1, month: 1 } : { year: d.year, month: d.month + 1 });
const previousMonth = (d: Pick<LocalDate, 'year' | 'month'>) => (d.month === 1 ? { year: d.year - 1, month: 12 } : { year: d.year, month: d.month - 1 });

/** A month as a period: { 2027, 1 } gives 2027-01. */
const periodOf = (d: Pick<LocalDate, 'year' | 'month'>): Period => `${d.year}-${String(d.month).padStart(2, '0')}`;
const monthOf = (period: Period) => {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return { year, month };
};

/** The month after `period`: 2026-12 gives 2027-01. */
export const nextPeriod = (period: Period): Period => periodOf(nextMonth(monthOf(period)));

/** The first ask time strictly after `after`: this month's, if still ahead, else next month's. */
export function nextAskAt(after: Date): Date {
  const local = localDateOf(after, feedbackCalendar.timeZone);
  const thisMonth = askTimeOf(local.year, local.month);
  if (thisMonth > after) return thisMonth;
  const next = nextMonth(local);
  return askTimeOf(next.year, next.month);
}

/** The month an ask at `at` is about: the one before `at`'s month. */
export function periodAskedAt(at: Date): Period {
  return periodOf(previousMonth(localDateOf(at, feedbackCalendar.timeZone)));
}

/** True in the first seven days of a UK month, when asks may go out. */
export function isAskWeek(at: Date): boolean {
  return localDateOf(at, feedbackCalendar.timeZone).day <= 7;
}

/** When the asks about `period` are due: the first Tuesday of the month after it. */
export function askTimeFor(period: Period): Date {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const askMonth = nextMonth({ year, month });
  return askTimeOf(askMonth.year, askMonth.month);
}

/**
 * The reminder is due a week after the calendar's ask time, not after the moment a run
 * asked: a run (or a retry) that starts a little later must not push it past next
 * Tuesday's run, which reads only what is due by its own start.
 */
export const reminderDueAt = (period: Period) => new Date(askTimeFor(period).getTime() + feedbackCalendar.reminderAfterDays * dayMs);

/** When the month's summary goes to the directors: a week after the reminders. */
export const summaryDueAt = (period: Period) => new Date(askTimeFor(period).getTime() + feedbackCalendar.summaryAfterDays * dayMs);

/** "October 2026". */
export function periodLabel(period: Period): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, 15)));
}

export const isPeriod = (value: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(value);

/**
 * Who gets the month's one reminder: a practice that answered last month, or one asked
 * for the first time (we do not know it yet). Any other is still asked every month, but
 * not reminded: with at most two unasked emails a month each, the ask and its reminder
 * filled most champions' months, and a reminder to a practice that had not answered the
 * month before was seldom answered (docs/simulation.md). (Asking such practices only
 * quarterly was tried too; it lost more answers, which count as contact, than it saved.)
 */
export const remindAfterAnswerWithinMonths = 1;

/** The `n` months before `period`, latest first: 2027-02, 3 gives 2027-01, 2026-12, 2026-11. */
export function periodsBefore(period: Period, n: number): Period[] {
  const out: Period[] = [];
  for (let d = previousMonth(monthOf(period)); out.length < n; d = previousMonth(d)) out.push(periodOf(d));
  return out;
}

/**
 * Whether the reminder about `period` goes: the practice answered the month before it
 * (`answeredBefore`, read for periodsBefore(period, remindAfterAnswerWithinMonths)), or
 * `period` is the first it was asked about (or it is not known to have been asked).
 */
export function remindsAbout(period: Period, firstAsked: Period | undefined, answeredBefore: boolean): boolean {
  return answeredBefore || firstAsked === undefined || firstAsked === period;
}
