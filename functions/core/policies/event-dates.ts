/**
 * Event dates are local to the event (Europe/London for the UK). These pure functions
 * turn an instant into the event's calendar, and a calendar date into words people read.
 */

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

interface LocalDateTime extends LocalDate {
  weekday: number;
  minutes: number;
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Building a formatter costs far more than using one, and every email asks: one per zone. */
const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

function localParts(instant: Date, timeZone: string): LocalDateTime {
  const parts = partsFormatter(timeZone).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    weekday: weekdays.indexOf(get('weekday')),
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

function parseStartTime(startTime: string): number {
  const [h, m] = startTime.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Calendar arithmetic at UTC noon, so no time zone or clock change can shift the day. */
function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days, 12));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * The next day the event is on (weekday 6 = Saturday) that has not yet started, in the
 * event's own time zone: on a Saturday after the 09:00 start, that is the next Saturday.
 */
export function nextEventDate(now: Date, event: { timeZone: string; weekday: number; startTime: string }): LocalDate {
  const local = localParts(now, event.timeZone);
  let days = (event.weekday - local.weekday + 7) % 7;
  if (days === 0 && local.minutes >= parseStartTime(event.startTime)) days = 7;
  return addDays(local, days);
}

const longDate = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });

/** "Saturday 6 December", as people write dates in British English. */
export function formatLongDate(date: LocalDate): string {
  return longDate.format(new Date(Date.UTC(date.year, date.month - 1, date.day, 12)));
}

/** "2027-01-09" as a calendar date. */
export function parseIsoDay(iso: string): LocalDate {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

export function isoDate(date: LocalDate): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

/** The calendar day of an instant in a time zone, as "Sunday 22 November". */
export function formatDayOf(instant: Date, timeZone: string): string {
  const { year, month, day } = localParts(instant, timeZone);
  return formatLongDate({ year, month, day });
}

/** The calendar day of an instant in a time zone, as YYYY-MM-DD. */
export function isoDayOf(instant: Date, timeZone: string): string {
  const { year, month, day } = localParts(instant, timeZone);
  return isoDate({ year, month, day });
}

/** The offset of a time zone from UTC at an instant, in milliseconds (+1 h for London in summer). */
function offsetMs(instant: Date, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, Math.floor(p.minutes / 60), p.minutes % 60);
  return asUtc - Math.floor(instant.getTime() / 60_000) * 60_000;
}

/** The instant of a local wall-clock time in a time zone, e.g. 10:00 on a date in Europe/London. */
export function localTimeToInstant(date: LocalDate, hour: number, minute: number, timeZone: string): Date {
  const guess = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  const first = guess - offsetMs(new Date(guess), timeZone);
  // Re-check at the answer: near a clock change the offset there can differ from the guess's.
  return new Date(guess - offsetMs(new Date(first), timeZone));
}

/** The local calendar day of an instant. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const { year, month, day } = localParts(instant, timeZone);
  return { year, month, day };
}

/** The local calendar month of an instant, as YYYY-MM, and the instant the next one starts (midnight on its 1st). */
export function calendarMonthOf(instant: Date, timeZone: string): { id: string; nextMonthAt: Date } {
  const { year, month } = localDateOf(instant, timeZone);
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  return { id: `${year}-${String(month).padStart(2, '0')}`, nextMonthAt: localTimeToInstant({ ...next, day: 1 }, 0, 0, timeZone) };
}

/** Occurrences of a weekday schedule on the hour (e.g. Monday to Friday at 08:00 … 17:00 local) in (from, to]. */
export function weekdayOccurrences(from: Date, to: Date, hours: readonly number[], timeZone: string, days: readonly number[] = [1, 2, 3, 4, 5]): Date[] {
  const found: Date[] = [];
  let date = localDateOf(from, timeZone);
  for (let i = 0; i < 4000; i++) {
    if (localTimeToInstant(date, 0, 0, timeZone) > to) break;
    const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day, 12)).getUTCDay();
    if (days.includes(weekday)) {
      for (const hour of hours) {
        const at = localTimeToInstant(date, hour, 0, timeZone);
        if (at > from && at <= to) found.push(at);
      }
    }
    date = addDays(date, 1);
  }
  return found;
}
