/**
 * When a practice hears whom its newcomers should look for: 10:00 on the Thursday before
 * the event day (in the event's time zone), early enough to pass on, late enough to be
 * remembered. A plan made after that time is told at once, within the practice's hours,
 * or not at all once the event has started (the champion saw the details on the page).
 */
import { createHash } from 'node:crypto';
import { localTimeToInstant, parseIsoDay, type LocalDate } from './event-dates.js';
import { isAllowed, nextAllowedTime } from './quiet-hours.js';

const thursday = 4;
export const noticeHour = 10;

const shift = (d: LocalDate, days: number): LocalDate => {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days, 12));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
};

/** 10:00 on the Thursday before the event day `date` (two days before a Saturday, three before a Sunday). */
export function noticeTime(date: string, timeZone: string): Date {
  const day = parseIsoDay(date);
  const weekday = new Date(Date.UTC(day.year, day.month - 1, day.day, 12)).getUTCDay();
  const back = (weekday - thursday + 7) % 7 || 7;
  return localTimeToInstant(shift(day, -back), noticeHour, 0, timeZone);
}

export function eventStart(date: string, event: { startTime: string; timeZone: string }): Date {
  const [h, m] = event.startTime.split(':').map(Number);
  return localTimeToInstant(parseIsoDay(date), h ?? 9, m ?? 0, event.timeZone);
}

/** EventBridge Scheduler names: at most 64 of [0-9A-Za-z-_.], and the same for the same plan every time. */
export function noticeName(practiceCode: string, eventShortName: string, date: string): string {
  const name = `ftn-${practiceCode}.${eventShortName}-${date.replace(/-/g, '')}`;
  if (name.length <= 64) return name;
  return `ftn-${practiceCode}-${createHash('sha1').update(eventShortName).digest('hex').slice(0, 16)}-${date.replace(/-/g, '')}`;
}

export type NoticeTiming = { when: 'scheduled'; at: Date } | { when: 'now' } | { when: 'too-late' };

/**
 * Thursday 10:00 still ahead: a one-time schedule. Past it (the day is under two days
 * away): now if practice hours allow, else at the next practice hour if that comes
 * before the start; after that, nothing.
 */
export function noticeTiming(date: string, event: { startTime: string; timeZone: string }, now: Date): NoticeTiming {
  const at = noticeTime(date, event.timeZone);
  // A schedule needs a moment in the future; a minute's margin keeps "at" from being past when it lands.
  if (at.getTime() - now.getTime() > 60_000) return { when: 'scheduled', at };
  const start = eventStart(date, event);
  if (now >= start) return { when: 'too-late' };
  if (isAllowed('practice', now, event.timeZone)) return { when: 'now' };
  const next = nextAllowedTime('practice', now, event.timeZone);
  return next < start ? { when: 'scheduled', at: next } : { when: 'too-late' };
}
