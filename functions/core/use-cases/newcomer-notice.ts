/**
 * Newcomers: a champion says some patients (a count, never who) plan to come on an event
 * day, and before that day both sides hear what they need.
 *
 *   champion (magic link)   -> about N patients on <day>, or cancel
 *   first-timer watcher     -> a one-time schedule for the Thursday 10:00 before the day
 *                              (at once if that has passed); a cancel deletes it
 *   notice (reminder job)   -> re-reads the plan; to the champion: whom newcomers look for,
 *                              the start time and what to expect; to the first-timer contact:
 *                              "expect about N newcomers". No confirmed contact: the general
 *                              briefing for the champion, and the directors asked, once, to name one.
 */
import { newcomerNotice } from '../../../templates/first-timer-emails.js';
import { ValidationError } from '../errors.js';
import type { Mailer } from '../mailer.js';
import { eventContacts, linkId, type NewcomerPlan, type ParkrunEvent, type Practice } from '../model.js';
import { formatLongDate, isoDayOf, localDateOf, parseIsoDay } from '../policies/event-dates.js';
import { eventDayName, newcomerWeeksAhead, type NewcomerInput } from '../policies/feedback-input.js';
import { eventStart, noticeName, noticeTiming } from '../policies/newcomer-notice.js';
import { isAllowed } from '../policies/quiet-hours.js';
import { jointContact } from '../policies/joint-contact.js';
import type { NudgePolicy } from '../policies/quiet-link-ladder.js';
import type { Clock, EventDirectory, FirstTimerStore, LadderStore, PartnershipStore, Reminders } from '../ports.js';
import { queueForDigest } from './digest-queue.js';
import type { AnswerRequest } from './link-actions.js';
import { authoriseAnswer, type AnswerAccess, type TokenAccessDeps } from './token-access.js';

export interface NewcomerDeps extends TokenAccessDeps {
  firstTimers: FirstTimerStore;
}

const dayText = (iso: string) => formatLongDate(parseIsoDay(iso));

