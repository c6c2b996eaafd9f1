/**
 * Attendance feedback: once a month each live link's champion is asked, in one tap, how
 * many patients they suggested parkrun to last month and how many they know came, and
 * whether staff took part. Counts and yes/no only.
 *
 *   feedback job (Tuesdays)  -> first Tuesday: the ask; a week on: one reminder if unanswered;
 *                               a week after that: the month's summary into each event
 *                               director's digest (only when a practice answered)
 *   answer (magic link)      -> stored, and counted as contact on the link
 *
 * Exactly once: the ask and the reminder are keyed by link and month, and the job moves
 * each state on only if nobody else did since it was read, so a re-run or two runs at
 * once send each email once.
 */
import { feedbackAsk } from '../../../templates/feedback-emails.js';
import { log } from '../../log.js';
import { InvalidTokenError, MessageInFlightError } from '../errors.js';
import type { Mailer } from '../mailer.js';
import { eventContacts, linkId, type FeedbackAskState, type FeedbackReport, type FeedbackSummaryState, type Link, type ParkrunEvent, type Period, type Practice } from '../model.js';
import { askTimeFor, isAskWeek, isPeriod, nextAskAt, nextPeriod, periodAskedAt, periodLabel, periodsBefore, remindAfterAnswerWithinMonths, reminderDueAt, remindsAbout, summaryDueAt } from '../policies/feedback-calendar.js';
import type { FeedbackInput } from '../policies/feedback-input.js';
import { isAllowed, nextAllowedTime } from '../policies/quiet-hours.js';
import { nextCheck, type NudgePolicy } from '../policies/quiet-link-ladder.js';
import { countdownFallsInMonthOf } from '../policies/takeover-dates.js';
import type { Clock, EventDirectory, FeedbackStore, LadderStore, PartnershipStore } from '../ports.js';
import { queueForDigest } from './digest-queue.js';
import type { AnswerRequest } from './link-actions.js';
import { authoriseAnswer, type AnswerAccess, type TokenAccessDeps } from './token-access.js';
import { forEachAtMost, sendersPerJob } from '../concurrency.js';

export interface FeedbackJobDeps {
  feedback: FeedbackStore;
  partnerships: PartnershipStore;
  events: EventDirectory;
  ladder: LadderStore;
  nudgePolicy: NudgePolicy;
  mailer: Mailer;
  clock: Clock;
}

export interface FeedbackJobReport {
  due: number;
  asked: number;
  reminded: number;
  /** Event summaries put into directors' digests. */
  summaries: number;
  /** Not asked this time: paused, at risk, without contact, or outside hours. */
  deferred: number;
  /** Changed by someone else between read and write: left for them. */
  conflicts: number;
  failed: number;
}

/** A link due to turn quiet within this many days is nudged then rather than asked now. */
export const nudgedSoonDays = 14;

/**
 * Links whose champion is asked: not a paused, quiet or at-risk link, nor one without a
 * contact: a quiet link's champion is nudged to say hello instead. Nor one the ladder
 * looks at again within two weeks (Link.dueAt, its quiet date) unless the practice
 * answered last month (its answer is how it keeps in touch): its nudge would follow the
 * ask within days, two emails about one link gone silent.
 */
export const askable = (link: Link, now: Date, answeredLastMonth = false) =>
  ['introduced', 'active'].includes(link.status) &&
  !(link.pausedUntil && new Date(link.pausedUntil) > now) &&
  (answeredLastMonth || !(link.dueAt && new Date(link.dueAt).getTime() < now.getTime() + nudgedSoonDays * 86_400_000));

/**
 * Whether the month's one reminder may go to the link's champion at `at`: not in a month
 * when the countdown of the link's takeover (offered or fixed, `Link.takeoverUntil`) mails
 * them anyway. The reminder is the least needed email of such a month.
 */
export const remindable = (link: Link, at: Date, timeZone: string) => !(link.takeoverUntil && countdownFallsInMonthOf(link.takeoverUntil, timeZone, at));

