/**
 * Takeover planning: from "we'd love to" to a fixed Saturday.
 *
 *   weekly prompt (job)  -> the champion offers Saturdays (magic link), or "not this year"
 *   takeover watcher     -> the offer goes into each event director's next digest
 *   director answers     -> fixes a day (held for this practice only), or declines with a reason
 *
 * What follows a fixed day, the countdown, is in takeover-countdown.ts.
 */
import { randomUUID } from 'node:crypto';
import { takeoverChoicesAgain, takeoverPrompt } from '../../../templates/takeover-emails.js';
import { log } from '../../log.js';
import { ConflictError, DateTakenError, MessageInFlightError, ValidationError } from '../errors.js';
import type { Mailer } from '../mailer.js';
import { linkId, type Link, type LinkContext, type ParkrunEvent, type Practice, type Takeover, type TakeoverPromptState } from '../model.js';
import { formatLongDate, isoDayOf, parseIsoDay } from '../policies/event-dates.js';
import { isAllowed, nextAllowedTime } from '../policies/quiet-hours.js';
import { jointContact, takeoverOff } from '../policies/joint-contact.js';
import { addDays, type NudgePolicy } from '../policies/quiet-link-ladder.js';
import { plainTextProblem } from '../policies/input-rules.js';
import { dateProblem, isDueForPrompt, nextPromptDue, offerableDates, offerLapsesAt, takeoverPolicy, tooClose } from '../policies/takeover-dates.js';
import type { Clock, EventDirectory, PartnershipStore, TakeoverStore } from '../ports.js';
import type { AnswerRequest } from './link-actions.js';
import { authoriseAnswer, type AnswerAccess, type TokenAccessDeps } from './token-access.js';

export const dayText = (iso: string) => formatLongDate(parseIsoDay(iso));

export interface TakeoverPromptDeps {
  takeovers: TakeoverStore;
  partnerships: PartnershipStore;
  events: EventDirectory;
  mailer: Mailer;
  clock: Clock;
  /** An offer expired comes off its link: the link's next quiet check is counted again without it. */
  nudgePolicy: NudgePolicy;
}

export interface TakeoverPromptReport {
  due: number;
  prompted: number;
  deferred: number;
  /** Being sent by another run at the same moment: left to it. */
  conflicts: number;
  failed: number;
}

/**
 * The weekly job: invite each due link's champion to plan a takeover, at most once a
 * quarter. One link's failure is logged and counted, and the rest of the run goes on: the
 * failed link stays due for the next run, and an address that always fails holds up no one else.
 */
export async function runTakeoverPrompts(deps: TakeoverPromptDeps): Promise<TakeoverPromptReport> {
  const now = deps.clock.now();
  const report: TakeoverPromptReport = { due: 0, prompted: 0, deferred: 0, conflicts: 0, failed: 0 };
  for await (const page of deps.takeovers.promptsDue(now)) {
    for (const state of page) {
      report.due++;
      try {
        await promptOne(state);
      } catch (error) {
        if (error instanceof MessageInFlightError) {
          // Another run is sending this very prompt: it also moves the state on.
          report.conflicts++;
          continue;
        }
        report.failed++;
        log.error('Takeover prompts: item failed; it stays due for the next run', error, { subject: linkId(state.practiceCode, state.eventShortName) });
      }
    }
  }
  return report;

  async function promptOne(state: TakeoverPromptState) {
    const defer = async (until: Date) => {
      report.deferred++;
      await deps.takeovers.savePromptState({ ...state, dueAt: until.toISOString() });
    };
    const { link, practice, event } = await deps.partnerships.getLinkContext(state.practiceCode, state.eventShortName);
    if (state.planned) {
      // A plan stands, or seemed to: look at it again rather than prompt.
      const outcome = await reviewPlan(deps, state, now, link);
      report.deferred++;
      if (outcome) return;
    }
    // Only live links: one at risk or without a contact needs a hello first, not a takeover.
    if (!link || !practice || !event || !['introduced', 'active', 'quiet'].includes(link.status)) return defer(addDays(now, takeoverPolicy.promptEveryDays));
    if (link.pausedUntil && new Date(link.pausedUntil) > now) return defer(new Date(link.pausedUntil));
    if (!isDueForPrompt(state, now)) return defer(nextPromptDue(state, now));
    if (!isAllowed('practice', now, event.timeZone)) return defer(nextAllowedTime('practice', now, event.timeZone));
    const offer = offerableDates(now, event, await deps.takeovers.takenDates(event.shortName));
    if (offer.length === 0) return defer(addDays(now, 7));
    await sendDateChoices(deps, practice, event, offer, `takeover-prompt#${linkId(link.practiceCode, link.eventShortName)}#${state.dueAt ?? now.toISOString()}`);
    report.prompted++;
    await deps.takeovers.savePromptState({ ...state, lastPromptedAt: now.toISOString(), dueAt: addDays(now, takeoverPolicy.promptEveryDays).toISOString() });
  }
}

