/**
 * Takeover planning, as pure decisions: which Saturdays to offer, whether a link is due
 * a planning prompt, and when each countdown reminder falls. A takeover is a Saturday
 * when practice staff fill every volunteer role at their linked event.
 */
import { isoDate, localDateOf, localTimeToInstant, type LocalDate } from './event-dates.js';
import type { TakeoverReminderName } from '../model.js';

const day = 86_400_000;

export interface TakeoverHistory {
  /** ISO day of the last takeover done at this link, if any. */
  lastDoneOn?: string;
  /** True while a takeover is proposed or fixed for this link. */
  planned: boolean;
  /** When this link's champion was last invited to plan one. */
  lastPromptedAt?: string;
  /** The champion said "not this year" then. */
  notThisYearAt?: string;
}

export const takeoverPolicy = {
  /** Offer Saturdays from this many weeks ahead... */
  earliestWeeks: 6,
  /** ...to this many. */
  latestWeeks: 16,
  /** No prompt within a year of the last takeover, or of "not this year". */
  quietAfterTakeoverDays: 365,
  /** At most one prompt a quarter. */
  promptEveryDays: 91,
  /**
   * Another practice's takeover at the event blocks the Saturdays within this many days of
   * it: one takeover every four weeks at most. Each needs the event team's briefing and
   * roster, and each sends its directors a final check three days before: an event whose
   * practices took three Saturdays in one month sent its directors five emails in it
   * (issue 19's cap is four). Four weeks apart, no calendar month holds more than two.
   */
  spacingDays: 28,
} as const;

/** Whether the link's champion should now be invited to plan a takeover. */
export function isDueForPrompt(history: TakeoverHistory, now: Date): boolean {
  if (history.planned) return false;
  const since = (iso?: string) => (iso ? (now.getTime() - new Date(iso).getTime()) / day : Infinity);
  return (
    since(history.lastDoneOn) >= takeoverPolicy.quietAfterTakeoverDays &&
    since(history.notThisYearAt) >= takeoverPolicy.quietAfterTakeoverDays &&
    since(history.lastPromptedAt) >= takeoverPolicy.promptEveryDays
  );
}

/** When a link not yet due a prompt becomes due: the latest of its quarter, year and "not this year" waits. */
export function nextPromptDue(history: TakeoverHistory, now: Date): Date {
  const after = (iso: string | undefined, days: number) => (iso ? new Date(iso).getTime() + days * day : 0);
  return new Date(
    Math.max(
      now.getTime(),
      after(history.lastPromptedAt, takeoverPolicy.promptEveryDays),
      after(history.lastDoneOn, takeoverPolicy.quietAfterTakeoverDays),
      after(history.notThisYearAt, takeoverPolicy.quietAfterTakeoverDays),
    ),
  );
}

/** The first prompt for a new link waits this long after its introduction. */
export const firstPromptAfterDays = 28;

/** EventBridge Scheduler name for a countdown reminder: from the takeover, the reminder and the day. */
export const reminderName = (takeoverId: string, reminder: TakeoverReminder, date: string) => `tk-${takeoverId}-${reminder}-${date.replace(/-/g, '')}`;

const addDays = (d: LocalDate, n: number): LocalDate => {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n, 12));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
};
const weekdayOf = (d: LocalDate) => new Date(Date.UTC(d.year, d.month - 1, d.day, 12)).getUTCDay();

/**
 * The event days (Saturdays for 5k events) from 6 to 16 weeks ahead, in the event's time
 * zone, leaving out days the event marked unavailable and days within
 * `takeoverPolicy.spacingDays` of another practice's takeover.
 */
export function offerableDates(
  now: Date,
  event: { timeZone: string; weekday: number; unavailableDates?: string[] },
  takenDates: string[],
  earliestWeeks: number = takeoverPolicy.earliestWeeks,
): string[] {
  const today = localDateOf(now, event.timeZone);
  const unavailable = new Set(event.unavailableDates ?? []);
  const dates: string[] = [];
  for (let offset = earliestWeeks * 7; offset <= takeoverPolicy.latestWeeks * 7; offset++) {
    const date = addDays(today, offset);
    if (weekdayOf(date) !== event.weekday) continue;
    const iso = isoDate(date);
    if (!unavailable.has(iso) && !tooClose(iso, takenDates)) dates.push(iso);
  }
  return dates;
}

