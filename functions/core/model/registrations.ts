/** Registrations, and the introductions queued by the go-live import. */
import * as z from '../zod.js';
import { practiceSchema } from './practices.js';

/** A registration as confirmed: its insert makes the introductions (the registration watcher checks its item against this). */
export const registrationSchema = z.object({
  id: z.string().check(z.minLength(1)),
  practice: practiceSchema,
  eventShortNames: z.array(z.string()).check(z.minLength(1)),
  /** The answer to "have you already contacted the event team?" */
  contactedEventTeam: z.boolean(),
  submittedAt: z.string(),
});
export type Registration = z.infer<typeof registrationSchema>;

export const registrationStatuses = ['awaiting-confirmation', 'confirmed', 'rejected'] as const;
export type RegistrationStatus = (typeof registrationStatuses)[number];

/**
 * A registration as the form or the API takes it: it waits for the practice's champion to
 * confirm it from their own inbox (the address given or, for a practice already on record,
 * its champion on record, never the address the form named). Nothing reaches an event team
 * before; unconfirmed, it goes after `registrationDays`, leaving an audit entry. Head
 * office can reject one as not genuine, confirmed or not.
 */
export const pendingRegistrationSchema = z.extend(registrationSchema, {
  status: z.enum(registrationStatuses),
  practiceOnRecord: z.boolean(),
  confirmedAt: z.optional(z.string()),
  rejectedAt: z.optional(z.string()),
});
export type PendingRegistration = z.infer<typeof pendingRegistrationSchema>;

/** How long a registration waits for its confirmation. */
export const registrationDays = 7;

/**
 * Introductions queued by the go-live import (`--introduce`), due at a day spread over the
 * following weeks: the champion's (one email listing their events) and each event team's
 * (the practices new to it, in the directors' next digest). The quiet-link sweep sends
 * them when due. Practices or events added by a later run join the one still waiting.
 */
export interface PracticeIntroduction {
  practiceCode: string;
  eventShortNames: string[];
  dueAt?: string;
  rev?: number;
}

export interface EventIntroduction {
  eventShortName: string;
  practiceCodes: string[];
  dueAt?: string;
  rev?: number;
}
