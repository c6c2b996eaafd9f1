/**
 * The page both sides of a link share. A 2025 survey of practices and event organisers
 * (Leese et al., BMC Primary Care) found that each side knows what it did, not what the
 * other did; this page shows both, the same for the champion and for the event's
 * directors, from one read-only link in every email about the link.
 *
 * It only reads: opening it changes nothing, not even the token (mail scanners open
 * links), and nothing on it acts. What the product will send next is derived from the
 * same policies the jobs run (the quiet-link ladder, the takeover countdown, the feedback
 * calendar), as things stand now: any contact or answer changes it.
 */
import { InvalidTokenError } from '../errors.js';
import { lifetimeMinutesOf, formatLifetime } from '../magic-links.js';
import {
  activities,
  eventContacts,
  type ActivityKey,
  type ActivityStatus,
  type ContactMethod,
  type FeedbackAskState,
  type FeedbackReport,
  type Link,
  type LinkContext,
  type Period,
  type Side,
  type Takeover,
  type TakeoverReminderName,
  type TakeoverStatus,
} from '../model.js';
import { isoDayOf, localDateOf } from '../policies/event-dates.js';
import { feedbackCalendar, nextAskAt, periodAskedAt, reminderDueAt, periodsBefore, remindsAbout } from '../policies/feedback-calendar.js';
import { nextAllowedTime } from '../policies/quiet-hours.js';
import { decide, nextCheck, type LadderState, type NudgePolicy } from '../policies/quiet-link-ladder.js';
import { countdown, directorsHear } from '../policies/takeover-dates.js';
import type { FeedbackStore, LinkRef, LinkTakeovers } from '../ports.js';
import { answeredBefore, askable, remindable } from './attendance-feedback.js';
import type { AnswerRequest } from './link-actions.js';
import { authoriseAnswer, type TokenAccessDeps } from './token-access.js';

export interface PartnershipViewDeps extends TokenAccessDeps {
  linkTakeovers: LinkTakeovers;
  feedback: FeedbackStore;
}

/** Someone a planned email goes to, by name: the page is the same whoever opens it. */
export interface Recipient {
  name: string;
  as: 'champion' | 'event-director' | 'head-office';
}

/** One thing the product will next send (or show), when at the earliest, and to whom. */
export type PlannedSend =
  | { kind: 'quiet-nudge'; at: string; to: Recipient[]; second: boolean; alsoDigest: Recipient[] }
  | { kind: 'at-risk'; at: string; to: Recipient[] }
  | { kind: 'takeover-reminder'; at: string; to: Recipient[]; reminder: TakeoverReminderName; takeoverDate: string }
  | { kind: 'feedback-reminder'; at: string; to: Recipient[]; period: Period }
  | { kind: 'feedback-ask'; at: string; to: Recipient[]; period: Period };

export interface TakeoverRow {
  id: string;
  status: TakeoverStatus;
  /** The day fixed, if one was. */
  date?: string;
  /** The Saturdays the champion offered. */
  proposedDates: string[];
  declineReason?: string;
  rolesFilled?: Takeover['rolesFilled'];
  outcome?: Takeover['outcome'];
}

export interface PartnershipView {
  linkId: string;
  practiceName: string;
  eventName: string;
  /** The event's time zone: every day on the page is read there. */
  timeZone: string;
  /** Today there, YYYY-MM-DD. */
  today: string;
  /** The link has ended: the page says so, and nothing more is asked about it. */
  ended: boolean;
  pausedUntil?: string;
  contacts: {
    champion: { name: string; role: string; email: string; phone?: string };
    /** The event's directors, or its team address while none is named (`team`). */
    eventContacts: Array<{ name: string; email: string; team: boolean }>;
    /** Only a contact the volunteer confirmed: a candidate is never shown. */
    firstTimerContact?: { firstName: string; whereToFind: string; email?: string };
  };
  /** All seven of the survey's activities, in its order, each with who recorded it and when (if anyone has). */
  activities: Array<{ key: ActivityKey; label: string; status?: ActivityStatus; by?: Side; at?: string }>;
  lastContact?: { at: string; by?: Side | 'head-office'; how?: ContactMethod };
  takeovers: { planned: TakeoverRow[]; past: TakeoverRow[] };
  /** This calendar year's answers, counts only: never a patient. */
  feedback: { year: number; monthsReported: number; suggested: number; attended: number; monthsStaffTookPart: number };
  /** In time order; a short list, as things stand now. */
  nextSends: PlannedSend[];
}