/** Whether `date` falls within `takeoverPolicy.spacingDays` of any of the event's takeover days (the same day included). */
export function tooClose(date: string, takenDates: readonly string[]): boolean {
  const at = Date.parse(`${date}T12:00:00Z`);
  return takenDates.some((taken) => Math.abs(Date.parse(`${taken}T12:00:00Z`) - at) < takeoverPolicy.spacingDays * day);
}

/**
 * When an offer nobody has taken up lapses: the day after the last Saturday it offered.
 * Kept open past that, it would still count as "offered" while its link, no longer held by
 * any day ahead, went quiet and was nudged; expired then, the champion hears at once and
 * may offer other Saturdays.
 */
export function offerLapsesAt(proposedDates: readonly string[]): Date {
  const last = [...proposedDates].sort().at(-1);
  if (!last) throw new Error('An offer has at least one Saturday');
  return new Date(new Date(`${last}T00:00:00Z`).getTime() + day);
}

export type TakeoverReminder = TakeoverReminderName;

/**
 * When each countdown reminder falls for a takeover on `date`: 10:00 local on the first
 * weekday (Monday to Friday) on or after 6 weeks before, 2 weeks before, 3 days before,
 * and 2 days after. The day itself is a Saturday, so "6 weeks before" would be one too:
 * inside both the practices' and the event directors' quiet hours. For a Saturday event
 * that gives the Monday of the week 6 weeks and 2 weeks before, the Wednesday before, and
 * the Monday after. Reminders already past (a takeover fixed at short notice) are left out.
 */
export function countdown(date: string, timeZone: string, now: Date): Array<{ reminder: TakeoverReminder; at: Date }> {
  const [year, month, dayOfMonth] = date.split('-').map(Number) as [number, number, number];
  const on: LocalDate = { year, month, day: dayOfMonth };
  const weekdayOnOrAfter = (offset: number) => {
    let d = addDays(on, offset);
    while (weekdayOf(d) === 0 || weekdayOf(d) === 6) d = addDays(d, 1);
    return localTimeToInstant(d, 10, 0, timeZone);
  };
  const all: Array<{ reminder: TakeoverReminder; at: Date }> = [
    { reminder: '6-weeks', at: weekdayOnOrAfter(-42) },
    { reminder: '2-weeks', at: weekdayOnOrAfter(-14) },
    { reminder: '3-days', at: weekdayOnOrAfter(-3) },
    { reminder: 'after', at: weekdayOnOrAfter(2) },
  ];
  return all.filter((r) => r.at > now);
}

/**
 * Whether any countdown email for a takeover on `date` falls in the calendar month (in the
 * event's time zone) of `at`. In such a month the champion already hears about the link
 * two or three times, so the feedback job sends no reminder then (issue 19: one champion
 * got seven emails in a takeover month).
 */
export function countdownFallsInMonthOf(date: string, timeZone: string, at: Date): boolean {
  const month = (d: Date) => {
    const local = localDateOf(d, timeZone);
    return local.year * 12 + local.month;
  };
  return countdown(date, timeZone, new Date(0)).some((r) => month(r.at) === month(at));
}

/** Why a chosen date cannot be proposed, or undefined when it can. */
export function dateProblem(date: string, offerable: string[]): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return 'Choose a date from the list';
  if (!offerable.includes(date)) return 'That day is not one of the Saturdays on offer: it is past, too soon, too far ahead, unavailable, already taken, or within four weeks of another practice\'s takeover';
  return undefined;
}

/**
 * What each countdown step tells the event's directors. The heads-up six weeks ahead and
 * the "how did it go?" afterwards wait for their next digest: neither is urgent, and an
 * event with several takeovers in a month sent its directors up to six of these emails
 * (issue 19). The final check three days before is an email of its own: it cannot wait.
 */
export const directorsHear: Record<TakeoverReminder, 'email' | 'digest' | 'nothing'> = { '6-weeks': 'digest', '2-weeks': 'nothing', '3-days': 'email', after: 'digest' };
