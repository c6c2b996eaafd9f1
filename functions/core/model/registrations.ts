/** Registrations, and the introductions queued by the go-live import. */
import type { Practice } from './practices.js';

/** A registration as confirmed: its insert makes the introductions. */
export interface Registration {
  id: string;
  practice: Practice;
  eventShortNames: string[];
  /** The answer to "have you already contacted the event team?" */
  contactedEventTeam: boolean;
  submittedAt: string;
}

export type RegistrationStatus = 'awaiting-confirmation' | 'confirmed' | 'rejected';

/**
 * A registration as the form or the API takes it: it waits for the practice's champion to
 * confirm it from their own inbox (the address given or, for a practice already on record,
 * its champion on record, never the address the form named). Nothing reaches an event team
 * before; unconfirmed, it goes after `registrationDays`, leaving an audit entry. Head
 * office can reject one as not genuine, confirmed or not.
 */
export interface PendingRegistration extends Registration {
  status: RegistrationStatus;
  practiceOnRecord: boolean;
  confirmedAt?: string;
  rejectedAt?: string;
}

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