const refOf = (context: LinkContext): LinkRef => ({ practiceCode: context.practice.code, eventShortName: context.event.shortName });

/**
 * Checks the token (a `partnership` link to the champion or one of the event's current
 * directors) and reads what the page shows. Changes nothing.
 */
export async function openPartnership(deps: PartnershipViewDeps, request: AnswerRequest): Promise<PartnershipView> {
  let context: LinkContext;
  try {
    context = await authoriseAnswer(deps, { ...request, purpose: 'partnership' });
  } catch (error) {
    // The usual refusal page, in words true to this link: it shows, it never changes anything.
    if (error instanceof InvalidTokenError && error.problem === 'expired') {
      throw new InvalidTokenError(
        'expired',
        error.detail,
        `Links to this page work for ${formatLifetime(lifetimeMinutesOf({ purpose: 'partnership' }))}, so an old or forwarded email cannot show the partnership to someone else.`,
      );
    }
    throw error;
  }
  return partnershipView(deps, context);
}

/** What the page shows about a link whose reader is already authorised. */
export async function partnershipView(deps: Pick<PartnershipViewDeps, 'linkTakeovers' | 'feedback' | 'nudgePolicy' | 'clock'>, context: LinkContext): Promise<PartnershipView> {
  const { link, practice, event } = context;
  const now = deps.clock.now();
  const ref = refOf(context);
  const thisYear = localDateOf(now, feedbackCalendar.timeZone);
  const periods = Array.from({ length: thisYear.month }, (_, i) => `${thisYear.year}-${String(i + 1).padStart(2, '0')}`);
  const [takeovers, ask, ...reports] = await Promise.all([
    deps.linkTakeovers.ofLink(ref),
    deps.feedback.getAskState(ref),
    ...periods.map((period) => deps.feedback.getReport(ref, period)),
  ]);
  const answered = reports.filter((r): r is FeedbackReport => r !== undefined);
  // A month of this year from the reads above; one before it (last December, say) read on its own.
  const readThisYear = new Map(periods.map((period, i) => [period, reports[i]]));
  const reportOf = async (period: Period) => (readThisYear.has(period) ? readThisYear.get(period) : deps.feedback.getReport(ref, period));
  const lastAskedReport = ask?.period === undefined ? undefined : await reportOf(ask.period);

  const today = isoDayOf(now, event.timeZone);
  const rows = takeovers.map(rowOf);
  const stillAhead = (t: TakeoverRow) => t.status === 'proposed' || (t.status === 'fixed' && (t.date ?? '') >= today);

  const champion: Recipient = { name: practice.champion.name, as: 'champion' };
  const directors: Recipient[] = eventContacts(event).map((d) => ({ name: d.name, as: 'event-director' }));
  const nextSends = [
    ...ladderSends(link, now, deps.nudgePolicy, event.timeZone, champion, directors),
    ...takeovers.flatMap((t) => takeoverSends(t, now, event.timeZone, champion, directors)),
    ...feedbackSends(link, ask, lastAskedReport !== undefined, ask?.period ? await answeredBefore(reportOf, ask.period) : false, now, event.timeZone, champion),
  ].sort((a, b) => a.at.localeCompare(b.at));

  return {
    linkId: `${practice.code}.${event.shortName}`,
    practiceName: practice.name,
    eventName: event.name,
    timeZone: event.timeZone,
    today,
    ended: link.status === 'ended',
    ...(link.pausedUntil && new Date(link.pausedUntil) > now ? { pausedUntil: link.pausedUntil } : {}),
    contacts: {
      champion: {
        name: practice.champion.name,
        role: practice.champion.role,
        email: practice.champion.email,
        ...(practice.champion.phone ? { phone: practice.champion.phone } : {}),
      },
      eventContacts: eventContacts(event).map((d) => ({ name: d.name, email: d.email, team: d.team === true })),
      ...(event.firstTimerContact
        ? {
            firstTimerContact: {
              firstName: event.firstTimerContact.firstName,
              whereToFind: event.firstTimerContact.whereToFind,
              ...(event.firstTimerContact.email ? { email: event.firstTimerContact.email } : {}),
            },
          }
        : {}),
    },
    activities: (Object.keys(activities) as ActivityKey[]).map((key) => {
      const record = link.activities?.[key];
      return { key, label: activities[key], ...(record ? { status: record.status, by: record.updatedBy, at: record.updatedAt } : {}) };
    }),
    ...(link.lastContactAt
      ? { lastContact: { at: link.lastContactAt, ...(link.lastContactBy ? { by: link.lastContactBy } : {}), ...(link.lastContactHow ? { how: link.lastContactHow } : {}) } }
      : {}),
    takeovers: { planned: rows.filter(stillAhead), past: rows.filter((t) => !stillAhead(t)).reverse() },
    feedback: {
      year: thisYear.year,
      monthsReported: answered.length,
      suggested: answered.reduce((n, r) => n + r.suggested, 0),
      attended: answered.reduce((n, r) => n + r.attended, 0),
      monthsStaffTookPart: answered.filter((r) => r.staff.walked || r.staff.ran || r.staff.volunteered).length,
    },
    nextSends,
  };
}