/** The event's coming days a champion may choose: tomorrow on, for 12 weeks. */
export function comingEventDays(event: Pick<ParkrunEvent, 'weekday' | 'timeZone'>, now: Date): string[] {
  const today = localDateOf(now, event.timeZone);
  const days: string[] = [];
  for (let offset = 1; offset <= newcomerWeeksAhead * 7; offset++) {
    const d = new Date(Date.UTC(today.year, today.month - 1, today.day + offset, 12));
    if (d.getUTCDay() === event.weekday) days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

export async function openNewcomers(deps: NewcomerDeps, request: AnswerRequest): Promise<{ access: AnswerAccess; days: string[]; plans: NewcomerPlan[] }> {
  const access = await authoriseAnswer(deps, { ...request, purpose: 'newcomers' });
  const now = deps.clock.now();
  const plans = await deps.firstTimers.plansOf({ practiceCode: access.practice.code, eventShortName: access.event.shortName }, isoDayOf(now, access.event.timeZone));
  return { access, days: comingEventDays(access.event, now), plans: plans.filter((p) => p.status === 'planned') };
}

/**
 * Records or cancels a plan. The link stays usable for its 14 days, so a champion can add
 * a day or correct a count; the day's notice reads the count as it is then.
 */
export async function planNewcomers(deps: NewcomerDeps, request: AnswerRequest, input: NewcomerInput): Promise<{ access: AnswerAccess; plan: NewcomerPlan }> {
  const { access } = await openNewcomers(deps, request);
  const now = deps.clock.now();
  const ref = { practiceCode: access.practice.code, eventShortName: access.event.shortName };
  const existing = await deps.firstTimers.getPlan(ref, input.date);
  const spend = { ref: access.lookup.ref, purpose: 'newcomers' as const, now };
  if (input.action === 'cancel') {
    if (!existing || existing.status !== 'planned') throw new ValidationError({ date: `There is no plan for ${dayText(input.date)} to cancel` });
    const plan: NewcomerPlan = { ...existing, status: 'cancelled', updatedAt: now.toISOString() };
    await deps.firstTimers.savePlan(plan, spend);
    return { access, plan };
  }
  const plan: NewcomerPlan = { ...ref, date: input.date, count: input.count, status: 'planned', createdAt: existing?.createdAt ?? now.toISOString(), updatedAt: now.toISOString() };
  // Sending patients to the event is the practice working with it: contact (a cancel above is not).
  const contact = jointContact(access.link, { by: 'practice', via: 'newcomers-planned', detail: { date: plan.date } }, now, deps.nudgePolicy);
  await deps.firstTimers.savePlan(plan, spend, contact);
  return { access, plan };
}

export interface NewcomerNoticeDeps {
  firstTimers: FirstTimerStore;
  partnerships: PartnershipStore;
  events: EventDirectory;
  ladder: LadderStore;
  nudgePolicy: NudgePolicy;
  mailer: Mailer;
  clock: Clock;
}

/** What a newcomer notice's schedule carries: the plan's link and day (the reminder job checks it with the plan's own schema). */
export type NoticePayload = Pick<NewcomerPlan, 'practiceCode' | 'eventShortName' | 'date'>;

/**
 * The watcher's work for a plan written: schedule its notice, send it now, or (cancelled)
 * delete its schedule. The schedule's name is the plan's, so a redelivered record or a
 * changed count leaves one schedule, and the notice reads the plan when it fires.
 */
export async function followNewcomerPlan(deps: NewcomerNoticeDeps & { reminders: Reminders }, plan: NewcomerPlan): Promise<'scheduled' | 'cancelled' | 'too-late' | NoticeOutcome> {
  const name = noticeName(plan.practiceCode, plan.eventShortName, plan.date);
  if (plan.status === 'cancelled') {
    await deps.reminders.cancel(name);
    return 'cancelled';
  }
  const event = (await deps.events.getEvents([plan.eventShortName])).get(plan.eventShortName);
  if (!event) return 'gone';
  const timing = noticeTiming(plan.date, event, deps.clock.now());
  if (timing.when === 'too-late') return 'too-late';
  if (timing.when === 'now') return sendNewcomerNotice(deps, { practiceCode: plan.practiceCode, eventShortName: plan.eventShortName, date: plan.date });
  await deps.reminders.schedule({
    name,
    at: timing.at,
    timeZone: event.timeZone,
    job: 'first-timer-notice',
    payload: { practiceCode: plan.practiceCode, eventShortName: plan.eventShortName, date: plan.date },
  });
  return 'scheduled';
}

export type NoticeOutcome = 'sent' | 'cancelled' | 'gone' | 'too-late';

const briefing = (event: ParkrunEvent) =>
  `What to expect: people gather near the start a little before ${event.startTime}. At about ten to, a volunteer gives a short first timers' welcome: how the course goes and what happens at the finish. Walking is welcome, and nobody finishes last: a volunteer tail walker comes round behind everyone. Bring a printed or phone barcode (free at parkrun.org.uk/register) to get a time.`;

/** The notice fires: only for a plan that still stands, and the event not yet started. */
export async function sendNewcomerNotice(deps: NewcomerNoticeDeps, payload: NoticePayload): Promise<NoticeOutcome> {
  const ref = { practiceCode: payload.practiceCode, eventShortName: payload.eventShortName };
  const plan = await deps.firstTimers.getPlan(ref, payload.date);
  if (!plan || plan.status !== 'planned') return 'cancelled';
  const { link, practice, event } = await deps.partnerships.getLinkContext(ref.practiceCode, ref.eventShortName);
  if (!link || link.status === 'ended' || !practice || !event) return 'gone';
  const now = deps.clock.now();
  if (now >= eventStart(plan.date, event)) return 'too-late';
  const contact = event.firstTimerContact;
  const day = dayText(plan.date);
  const id = linkId(practice.code, event.shortName);
  const about = `${plan.count} patient${plan.count === 1 ? '' : 's'}`;
  await deps.mailer.send({
    idempotencyKey: `newcomer-notice#${id}#${plan.date}#champion`,
    kind: 'first-timers',
    to: practice.champion.email,
    window: { audience: 'practice', timeZone: event.timeZone },
    template: newcomerNotice,
    links: { newcomers: { purpose: 'newcomers', subject: id, role: 'champion' }, partnership: { purpose: 'partnership', subject: id, role: 'champion' } },
    view: (urls) => ({
      greeting: practice.champion.name,
      subject: contact ? `${day} at ${event.name}: tell your patients to ask for ${contact.firstName}` : `${day} at ${event.name}: what your patients can expect`,
      paragraphs: [
        `You told us about ${about} planning to come to ${event.name} on ${day}. It starts at ${event.startTime}.`,
        contact
          ? `Please tell them to ask for ${contact.firstName}, ${contact.whereToFind}. ${contact.firstName} is expecting them.`
          : `The event has no named first-timer contact yet, so ask them to look for the first timers' welcome just before the start; any volunteer in a high-vis vest will point the way.`,
        briefing(event),
      ],
      change: { label: 'Numbers changed, or another day? Tell us', url: urls.newcomers ?? '' },
      ...(urls.partnership ? { partnership: { otherSide: event.name, url: urls.partnership } } : {}),
    }),
    reason: `You get this because ${practice.name} told us patients plan to come to ${event.name}.`,
    practiceCode: practice.code,
    eventShortName: event.shortName,
  });
  if (contact?.email && isAllowed('event-director', now, event.timeZone)) {
    await deps.mailer.send({
      idempotencyKey: `newcomer-notice#${id}#${plan.date}#contact#${contact.id}`,
      kind: 'first-timers',
      to: contact.email,
      window: { audience: 'event-director', timeZone: event.timeZone },
      template: newcomerNotice,
      links: { standDown: { purpose: 'first-timer-volunteer', subject: event.shortName, role: 'first-timer-contact', detail: { contactId: contact.id } } },
      view: (urls) => ({
        greeting: contact.firstName,
        subject: `Expect about ${plan.count} newcomer${plan.count === 1 ? '' : 's'} from ${practice.name} this ${eventDayName(event.weekday)}`,
        paragraphs: [
          `${practice.name} expects about ${about} to come to ${event.name} for the first time on ${day}. They have been told to ask for you, ${contact.whereToFind}.`,
          'We do not know or share who they are: just that they are coming. A warm hello and a word about the course is all it takes.',
        ],
        change: { label: 'No longer first-timer contact? Step down', url: urls.standDown ?? '' },
      }),
      reason: `You get this as the first-timer contact of ${event.name}.`,
      eventShortName: event.shortName,
    });
  }
  if (!contact && !event.firstTimerContactAskedAt) await askDirectorsForContact(deps, event, practice, now);
  return 'sent';
}

/**
 * Once per event, ever: the directors' next digest asks them to name a first-timer
 * contact. Queued before it is marked, so a failure part way loses nothing (the retry
 * queues again); notices racing each other write the same one entry per event.
 */
async function askDirectorsForContact(deps: NewcomerNoticeDeps, event: ParkrunEvent, practice: Practice, now: Date) {
  for (const director of eventContacts(event)) {
    await queueForDigest(deps, director, event, { kind: 'first-timer-contact-needed', practiceCode: practice.code, eventShortName: event.shortName, addedAt: now.toISOString() }, now);
  }
  await deps.firstTimers.markAskedForContact(event.shortName, now);
}
