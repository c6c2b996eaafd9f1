/**
 * When people may be emailed, in the event's own time zone:
 *  - event directors: never from Friday 18:00 to Saturday 13:00 (event morning);
 *  - practices: Monday to Friday, 08:00 to 18:00 (working hours).
 * Mail due outside its window waits for the next allowed time.
 */
export type Audience = 'practice' | 'event-director';

/** Champions are practice staff; directors and the volunteers they name are parkrun people. */
export const audienceOf = (role: 'champion' | 'event-director' | 'first-timer-contact'): Audience => (role === 'champion' ? 'practice' : 'event-director');

/** Where a window's time zone is not an event's: every practice is in the UK. */
export const ukTimeZone = 'Europe/London';

interface Local {
  weekday: number; // 0 = Sunday
  minutes: number;
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** One formatter per zone: building one costs far more than using it, and every send asks. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function local(instant: Date, timeZone: string): Local {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { weekday: weekdays.indexOf(get('weekday')), minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

export function isAllowed(audience: Audience, instant: Date, timeZone: string): boolean {
  const { weekday, minutes } = local(instant, timeZone);
  if (audience === 'practice') return weekday >= 1 && weekday <= 5 && minutes >= 8 * 60 && minutes < 18 * 60;
  const fridayEvening = weekday === 5 && minutes >= 18 * 60;
  const saturdayMorning = weekday === 6 && minutes < 13 * 60;
  return !(fridayEvening || saturdayMorning);
}

/**
 * The first allowed instant at or after `from`. Windows open on the hour (08:00 Monday
 * for practices, 13:00 Saturday for directors), so stepping through whole local hours and
 * then back to the hour finds it exactly, across clock changes too.
 */
export function nextAllowedTime(audience: Audience, from: Date, timeZone: string): Date {
  if (isAllowed(audience, from, timeZone)) return from;
  const hour = 3_600_000;
  // Start of the current hour (UK offsets are whole hours), then step an hour at a time.
  let t = new Date(Math.floor(from.getTime() / hour) * hour);
  for (let i = 0; i < 24 * 8; i++) {
    t = new Date(t.getTime() + hour);
    if (isAllowed(audience, t, timeZone)) return t;
  }
  throw new Error(`No allowed time for ${audience} within 8 days of ${from.toISOString()} in ${timeZone}`);
}
