/** Feedback: what practices report each month, where a link is in the asking, and newcomer plans. */
import * as z from '../zod.js';

/** A month as `YYYY-MM`: what a feedback report is about. */
export type Period = string;

/**
 * What a practice reported about a month, for one link: counts and yes/no only. No
 * patient is ever named, and no free text is kept (docs/product.md; the product stores no patient).
 */
export interface FeedbackReport {
  practiceCode: string;
  eventShortName: string;
  period: Period;
  /** Roughly how many patients the practice suggested parkrun to. */
  suggested: number;
  /** How many of them the practice knows came. */
  attended: number;
  staff: { walked: boolean; ran: boolean; volunteered: boolean };
  answeredAt: string;
}

/** Where a link is in the monthly feedback cycle: asked (which month), reminded, and when to look again. */
export interface FeedbackAskState {
  practiceCode: string;
  eventShortName: string;
  /** The month last asked about. */
  period?: Period;
  /** The first month asked about: in it, a practice is reminded without having answered before (feedback-calendar.ts remindsAbout). */
  firstPeriod?: Period;
  askedAt?: string;
  remindedAt?: string;
  dueAt?: string;
  rev?: number;
}

/** One per event and month asked about: due when the month's summary goes to the event directors. */
export interface FeedbackSummaryState {
  eventShortName: string;
  period: Period;
  dueAt?: string;
  queuedAt?: string;
}

/** A champion's word that some patients (a count, never who) plan to come on an event day. */
export const newcomerPlanSchema = z.object({
  practiceCode: z.string().check(z.minLength(1)),
  eventShortName: z.string().check(z.minLength(1)),
  /** The event day, YYYY-MM-DD. */
  date: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  count: z.number().check(z.int(), z.minimum(1)),
  status: z.enum(['planned', 'cancelled']),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type NewcomerPlan = z.infer<typeof newcomerPlanSchema>;