function rowOf(t: Takeover): TakeoverRow {
  return {
    id: t.id,
    status: t.status,
    ...(t.date ? { date: t.date } : {}),
    proposedDates: t.proposedDates,
    ...(t.declineReason ? { declineReason: t.declineReason } : {}),
    ...(t.rolesFilled ? { rolesFilled: t.rolesFilled } : {}),
    ...(t.outcome ? { outcome: t.outcome } : {}),
  };
}

/**
 * What the quiet-link ladder does when it next looks, if there has been no contact by
 * then: the sweep's own decision (policies/quiet-link-ladder.ts), taken at that time. A
 * nudge waits for practice hours.
 */
function ladderSends(link: Link, now: Date, policy: NudgePolicy, timeZone: string, champion: Recipient, directors: Recipient[]): PlannedSend[] {
  const state: LadderState = link.ladder ?? { rung: 0 };
  let due = nextCheck(link, state, policy);
  // A contact since the last rung can make the ladder wait once more: look again then.
  for (let tries = 0; due && tries < 3; tries++) {
    const at = due > now ? due : now;
    const decision = decide(link, state, at, policy);
    if (decision.action === 'wait') {
      due = decision.until;
      continue;
    }
    if (decision.action === 'none') return [];
    if (decision.action === 'at-risk') return [{ kind: 'at-risk', at: at.toISOString(), to: [{ name: "parkrun's health team", as: 'head-office' }] }];
    return [{ kind: 'quiet-nudge', at: nextAllowedTime('practice', at, timeZone).toISOString(), to: [champion], second: decision.rung === 2, alsoDigest: decision.alsoDigest ? directors : [] }];
  }
  return [];
}


/** A fixed takeover's next countdown reminder, if one is still ahead. */
function takeoverSends(t: Takeover, now: Date, timeZone: string, champion: Recipient, directors: Recipient[]): PlannedSend[] {
  if (t.status !== 'fixed' || !t.date) return [];
  const next = countdown(t.date, timeZone, now)[0];
  if (!next) return [];
  return [{ kind: 'takeover-reminder', at: next.at.toISOString(), reminder: next.reminder, takeoverDate: t.date, to: directorsHear[next.reminder] === 'email' ? [champion, ...directors] : [champion] }];
}

/**
 * The feedback job's next email to the champion (use-cases/attendance-feedback.ts): this
 * month's one reminder, if it is still due, the month is unanswered and no takeover
 * countdown mails the champion that month, and the next ask,
 * on the calendar.
 */
function feedbackSends(link: Link, ask: FeedbackAskState | undefined, lastAskedAnswered: boolean, answeredMonthsBefore: boolean, now: Date, timeZone: string, champion: Recipient): PlannedSend[] {
  // No ask state, or none due: the job will not ask about this link.
  if (!ask?.dueAt) return [];
  const sends: PlannedSend[] = [];
  if (ask.period && ask.askedAt && !ask.remindedAt && !lastAskedAnswered && remindsAbout(ask.period, ask.firstPeriod, answeredMonthsBefore)) {
    const at = reminderDueAt(ask.period);
    if (at > now && askable(link, at, answeredMonthsBefore) && remindable(link, at, timeZone)) sends.push({ kind: 'feedback-reminder', at: at.toISOString(), to: [champion], period: ask.period });
  }
  let at = nextAskAt(now);
  for (let month = 0; month < 15; month++, at = nextAskAt(at)) {
    const period = periodAskedAt(at);
    // A link at risk, or without a contact, is never askable as things stand; a paused one is once its pause is over.
    // Asked last month and answered: asked again even with its quiet date near.
    if (period !== ask.period && askable(link, at, lastAskedAnswered && periodsBefore(period, 1)[0] === ask.period)) {
      sends.push({ kind: 'feedback-ask', at: at.toISOString(), to: [champion], period });
      break;
    }
  }
  return sends;
}
