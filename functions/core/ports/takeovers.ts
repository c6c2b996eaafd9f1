/** Takeovers, their countdown reminders, and the one-time reminders that wake jobs at a date. */
import type { Takeover, TakeoverPromptState } from '../model.js';
import type { JointContact, TakeoverOff } from '../policies/joint-contact.js';
import type { LinkRef } from './partnerships.js';
import type { TokenSpend } from './magic-links.js';

/** The jobs a one-time reminder can wake. */
/** What a one-time reminder does when it fires: one list the reminder Lambda's schema reads too. */
export const reminderJobs = ['takeover-reminder', 'first-timer-notice'] as const;
export type ReminderJob = (typeof reminderJobs)[number];

export interface ReminderRequest {
  /**
   * Deterministic, from what the reminder is for (e.g. takeover, which reminder, date):
   * scheduling the same reminder twice is harmless, and cancelling can name it.
   */
  name: string;
  at: Date;
  /** The event's time zone: the schedule fires at this local time. */
  timeZone: string;
  job: ReminderJob;
  payload: Record<string, string>;
}

/** One-time reminders at a date: EventBridge Scheduler in AWS, the local scheduler locally. */
export interface Reminders {
  /** Creates the reminder; one that exists already is left as it is. */
  schedule(reminder: ReminderRequest): Promise<void>;
  /** Deletes the reminder; one that has gone already (fired, or cancelled) is fine. */
  cancel(name: string): Promise<void>;
}

/** Takeovers, the days they hold, and when each link's champion may next be invited to plan one. */
export interface TakeoverStore {
  /** Pages of prompt states due by `now`, from the due index's own PROMPT partition. */
  promptsDue(now: Date): AsyncIterable<TakeoverPromptState[]>;
  getPromptState(link: LinkRef): Promise<TakeoverPromptState | undefined>;
  /** Writes the state if unchanged since read (`rev`); false, and nothing written, if it changed. */
  savePromptState(state: TakeoverPromptState): Promise<boolean>;
  /** Days already fixed for takeovers at an event. */
  takenDates(eventShortName: string): Promise<string[]>;
  getTakeover(id: string): Promise<Takeover | undefined>;
  /**
   * Stores a new proposal, marks the link's prompt state planned (refused if it already
   * is) and due for a look at `checkAt`, records `contact` on the link (with its takeover
   * day; NotFoundError if the link has ended) and spends the token: all or nothing.
   */
  propose(takeover: Takeover, spend: TokenSpend, checkAt: Date, contact: JointContact): Promise<void>;
  /** An offer no director answered: declined on their behalf, with `reason`, and `off` the link if given; no token involved. */
  expireOffer(takeover: Takeover, reason: string, at: Date, nextPromptAt: Date, off?: TakeoverOff): Promise<void>;
  /**
   * Fixes a proposed takeover on `date`: holds the day for this practice (DateTakenError if
   * another practice has it), marks the reminders pending, records `contact` on the link
   * (NotFoundError if it has ended), spends the token. All or nothing.
   */
  fix(takeover: Takeover, date: string, at: Date, spend: TokenSpend, contact: JointContact): Promise<void>;
  /** Records which reminders now exist. */
  markReminders(id: string, reminders: Takeover['reminders']): Promise<void>;
  /** Records that a proposed takeover's offer is in the directors' digests; false if it was already, or is no longer proposed. */
  markOffered(id: string, at: Date): Promise<boolean>;
  /**
   * The event directors cannot do any offered day: the choice goes back to the champion,
   * and the link is no longer "planned", so prompts resume at `nextPromptAt` if they do not offer again.
   */
  decline(takeover: Takeover, reason: string, at: Date, spend: TokenSpend, nextPromptAt: Date, off: TakeoverOff): Promise<void>;
  /**
   * Moves a fixed takeover to another free day (DateTakenError if taken): the old day is
   * released, reminders pending again, `contact` recorded on the link (NotFoundError if it has ended).
   */
  move(takeover: Takeover, date: string, at: Date, spend: TokenSpend, contact: JointContact): Promise<void>;
  /** Cancels a fixed takeover: the day is released, the takeover `off` the link, and prompts may come again in a quarter. */
  cancel(takeover: Takeover, at: Date, spend: TokenSpend, nextPromptAt: Date, off: TakeoverOff): Promise<void>;
  recordRoles(takeover: Takeover, filled: NonNullable<Takeover['rolesFilled']>, at: Date, spend: TokenSpend): Promise<void>;
  /** The days an event cannot host a takeover, as its director set them, with the token; refused if they changed since `previous` was read. */
  setUnavailableDates(eventShortName: string, dates: string[], previous: string[] | undefined, spend: TokenSpend): Promise<void>;
  /**
   * Records how it went and moves the prompt state on, and the takeover comes off the link:
   * when it happened, as `contact` (with the activity done); when it did not, as `off`.
   * All in one transaction with the token.
   */
  recordOutcome(takeover: Takeover, outcome: NonNullable<Takeover['outcome']>, at: Date, spend: TokenSpend, nextPromptAt: Date, link: { contact: JointContact } | { off: TakeoverOff }): Promise<void>;
}

/** A link's takeovers, read only: what the page both sides share shows (use-cases/partnership-view.ts). */
export interface LinkTakeovers {
  /** Every takeover the link has had or has planned, oldest first. */
  ofLink(link: LinkRef): Promise<Takeover[]>;
}