/** A fixed day this long past with no "how did it go?" no longer blocks the prompts. */
const unansweredOutcomeDays = 30;

/**
 * A planned link, looked at again: an offer still unanswered once its last Saturday has
 * passed (offerLapsesAt) is expired (the champion hears and may offer other days); a
 * fixed day long past without an answer stops blocking the prompts, as if done, so nobody
 * is asked again within a year; a plan still ahead is looked at again after its day. Returns true when it dealt with the state.
 */
async function reviewPlan(deps: TakeoverPromptDeps, state: TakeoverPromptState, now: Date, link: Link | undefined): Promise<boolean> {
  const takeover = state.takeoverId ? await deps.takeovers.getTakeover(state.takeoverId) : undefined;
  if (takeover?.status === 'proposed') {
    // Expired is not contact: the offered Saturdays stop holding the link's ladder.
    const off = link ? takeoverOff(link, deps.nudgePolicy) : undefined;
    await deps.takeovers.expireOffer(takeover, 'No answer from the event team before the Saturdays offered', now, addDays(now, takeoverPolicy.promptEveryDays), off);
    return true;
  }
  if (takeover?.status === 'fixed' && takeover.date) {
    const settled = addDays(new Date(`${takeover.date}T12:00:00Z`), unansweredOutcomeDays);
    if (settled > now) {
      await deps.takeovers.savePromptState({ ...state, dueAt: settled.toISOString() });
      return true;
    }
    await deps.takeovers.savePromptState({ ...state, planned: false, lastDoneOn: takeover.date, dueAt: addDays(now, takeoverPolicy.promptEveryDays).toISOString() });
    return true;
  }
  // Nothing planned any more (an older record without takeoverId): prompt as usual.
  await deps.takeovers.savePromptState({ ...state, planned: false, dueAt: now.toISOString() });
  return true;
}

export interface TakeoverDeps extends TokenAccessDeps {
  takeovers: TakeoverStore;
}

/** The Saturdays the champion may still choose from, as the page offers them. */
export async function takeoverChoices(deps: TakeoverDeps, access: LinkContext): Promise<string[]> {
  return offerableDates(deps.clock.now(), access.event, await deps.takeovers.takenDates(access.event.shortName));
}

export async function openProposal(deps: TakeoverDeps, request: AnswerRequest): Promise<{ access: AnswerAccess; choices: string[] }> {
  const access = await authoriseAnswer(deps, { ...request, purpose: 'takeover-propose' });
  return { access, choices: await takeoverChoices(deps, access) };
}

