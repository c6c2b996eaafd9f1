/** What each magic-link page may send back, validated at the edge like registrations. */
import * as z from '../zod.js';
import { ValidationError } from '../errors.js';
import { plainText, toValidationError } from './input-rules.js';
import { activities, activityStatuses, contactMethods, type ActivityKey, type ActivityStatus, type ContactMethod } from '../model.js';

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day that exists: 2026-02-31 does not (Date would quietly make it 3 March). */
function isRealDay(value: string): boolean {
  return isoDay.test(value) && !Number.isNaN(Date.parse(`${value}T12:00:00Z`)) && new Date(`${value}T12:00:00Z`).toISOString().slice(0, 10) === value;
}

/** Not the schema's output: empty fields are left out, and `how` is narrowed once checked. */
export interface InTouchInput {
  /** The day contact happened, YYYY-MM-DD; absent = today. */
  contactedOn?: string;
  how?: ContactMethod;
}

/** A contact can be recorded up to a year back, and never in the future. */
export function parseInTouch(input: Record<string, unknown>, today: string): InTouchInput {
  const schema = z.object({
    contactedOn: z
      .pipe(
        z.optional(z.string().check(z.trim())),
        z.transform((v: string | undefined) => (v ? v : undefined)),
      )
      .check(
        z.refine((v) => v === undefined || isRealDay(v), 'Enter the date as day, month and year'),
        z.refine((v) => v === undefined || v <= today, 'The date cannot be in the future'),
        z.refine((v) => v === undefined || Date.parse(`${today}T12:00:00Z`) - Date.parse(`${v}T12:00:00Z`) <= 366 * 86_400_000, 'Choose a date within the last year'),
      ),
    how: z
      .pipe(
        z.optional(z.string()),
        z.transform((v: string | undefined) => (v ? v : undefined)),
      )
      .check(z.refine((v) => v === undefined || Object.hasOwn(contactMethods, v), 'Choose how you were in touch from the list')),
  });
  const result = schema.safeParse(input);
  if (!result.success) throw toValidationError(result.error);
  return { ...(result.data.contactedOn ? { contactedOn: result.data.contactedOn } : {}), ...(result.data.how ? { how: result.data.how as ContactMethod } : {}) };
}

/** A successor named on the hand-over page: built for the address handing over, which it refuses. */
const successorSchema = (currentEmail: string) =>
  z.object({
    name: plainText('Their name', 100),
    role: plainText('Their role', 60),
    email: z
      .pipe(
        z.string({ error: 'Their email is required' }).check(z.trim(), z.toLowerCase()),
        z.email('Enter a valid email address').check(z.maxLength(254)),
      )
      .check(z.refine((v) => v !== currentEmail.toLowerCase(), 'Enter a colleague’s address, not your own')),
  });
export type SuccessorInput = z.output<ReturnType<typeof successorSchema>>;

export function parseSuccessor(input: Record<string, unknown>, currentEmail: string): SuccessorInput {
  const result = successorSchema(currentEmail).safeParse(input);
  if (!result.success) throw toValidationError(result.error);
  return result.data;
}

/** Each activity may be left unanswered; an answer must be one of the four statuses. */
export function parseActivities(input: Record<string, unknown>): Partial<Record<ActivityKey, ActivityStatus>> {
  const out: Partial<Record<ActivityKey, ActivityStatus>> = {};
  const fields: Record<string, string> = {};
  for (const key of Object.keys(activities) as ActivityKey[]) {
    const value = input[key];
    if (value === undefined || value === '') continue;
    if (typeof value === 'string' && Object.hasOwn(activityStatuses, value)) out[key] = value as ActivityStatus;
    else fields[key] = 'Choose one of the answers';
  }
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  if (Object.keys(out).length === 0) throw new ValidationError({ activities: 'Answer at least one of the activities' });
  return out;
}

export const pauseMonths = [1, 3] as const;
export type PauseMonths = (typeof pauseMonths)[number];

export function parsePauseMonths(value: unknown): PauseMonths {
  const n = Number(value);
  if (n === 1 || n === 3) return n;
  throw new ValidationError({ months: 'Choose 1 or 3 months' });
}

/**
 * How a takeover went, from its page: whether it happened, staff who volunteered (0 to 200),
 * would they again. A takeover that did not go ahead needs no count: left empty, it is 0
 * (asking for one refused a third of the simulated year's answers).
 */
export function parseTakeoverOutcome(input: Record<string, string | undefined>): { happened: boolean; staffVolunteered: number; wouldDoAgain: boolean } {
  const staff = input.staffVolunteered?.trim() || (input.happened === 'no' ? '0' : '');
  const problems: Record<string, string> = {};
  if (!/^\d{1,3}$/.test(staff) || Number(staff) > 200) problems.staffVolunteered = 'Enter a number of people from 0 to 200';
  // The radios send yes or no: anything else is refused, not recorded as a yes.
  for (const name of ['happened', 'again'] as const) if (input[name] !== undefined && input[name] !== 'yes' && input[name] !== 'no') problems[name] = 'Choose yes or no';
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  return { happened: input.happened !== 'no', staffVolunteered: Number(staff), wouldDoAgain: input.again !== 'no' };
}