export async function runFeedbackAsks(deps: FeedbackJobDeps): Promise<FeedbackJobReport> {
  const now = deps.clock.now();
  const report: FeedbackJobReport = { due: 0, asked: 0, reminded: 0, summaries: 0, deferred: 0, conflicts: 0, failed: 0 };
  for await (const page of deps.feedback.feedbackDue(now)) {
    // The month's asks all fall due at once: a few in flight keep the send rate up.
    await forEachAtMost(page, sendersPerJob, async (work) => {
      report.due++;
      try {
        if (work.kind === 'ask') await handleAsk(work.state);
        else await handleSummary(work.state);
      } catch (error) {
        if (error instanceof MessageInFlightError) {
          report.conflicts++;
          return;
        }
        report.failed++;
        const subject = work.kind === 'ask' ? linkId(work.state.practiceCode, work.state.eventShortName) : `summary ${work.state.eventShortName} ${work.state.period}`;
        log.error('Feedback job: item failed; it stays due for the next run', error, { subject });
      }
    });
  }
  return report;

  async function save(state: FeedbackAskState, next: Partial<FeedbackAskState>) {
    const { dueAt: _dueAt, ...rest } = state;
    const saved = await deps.feedback.saveAskState({ ...rest, ...next });
    if (!saved) report.conflicts++;
    return saved;
  }

  async function handleAsk(state: FeedbackAskState) {
    const { link, practice, event } = await deps.partnerships.getLinkContext(state.practiceCode, state.eventShortName);
    if (!link || link.status === 'ended' || !practice || !event) {
      await save(state, {}); // out of the due index: nothing more to ask
      return;
    }
    const later = nextAskAt(now);
    const period = periodAskedAt(now);
    if (state.period !== period) {
      // A new month. Asks go out in the month's first week only; a late run waits for the next month.
      // Last month's answer is read only when it decides (a link near its quiet date).
      const asking = askable(link, now) || (askable(link, now, true) && (await answeredBefore((p) => deps.feedback.getReport(state, p), period)));
      if (!isAskWeek(now) || !asking) {
        report.deferred++;
        await save(state, { dueAt: later.toISOString() });
        return;
      }
      if (!isAllowed('practice', now, event.timeZone)) {
        report.deferred++;
        await save(state, { dueAt: nextAllowedTime('practice', now, event.timeZone).toISOString() });
        return;
      }
      await deps.feedback.ensureSummary({ eventShortName: event.shortName, period, dueAt: summaryDueAt(period).toISOString() });
      await sendAsk(deps, practice, event, period, 'ask');
      report.asked++;
      // A new month starts clean: last month's reminder does not count against this one.
      await save({ ...state, remindedAt: undefined }, { period, firstPeriod: state.firstPeriod ?? period, askedAt: now.toISOString(), dueAt: reminderDueAt(period).toISOString() });
      return;
    }
    // Asked this month: one reminder, only if still unanswered, the link still askable and the
    // practice one that answers (remindsAbout), and no takeover countdown this month (remindable); never more.
    const answered = await deps.feedback.getReport(state, period);
    const answeredLast = !state.remindedAt && !answered && (await answeredBefore((p) => deps.feedback.getReport(state, p), period));
    if (state.remindedAt || answered || !askable(link, now, answeredLast) || !remindsAbout(period, state.firstPeriod, answeredLast) || !remindable(link, now, event.timeZone)) {
      await save(state, { dueAt: later.toISOString() });
      return;
    }
    if (!isAllowed('practice', now, event.timeZone)) {
      report.deferred++;
      await save(state, { dueAt: nextAllowedTime('practice', now, event.timeZone).toISOString() });
      return;
    }
    await sendAsk(deps, practice, event, period, 'reminder');
    report.reminded++;
    await save(state, { remindedAt: now.toISOString(), dueAt: later.toISOString() });
  }

  /** The month's answers, by practice, into each director's next digest; nothing when nobody answered. */
  async function handleSummary(state: FeedbackSummaryState) {
    const [reports, events] = await Promise.all([deps.feedback.reportsOf(state.eventShortName, state.period), deps.events.getEvents([state.eventShortName])]);
    const event = events.get(state.eventShortName);
    if (event && reports.length > 0) {
      for (const director of eventContacts(event)) {
        await queueForDigest(
          deps,
          director,
          event,
          { kind: 'feedback-summary', practiceCode: reports[0]!.practiceCode, eventShortName: event.shortName, period: state.period, addedAt: now.toISOString() },
          now,
        );
      }
      report.summaries++;
    }
    await deps.feedback.completeSummary(state, now);
  }
}

/** Whether the practice answered any of the months just before `period` (feedback-calendar.ts remindsAbout), read through `reportOf`. */
export async function answeredBefore(reportOf: (period: Period) => Promise<FeedbackReport | undefined>, period: Period): Promise<boolean> {
  const reports = await Promise.all(periodsBefore(period, remindAfterAnswerWithinMonths).map(reportOf));
  return reports.some((r) => r !== undefined);
}

