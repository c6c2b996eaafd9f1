/** The monthly attendance feedback, and first-timer contacts with the newcomer plans that share them. */
import type { FeedbackAskState, FeedbackReport, FeedbackSummaryState, FirstTimerCandidate, NewcomerPlan, Period } from '../model.js';
import type { JointContact } from '../policies/joint-contact.js';
import type { LinkRef } from './partnerships.js';
import type { TokenSpend } from './magic-links.js';

export type FeedbackWork = { kind: 'ask'; state: FeedbackAskState } | { kind: 'summary'; state: FeedbackSummaryState };

/** The monthly feedback cycle: asks per link, answers, and each event's summary. */
export interface FeedbackStore {
  /** Pages of asks and summaries due by `now`, from the due index's own FEEDBACK partition. */
  feedbackDue(now: Date): AsyncIterable<FeedbackWork[]>;
  getAskState(link: LinkRef): Promise<FeedbackAskState | undefined>;
  /** Writes the state if unchanged since read (`rev`; absent: only if none exists); false, and nothing written, if it changed. */
  saveAskState(state: FeedbackAskState): Promise<boolean>;
  /** Creates the event's summary for the month, due at `dueAt`, unless it exists already. */
  ensureSummary(state: FeedbackSummaryState): Promise<void>;
  /** The summary was queued for the directors (or had nothing to say): out of the due index. */
  completeSummary(state: FeedbackSummaryState, at: Date): Promise<void>;
  getReport(link: LinkRef, period: Period): Promise<FeedbackReport | undefined>;
  /** What the event's practices reported about the month. */
  reportsOf(eventShortName: string, period: Period): Promise<FeedbackReport[]>;
  /**
   * Stores the answer (replacing an earlier one for the month), records it on the link as
   * contact from the practice (active again, the ladder reset, next quiet check at
   * `dueAt`) with a history entry, and spends the token: all or nothing.
   */
  recordReport(report: FeedbackReport, spend: TokenSpend, dueAt: Date): Promise<void>;
}

/** First-timer contacts (on the event) and the newcomer plans that lead to their details being shared. */
export interface FirstTimerStore {
  /**
   * Names a candidate, replacing any earlier one not yet confirmed, and records the naming
   * (ids only) for the watcher, and `contact` on the link named from if given; with the token.
   */
  nameCandidate(eventShortName: string, candidate: FirstTimerCandidate, spend: TokenSpend, contact?: JointContact): Promise<void>;
  /**
   * The candidate confirms and becomes the contact, replacing the previous one, with
   * `contact` on the link they were named from if given; ConflictError if someone else was
   * named since, or that link ended a moment ago.
   */
  confirm(eventShortName: string, candidateId: string, at: Date, spend: TokenSpend, contact?: JointContact): Promise<void>;
  /** Removes the candidate or the contact with this id, details and all; ConflictError if they were replaced meanwhile. */
  standDown(eventShortName: string, id: string, as: 'candidate' | 'contact', spend: TokenSpend): Promise<void>;
  /** Records that the directors were asked to name a contact; false if they had been already. */
  markAskedForContact(eventShortName: string, at: Date): Promise<boolean>;
  getPlan(link: LinkRef, date: string): Promise<NewcomerPlan | undefined>;
  /** The link's plans for days from `fromDate` on, in date order. */
  plansOf(link: LinkRef, fromDate: string): Promise<NewcomerPlan[]>;
  /**
   * Stores the plan (new, changed or cancelled) and touches the (reusable) token, with
   * `contact` on the link if given (NotFoundError if it has ended).
   */
  savePlan(plan: NewcomerPlan, spend: TokenSpend, contact?: JointContact): Promise<void>;
}
