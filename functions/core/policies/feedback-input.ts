/**
 * What the attendance-feedback and newcomer forms accept. Counts and yes/no only: each
 * form is a strict list of fields, so anything else sent with it (a patient's name
 * slipped into an extra field) is refused, and nothing is stored.
 */
import * as z from '../zod.js';
import { ValidationError } from '../errors.js';
import { isoDate, localDateOf, parseIsoDay } from './event-dates.js';
import { toValidationError } from './input-rules.js';

/** More than this is not a rough count from one practice in one month: a typo, or not a count at all. */
export const maxCount = 500;

/** A form field's text as a whole number from `min` to 500, with a message saying what is wrong. */
export function count(what: string, min = 0) {
  return z.pipe(
    z.string({ error: `Enter ${what}` }),
    z.transform((raw: string, ctx) => {
      const v = raw.trim();
      const fail = (message: string) => {
        ctx.issues.push({ code: 'custom', message, input: raw });
        return z.NEVER;
      };
      if (v === '') return fail(`Enter ${what}${min === 0 ? ' (0 if none)' : ''}`);
      if (/^[-\u2212]\s*\d/.test(v)) return fail(`${capitalise(what)} cannot be negative`);
      if (!/^\d+([.,]\d+)?$/.test(v)) return fail(`Enter ${what} as a number, like 12`);
      if (!/^\d+$/.test(v)) return fail(`Enter ${what} as a whole number`);
      const n = Number(v);
      if (n > maxCount) return fail(`${n} is more than ${maxCount}: enter roughly how many, up to ${maxCount}`);
      if (n < min) return fail(`Enter ${what}: at least ${min}`);
      return n;
    }),
  );
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Every field beyond those named is refused, with its name, so nothing extra can be stored. */
export function strictForm<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `This form takes only the fields shown; remove ${issue.keys.map((k) => `"${k}"`).join(', ')}. Please do not enter anything that could identify a patient.`
        : undefined,
  });
}

export function parseWith<T>(schema: z.ZodMiniType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw toValidationError(result.error);
  return result.data;
}

export const staffActivities = { walked: 'Walked', ran: 'Ran or jogged', volunteered: 'Volunteered' } as const;
export type StaffActivity = keyof typeof staffActivities;

/** The answer as recorded, not the form's output: the form sends the ticked staff boxes as a list. */
export interface FeedbackInput {
  suggested: number;
  attended: number;
  staff: { walked: boolean; ran: boolean; volunteered: boolean };
}

const feedbackForm = strictForm({
  suggested: count('how many patients you suggested parkrun to'),
  attended: count('how many you know came'),
  staff: z.optional(z.array(z.enum(Object.keys(staffActivities) as [StaffActivity, ...StaffActivity[]], { error: 'Choose from the staff activities listed' }))),
});

/** The monthly answer: `staff` is the list of ticked boxes. */
export function parseFeedback(input: Record<string, unknown>): FeedbackInput {
  const form = parseWith(feedbackForm, input);
  const ticked = new Set(form.staff ?? []);
  if (form.attended > form.suggested) {
    throw new ValidationError({ attended: 'This is more than the number you suggested parkrun to: count only the patients you suggested it to' });
  }
  return { suggested: form.suggested, attended: form.attended, staff: { walked: ticked.has('walked'), ran: ticked.has('ran'), volunteered: ticked.has('volunteered') } };
}

/** How far ahead a champion may say patients are coming. */
export const newcomerWeeksAhead = 12;

const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const eventDayName = (weekday: number) => dayNames[weekday] ?? 'Saturday';

/**
 * Why `date` cannot be a day newcomers come to the event, or undefined when it can: it
 * must be the event's own day (Saturday, or Sunday for juniors), still to come, and
 * within 12 weeks.
 */
export function newcomerDayProblem(date: string, event: { name: string; weekday: number; timeZone: string }, now: Date): string | undefined {
  const day = eventDayName(event.weekday);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return `Choose a ${day} from the list`;
  const parsed = parseIsoDay(date);
  const asUtc = new Date(Date.UTC(parsed.year, parsed.month - 1, parsed.day, 12));
  if (isoDate({ year: asUtc.getUTCFullYear(), month: asUtc.getUTCMonth() + 1, day: asUtc.getUTCDate() }) !== date) return `${date} is not a date: choose a ${day} from the list`;
  const today = isoDate(localDateOf(now, event.timeZone));
  if (date <= today) return `That ${day} has passed: choose a coming one`;
  if (asUtc.getUTCDay() !== event.weekday) return `${event.name} is on ${day}s, and ${date} is a ${dayNames[asUtc.getUTCDay()]}`;
  // Calendar days in the event's zone, as the page lists them, so the last day offered is accepted.
  const local = localDateOf(now, event.timeZone);
  const last = new Date(Date.UTC(local.year, local.month - 1, local.day + newcomerWeeksAhead * 7, 12)).toISOString().slice(0, 10);
  if (date > last) return `Choose a ${day} in the next ${newcomerWeeksAhead} weeks`;
  return undefined;
}

/** Not the form's output: the form's count is text, checked only for a plan (a cancellation has none). */
export type NewcomerInput = { action: 'plan'; date: string; count: number } | { action: 'cancel'; date: string };

const newcomerForm = strictForm({
  action: z.optional(z.enum(['plan', 'cancel'], { error: 'Choose to tell us about a day, or to cancel one' })),
  date: z.string({ error: 'Choose a day' }),
  count: z.optional(z.string()),
});

/** "About N patients plan to come on <day>", or "cancel <day>". */
export function parseNewcomers(input: Record<string, unknown>, event: { name: string; weekday: number; timeZone: string }, now: Date): NewcomerInput {
  const form = parseWith(newcomerForm, input);
  const problem = newcomerDayProblem(form.date.trim(), event, now);
  if (form.action === 'cancel') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date.trim())) throw new ValidationError({ date: 'Choose a day to cancel' });
    return { action: 'cancel', date: form.date.trim() };
  }
  const fields: Record<string, string> = {};
  if (problem) fields.date = problem;
  const parsedCount = count('how many patients plan to come', 1).safeParse(form.count ?? '');
  if (!parsedCount.success) fields.count = parsedCount.error.issues[0]?.message ?? 'Enter how many';
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  return { action: 'plan', date: form.date.trim(), count: parsedCount.data! };
}