/** The champion offers one or more Saturdays; the event's directors hear in their next digest. */
export async function proposeTakeover(deps: TakeoverDeps, request: AnswerRequest, dates: string[]): Promise<{ access: AnswerAccess; takeover: Takeover }> {
  const { access, choices } = await openProposal(deps, request);
  const chosen = [...new Set(dates)].sort();
  if (chosen.length === 0) throw new ValidationError({ dates: 'Choose at least one Saturday' });
  for (const date of chosen) {
    const problem = dateProblem(date, choices);
    if (problem) throw new ValidationError({ dates: `${problem} (${date})` });
  }
  const now = deps.clock.now();
  const takeover: Takeover = {
    id: randomUUID().replace(/-/g, ''),
    practiceCode: access.practice.code,
    eventShortName: access.event.shortName,
    status: 'proposed',
    proposedDates: chosen,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  // Offering Saturdays is the practice reaching out: contact, and no "say hello" until after the last one offered.
  const contact = jointContact(access.link, { by: 'practice', via: 'takeover-offered', takeoverUntil: chosen.at(-1)!, detail: { takeoverId: takeover.id } }, now, deps.nudgePolicy);
  // The weekly job looks again once the last Saturday offered has passed: an offer still unanswered then lapses.
  await deps.takeovers.propose(takeover, { ref: access.lookup.ref, purpose: 'takeover-propose', now }, offerLapsesAt(chosen), contact);
  return { access, takeover };
}

/** "Not this year": no more prompts for a year. Harmless to repeat, so the link stays usable. */
export async function declineForThisYear(deps: TakeoverDeps, request: AnswerRequest): Promise<AnswerAccess> {
  const access = await authoriseAnswer(deps, { ...request, purpose: 'takeover-not-this-year' });
  const now = deps.clock.now();
  const ref = { practiceCode: access.practice.code, eventShortName: access.event.shortName };
  const state = (await deps.takeovers.getPromptState(ref)) ?? { ...ref, planned: false };
  const saved = await deps.takeovers.savePromptState({
    ...state,
    notThisYearAt: now.toISOString(),
    dueAt: addDays(now, takeoverPolicy.quietAfterTakeoverDays).toISOString(),
  });
  if (!saved) throw new ConflictError('This changed a moment ago; please try again.');
  return access;
}

export async function takeoverFor(deps: TakeoverDeps, access: AnswerAccess, status: Takeover['status']): Promise<Takeover> {
  const takeover = access.grant.detail?.takeoverId ? await deps.takeovers.getTakeover(access.grant.detail.takeoverId) : undefined;
  if (!takeover || takeover.practiceCode !== access.practice.code || takeover.eventShortName !== access.event.shortName) {
    throw new ConflictError('We cannot find this takeover any more.');
  }
  if (takeover.status !== status) throw new ConflictError(`This takeover has been ${takeover.status === 'fixed' ? `fixed for ${dayText(takeover.date!)}` : takeover.status} already.`);
  return takeover;
}

export async function openOffer(deps: TakeoverDeps, request: AnswerRequest): Promise<{ access: AnswerAccess; takeover: Takeover; available: string[]; taken: string[] }> {
  const access = await authoriseAnswer(deps, { ...request, purpose: 'takeover-accept' });
  const takeover = await takeoverFor(deps, access, 'proposed');
  // The offered days still ahead, and not taken (or crowded) by another practice's since they were offered.
  const today = isoDayOf(deps.clock.now(), access.event.timeZone);
  const taken = await deps.takeovers.takenDates(access.event.shortName);
  const available = takeover.proposedDates.filter((d) => d > today && !tooClose(d, taken));
  return { access, takeover, available, taken };
}

/** An event director fixes one of the offered Saturdays. */
export async function acceptTakeover(deps: TakeoverDeps, request: AnswerRequest, date: string): Promise<{ access: AnswerAccess; takeover: Takeover }> {
  const { access, takeover, available, taken } = await openOffer(deps, request);
  if (!available.includes(date)) {
    if (takeover.proposedDates.includes(date) && tooClose(date, taken)) throw new DateTakenError('Another practice has a takeover on or within four weeks of that day at this event. Please choose another Saturday.');
    throw new ValidationError({ date: 'Choose one of the Saturdays the practice offered' });
  }
  const now = deps.clock.now();
  // The event answering with a day: contact, and no "say hello" until well after that day.
  const contact = jointContact(access.link, { by: 'event', via: 'takeover-fixed', takeoverUntil: date, detail: { takeoverId: takeover.id, date } }, now, deps.nudgePolicy);
  await deps.takeovers.fix(takeover, date, now, { ref: access.lookup.ref, purpose: 'takeover-accept', now }, contact);
  return { access, takeover: { ...takeover, status: 'fixed', date } };
}

/**
 * The Saturdays on offer, each a one-tap link, and "not this year": the weekly prompt, and
 * again after the event team declined (with their reason).
 */
export async function sendDateChoices(
  deps: { mailer: Mailer },
  practice: Practice,
  event: ParkrunEvent,
  offer: string[],
  idempotencyKey: string,
  declineReason?: string,
) {
  const id = linkId(practice.code, event.shortName);
  await deps.mailer.send({
    idempotencyKey,
    kind: 'takeovers',
    to: practice.champion.email,
    window: { audience: 'practice', timeZone: event.timeZone },
    template: declineReason ? takeoverChoicesAgain : takeoverPrompt,
    links: {
      ...Object.fromEntries(offer.map((date, i) => [`date${i}`, { purpose: 'takeover-propose' as const, subject: id, role: 'champion' as const, query: { date } }])),
      notThisYear: { purpose: 'takeover-not-this-year', subject: id, role: 'champion' },
      partnership: { purpose: 'partnership', subject: id, role: 'champion' },
    },
    view: (urls) => ({
      championName: practice.champion.name,
      practiceName: practice.name,
      eventName: event.name,
      ...(declineReason ? { declineReason } : {}),
      dates: offer.map((date, i) => ({ label: dayText(date), url: urls[`date${i}`] ?? '' })),
      notThisYearUrl: urls.notThisYear ?? '',
      ...(urls.partnership ? { partnershipUrl: urls.partnership } : {}),
    }),
    reason: `You get this as the parkrun practice contact for ${practice.name}.`,
    practiceCode: practice.code,
    eventShortName: event.shortName,
  });
}

/** The event's coming days a director may mark: from next week to 16 weeks ahead. */
function markableDays(access: LinkContext, now: Date): string[] {
  return offerableDates(now, { ...access.event, unavailableDates: [] }, [], 1);
}

export async function openUnavailable(deps: TakeoverDeps, request: AnswerRequest): Promise<{ access: AnswerAccess; days: string[]; marked: string[] }> {
  const access = await authoriseAnswer(deps, { ...request, purpose: 'event-unavailable' });
  return { access, days: markableDays(access, deps.clock.now()), marked: access.event.unavailableDates ?? [] };
}

/** A director marks the days the event cannot host a takeover; days already past are let go. */
export async function saveUnavailable(deps: TakeoverDeps, request: AnswerRequest, dates: string[]): Promise<AnswerAccess> {
  const { access, days } = await openUnavailable(deps, request);
  const unknown = dates.filter((d) => !days.includes(d));
  if (unknown.length) throw new ValidationError({ dates: `Choose days from the list (${unknown.join(', ')})` });
  const today = isoDayOf(deps.clock.now(), access.event.timeZone);
  const later = (access.event.unavailableDates ?? []).filter((d) => d > today && !days.includes(d));
  await deps.takeovers.setUnavailableDates(access.event.shortName, [...later, ...new Set(dates)].sort(), access.event.unavailableDates, {
    ref: access.lookup.ref,
    purpose: 'event-unavailable',
    now: deps.clock.now(),
  });
  return access;
}

/** The event directors cannot do any offered day: they say why, and the champion chooses again. */
export async function declineOffer(deps: TakeoverDeps, request: AnswerRequest, reason: string): Promise<{ access: AnswerAccess; takeover: Takeover }> {
  const { access, takeover } = await openOffer(deps, request);
  const text = reason.replace(/\s+/g, ' ').trim();
  if (text.length === 0) throw new ValidationError({ reason: 'Say briefly why, so the practice can choose better days' });
  if (text.length > 300) throw new ValidationError({ reason: 'Keep the reason to 300 characters' });
  const problem = plainTextProblem('The reason', text);
  if (problem) throw new ValidationError({ reason: problem });
  const now = deps.clock.now();
  // Not contact: a "no" with a reason is not the two sides working together (docs/contact.md).
  await deps.takeovers.decline(takeover, text, now, { ref: access.lookup.ref, purpose: 'takeover-accept', now }, addDays(now, takeoverPolicy.promptEveryDays), takeoverOff(access.link, deps.nudgePolicy));
  return { access, takeover };
}