/** The ask, or its reminder: one tap to the form, and the way to say patients are coming. */
async function sendAsk(deps: { mailer: Mailer }, practice: Practice, event: ParkrunEvent, period: Period, which: 'ask' | 'reminder') {
  const id = linkId(practice.code, event.shortName);
  const month = periodLabel(period);
  await deps.mailer.send({
    idempotencyKey: `feedback-${which}#${id}#${period}`,
    kind: 'feedback',
    to: practice.champion.email,
    window: { audience: 'practice', timeZone: event.timeZone },
    template: feedbackAsk,
    links: {
      answer: { purpose: 'feedback', subject: id, role: 'champion', detail: { period } },
      newcomers: { purpose: 'newcomers', subject: id, role: 'champion' },
      partnership: { purpose: 'partnership', subject: id, role: 'champion' },
    },
    view: (urls) => ({
      greeting: practice.champion.name,
      subject: which === 'ask' ? `${month} at ${practice.name}: how many patients did you point to ${event.name}?` : `Reminder: ${month} at ${practice.name} and ${event.name}`,
      paragraphs: [
        which === 'ask'
          ? `Once a month we ask how the link with ${event.name} went. It takes a minute: roughly how many patients you suggested parkrun to in ${month}, how many you know came, and whether staff walked, ran or volunteered.`
          : `A week ago we asked how ${month} went with ${event.name}. If you have a minute, the ${event.name} team would love to know. This is the only reminder.`,
        'Numbers only, please: never a name or anything else that could identify a patient.',
        `Your answer goes, with the other practices', into a short summary for the ${event.name} team, and to parkrun's health team.`,
      ],
      action: { label: `Tell us about ${month}`, url: urls.answer ?? '' },
      change: { label: 'Patients coming on a Saturday soon? Tell the event team', url: urls.newcomers ?? '' },
      ...(urls.partnership ? { partnership: { otherSide: event.name, url: urls.partnership } } : {}),
    }),
    reason: `You get this as the parkrun practice contact for ${practice.name}.`,
    practiceCode: practice.code,
    eventShortName: event.shortName,
    // Held by the reader's budget past next month's ask, a reminder about this one is pointless.
    ...(which === 'reminder' ? { staleAfter: askTimeFor(nextPeriod(period)) } : {}),
  });
}

export interface FeedbackAnswerDeps extends TokenAccessDeps {
  feedback: FeedbackStore;
}

/** The form for the month the link was sent about, with any answer given already. */
export async function openFeedback(deps: FeedbackAnswerDeps, request: AnswerRequest): Promise<{ access: AnswerAccess; period: Period; report?: FeedbackReport }> {
  const access = await authoriseAnswer(deps, { ...request, purpose: 'feedback' });
  const period = access.grant.detail?.period;
  if (!period || !isPeriod(period)) throw new InvalidTokenError('wrong-link');
  const report = await deps.feedback.getReport({ practiceCode: access.practice.code, eventShortName: access.event.shortName }, period);
  return { access, period, ...(report ? { report } : {}) };
}

/**
 * Stores the month's answer (a later answer from the same link replaces it) and counts it
 * as contact from the practice. The link works again until it expires, so a slip can be put right.
 */
export async function recordFeedback(deps: FeedbackAnswerDeps, request: AnswerRequest, input: FeedbackInput): Promise<{ access: AnswerAccess; report: FeedbackReport }> {
  const { access, period } = await openFeedback(deps, request);
  const now = deps.clock.now();
  const report: FeedbackReport = { practiceCode: access.practice.code, eventShortName: access.event.shortName, period, ...input, answeredAt: now.toISOString() };
  const after: Link = { ...access.link, status: 'active', lastContactAt: now.toISOString(), lastContactBy: 'practice', ladder: { rung: 0 } };
  const dueAt = nextCheck(after, { rung: 0 }, deps.nudgePolicy) ?? now;
  await deps.feedback.recordReport(report, { ref: access.lookup.ref, purpose: 'feedback', now }, dueAt);
  return { access, report };
}

/** A report in a sentence, for the directors' summary and the done page. */
export function describeReport(report: Pick<FeedbackReport, 'suggested' | 'attended' | 'staff'>): string {
  const patients = (n: number) => `${n} patient${n === 1 ? '' : 's'}`;
  const staff = [report.staff.walked && 'walked', report.staff.ran && 'ran', report.staff.volunteered && 'volunteered'].filter(Boolean) as string[];
  const staffText = staff.length ? `staff ${staff.length > 1 ? `${staff.slice(0, -1).join(', ')} and ${staff.at(-1)}` : staff[0]}` : 'no staff took part';
  return `suggested parkrun to ${patients(report.suggested)}, ${report.attended} known to have come; ${staffText}`;
}
