/**
 * A fixed takeover's countdown and what follows it.
 *
 *   takeover watcher  -> one-time reminders: 6 weeks, 2 weeks and 3 days before, 2 days after;
 *                        a move replaces them, a cancel deletes them, a decline goes back
 *   reminder (job)    -> re-reads the plan and mails only if it still stands
 *   answers           -> roles filled, move or cancel, and how it went afterwards
 */
import { takeoverNotice } from '../../../templates/takeover-emails.js';
import { ConflictError, ValidationError } from '../errors.js';
import { isoDayOf } from '../policies/event-dates.js';
import type { Mailer } from '../mailer.js';
import { eventContacts, greetingOf, linkId, sideOf, type ParkrunEvent, type Takeover } from '../model.js';
import { jointContact, takeoverOff } from '../policies/joint-contact.js';
import { addDays, type NudgePolicy } from '../policies/quiet-link-ladder.js';
import { countdown, dateProblem, directorsHear, offerableDates, reminderName, takeoverPolicy, type TakeoverReminder } from '../policies/takeover-dates.js';
import type { Clock, EventDirectory, LadderStore, PartnershipStore, Reminders, TakeoverStore } from '../ports.js';
import { queueForDigest } from './digest-queue.js';
import type { AnswerRequest } from './link-actions.js';
import { dayText, sendDateChoices, takeoverFor, type TakeoverDeps } from './takeover-planning.js';
import { authoriseAnswer, type AnswerAccess } from './token-access.js';
import { audienceOf, type Audience } from '../policies/quiet-hours.js';

const rosterUrl = (event: ParkrunEvent) => `https://www.parkrun.org.uk/${event.shortName}/volunteer/volunteerroster/`;

export interface TakeoverWatcherDeps {
  takeovers: TakeoverStore;
  events: EventDirectory;
  partnerships: PartnershipStore;
  ladder: LadderStore;
  nudgePolicy: NudgePolicy;
  reminders: Reminders;
  mailer: Mailer;
  clock: Clock;
}

const allReminders: TakeoverReminder[] = ['6-weeks', '2-weeks', '3-days', 'after'];

/**
 * Whom a takeover message is for, in its idempotency key: the practice's side by role, so a
 * record redelivered or a reminder fired again after a hand-over does not tell the new
 * champion what the old one was told; each director by address.
 */
const recipientKey = (audience: Audience, to: string) => (audience === 'practice' ? 'champion' : to.toLowerCase());

/**
 * The takeover watcher's work. A new offer goes into each event director's digest; a fixed
 * takeover gets its countdown reminders. Creating a reminder twice is harmless (its name
 * is deterministic), so a redelivered record or a retry after a failure does no harm.
 */
export async function followTakeover(deps: TakeoverWatcherDeps, takeover: Takeover): Promise<{ queued: number; scheduled: string[] }> {
  const event = (await deps.events.getEvents([takeover.eventShortName])).get(takeover.eventShortName);
  if (!event) return { queued: 0, scheduled: [] };
  const now = deps.clock.now();
  if (takeover.status === 'proposed') {
    // Into the digests once per offer: a record redelivered after the digest went (or after
    // an answer) finds the offer marked, and queues it for no second digest. Marked after
    // queueing, so a failure between the two queues again rather than never.
    const current = await deps.takeovers.getTakeover(takeover.id);
    if (current?.status !== 'proposed' || current.offeredAt) return { queued: 0, scheduled: [] };
    for (const director of eventContacts(event)) {
      await queueForDigest(deps, director, event, { kind: 'takeover-proposal', practiceCode: takeover.practiceCode, eventShortName: event.shortName, takeoverId: takeover.id, addedAt: now.toISOString() }, now);
    }
    await deps.takeovers.markOffered(takeover.id, now);
    return { queued: eventContacts(event).length, scheduled: [] };
  }
  if (takeover.status === 'declined') {
    await offerAgain(deps, takeover, event, now);
    return { queued: 0, scheduled: [] };
  }
  if (takeover.status === 'cancelled' && takeover.date) {
    for (const r of allReminders) await deps.reminders.cancel(reminderName(takeover.id, r, takeover.date));
    await tellOfChange(deps, takeover, event, 'cancelled');
    return { queued: 0, scheduled: [] };
  }
  if (takeover.status !== 'fixed' || !takeover.date) return { queued: 0, scheduled: [] };
  // Moved: the old day's reminders go (cancelling one already gone is harmless).
  const moved = takeover.previousDate !== undefined && takeover.previousDate !== takeover.date;
  if (moved) {
    for (const r of allReminders) await deps.reminders.cancel(reminderName(takeover.id, r, takeover.previousDate!));
  }
  await tellOfChange(deps, takeover, event, moved ? 'moved' : 'fixed');
  const due = countdown(takeover.date, event.timeZone, now).filter((r) => takeover.reminders?.[r.reminder] !== 'scheduled');
  const scheduled: string[] = [];
  for (const r of due) {
    const name = reminderName(takeover.id, r.reminder, takeover.date);
    await deps.reminders.schedule({ name, at: r.at, timeZone: event.timeZone, job: 'takeover-reminder', payload: { takeoverId: takeover.id, reminder: r.reminder, date: takeover.date } });
    scheduled.push(name);
  }
  if (due.length > 0) {
    const reminders: Takeover['reminders'] = {};
    for (const r of countdown(takeover.date, event.timeZone, now)) reminders[r.reminder] = 'scheduled';
    await deps.takeovers.markReminders(takeover.id, reminders);
  }
  return { queued: 0, scheduled };
}

/**
 * The news of a day fixed (to the champion: the director who fixed it knows), moved or
 * cancelled (to both sides). Keyed by takeover, change and day, so the watcher seeing the
 * same image again sends nothing more.
 */
async function tellOfChange(deps: TakeoverWatcherDeps, takeover: Takeover, event: ParkrunEvent, change: 'fixed' | 'moved' | 'cancelled') {
  const practice = await deps.partnerships.getPractice(takeover.practiceCode);
  if (!practice || !takeover.date) return;
  const day = dayText(takeover.date);
  const champion = { audience: 'practice' as const, to: practice.champion.email, greeting: practice.champion.name, reason: `You get this as the parkrun practice contact for ${practice.name}.` };
  const directors = eventContacts(event).map((d) => ({ audience: 'event-director' as const, to: d.email, greeting: greetingOf(d), reason: `You get this as an event director of ${event.name}.` }));
  const news = {
    fixed: { who: [champion], subject: `Your takeover of ${event.name} is on ${day}`, text: `The ${event.name} team has chosen ${day} for ${practice.name}'s takeover. We will remind you as the day comes, with the roster and the roles to fill.` },
    moved: { who: [champion, ...directors], subject: `${practice.name}'s takeover of ${event.name} has moved to ${day}`, text: `The takeover has moved from ${dayText(takeover.previousDate ?? takeover.date)} to ${day}. The reminders now follow the new day.` },
    cancelled: { who: [champion, ...directors], subject: `${practice.name}'s takeover of ${event.name} on ${day} is cancelled`, text: `The takeover on ${day} is cancelled and the day is free again. The usual volunteer roster applies.` },
  }[change];
  for (const who of news.who) {
    await deps.mailer.send({
      idempotencyKey: `takeover-news#${takeover.id}#${change}#${takeover.date}#${recipientKey(who.audience, who.to)}`,
      kind: 'takeovers',
      to: who.to,
      window: { audience: who.audience, timeZone: event.timeZone },
      template: takeoverNotice,
      links: { partnership: { purpose: 'partnership', subject: linkId(practice.code, event.shortName), role: who.audience === 'practice' ? 'champion' : 'event-director' } },
      view: (urls) => ({
        greeting: who.greeting,
        subject: news.subject,
        paragraphs: [news.text],
        ...(urls.partnership ? { partnership: { otherSide: who.audience === 'practice' ? event.name : practice.name, url: urls.partnership } } : {}),
      }),
      reason: who.reason,
      practiceCode: practice.code,
      eventShortName: event.shortName,
      ...(who.audience === 'event-director' ? { toDirectorOf: event.shortName } : {}),
    });
  }
}

/** A decline goes back to the champion, with the reason and the Saturdays still free. */
async function offerAgain(deps: TakeoverWatcherDeps, takeover: Takeover, event: ParkrunEvent, now: Date) {
  const practice = await deps.partnerships.getPractice(takeover.practiceCode);
  if (!practice) return;
  const offer = offerableDates(now, event, await deps.takeovers.takenDates(event.shortName));
  await sendDateChoices(deps, practice, event, offer, `takeover-declined#${takeover.id}`, takeover.declineReason);
}


export interface TakeoverReminderDeps {
  takeovers: TakeoverStore;
  partnerships: PartnershipStore;
  events: EventDirectory;
  ladder: LadderStore;
  nudgePolicy: NudgePolicy;
  mailer: Mailer;
  clock: Clock;
}

/** A countdown reminder fires: mail only if the takeover still stands on that day. */
export async function sendTakeoverReminder(
  deps: TakeoverReminderDeps,
  payload: { takeoverId: string; reminder: TakeoverReminder; date: string },
): Promise<'sent' | 'stale'> {
  const takeover = await deps.takeovers.getTakeover(payload.takeoverId);
  if (!takeover || takeover.status !== 'fixed' || takeover.date !== payload.date) return 'stale';
  const [practice, events] = await Promise.all([deps.partnerships.getPractice(takeover.practiceCode), deps.events.getEvents([takeover.eventShortName])]);
  const event = events.get(takeover.eventShortName);
  if (!practice || !event) return 'stale';
  const day = dayText(payload.date);
  const id = linkId(practice.code, event.shortName);
  const toChampion = {
    to: practice.champion.email,
    greeting: practice.champion.name,
    role: 'champion' as const,
    reason: `You get this as the parkrun practice contact for ${practice.name}.`,
  };
  const toDirectors = eventContacts(event).map((d) => ({
    to: d.email,
    greeting: greetingOf(d),
    role: 'event-director' as const,
    reason: `You get this as an event director of ${event.name}.`,
  }));
  const messages: Record<TakeoverReminder, Array<{ who: typeof toChampion | (typeof toDirectors)[number]; subject: string; paragraphs: string[]; outcome?: boolean }>> = {
    '6-weeks': [
      {
        who: toChampion,
        subject: `Six weeks to your takeover of ${event.name}`,
        paragraphs: [
          `${practice.name} is taking over ${event.name} on ${day}. Now is the time to find your team.`,
          'Roles to fill: run director (with the event team), timekeepers, barcode scanners, funnel manager, marshals, tail walker, token sorting, photographer and the first timers\u2019 briefing.',
          `Share the volunteer roster with colleagues: ${rosterUrl(event)}`,
        ],
      },
    ],
    '2-weeks': [
      {
        who: toChampion,
        subject: `Two weeks to your takeover of ${event.name}`,
        paragraphs: [`Two weeks to ${day}. How many roles are filled? Tell us in one tap below. If some are still open, ask colleagues now, or tell the event team, who can help.`, `Roster: ${rosterUrl(event)}`],
      },
    ],
    '3-days': [
      {
        who: toChampion,
        subject: `This Saturday: your takeover of ${event.name}`,
        paragraphs: [
          `Final check for ${day}: please arrive by 08:30 for a briefing from the event team.`,
          'Someone from the practice could give the first timers\u2019 briefing at 08:50: a warm welcome and a word about the course is all it takes.',
        ],
      },
      ...toDirectors.map((who) => ({
        who,
        subject: `This Saturday: ${practice.name} takes over`,
        paragraphs: [
          `Final check: ${practice.name}'s team is volunteering on ${day}. Their contact is ${practice.champion.name}, ${practice.champion.email}.`,
          ...(takeover.rolesFilled ? [`Two weeks ago the practice told us: ${rolesFilledAnswers[takeover.rolesFilled].toLowerCase()}.`] : []),
        ],
      })),
    ],
    after: [toChampion].map((who) => ({
      who,
      subject: `How did the takeover on ${day} go?`,
      paragraphs: [`Thank you for the takeover of ${event.name} on ${day}. Tell us in one tap how it went: it helps other practices and events to try one.`],
      outcome: true,
    })),
  };
  if (directorsHear[payload.reminder] === 'digest') {
    const kind = payload.reminder === 'after' ? 'takeover-outcome' : 'takeover-coming';
    const now = deps.clock.now();
    for (const director of eventContacts(event)) {
      await queueForDigest(deps, director, event, { kind, practiceCode: practice.code, eventShortName: event.shortName, takeoverId: takeover.id, addedAt: now.toISOString() }, now);
    }
  }
  const detail = { takeoverId: takeover.id };
  for (const message of messages[payload.reminder]) {
    const roles = payload.reminder === '2-weeks' && message.who.role === 'champion';
    await deps.mailer.send({
      idempotencyKey: `takeover#${takeover.id}#${payload.reminder}#${payload.date}#${recipientKey(audienceOf(message.who.role), message.who.to)}`,
      kind: 'takeovers',
      to: message.who.to,
      window: { audience: audienceOf(message.who.role), timeZone: event.timeZone },
      template: takeoverNotice,
      links: {
        ...(message.outcome ? { outcome: { purpose: 'takeover-outcome' as const, subject: id, role: message.who.role, detail } } : {}),
        // Before the day, either side can move or cancel from any reminder.
        ...(message.outcome ? {} : { change: { purpose: 'takeover-change' as const, subject: id, role: message.who.role, detail } }),
        ...(roles
          ? Object.fromEntries(Object.keys(rolesFilledAnswers).map((filled) => [`roles-${filled}`, { purpose: 'takeover-roles' as const, subject: id, role: message.who.role, detail, query: { filled } }]))
          : {}),
        partnership: { purpose: 'partnership' as const, subject: id, role: message.who.role },
      },
      view: (urls) => ({
        greeting: message.who.greeting,
        subject: message.subject,
        paragraphs: message.paragraphs,
        ...(roles ? { choices: Object.entries(rolesFilledAnswers).map(([filled, label]) => ({ label, url: urls[`roles-${filled}`] ?? '' })) } : {}),
        ...(urls.outcome ? { action: { label: 'Tell us how it went', url: urls.outcome } } : {}),
        ...(urls.change ? { change: { label: 'Move or cancel the takeover', url: urls.change } } : {}),
        ...(urls.partnership ? { partnership: { otherSide: message.who.role === 'champion' ? event.name : practice.name, url: urls.partnership } } : {}),
      }),
      reason: message.who.reason,
      practiceCode: practice.code,
      eventShortName: event.shortName,
      ...(message.who.role === 'event-director' ? { toDirectorOf: event.shortName } : {}),
    });
  }
  return 'sent';
}

export const rolesFilledAnswers = { all: 'All roles are filled', most: 'Most are filled', some: 'Some are filled', none: 'None yet' } as const;

export async function openRoles(deps: TakeoverDeps, request: AnswerRequest): Promise<{ access: AnswerAccess; takeover: Takeover }> {
  const access = await authoriseAnswer(deps, { ...request, purpose: 'takeover-roles' });
  return { access, takeover: await takeoverFor(deps, access, 'fixed') };
}

export async function recordRolesFilled(deps: TakeoverDeps, request: AnswerRequest, filled: string): Promise<{ access: AnswerAccess; takeover: Takeover }> {
  if (!Object.hasOwn(rolesFilledAnswers, filled)) throw new ValidationError({ filled: 'Choose one of the answers' });
  const { access, takeover } = await openRoles(deps, request);
  await deps.takeovers.recordRoles(takeover, filled as keyof typeof rolesFilledAnswers, deps.clock.now(), { ref: access.lookup.ref, purpose: 'takeover-roles', now: deps.clock.now() });
  return { access, takeover };
}

/** Days a fixed takeover may move to: the event's coming days, from next week to 16 weeks ahead, not taken. */
export async function openChange(deps: TakeoverDeps, request: AnswerRequest): Promise<{ access: AnswerAccess; takeover: Takeover; moveTo: string[] }> {
  const access = await authoriseAnswer(deps, { ...request, purpose: 'takeover-change' });
  const takeover = await takeoverFor(deps, access, 'fixed');
  if (takeover.date! <= isoDayOf(deps.clock.now(), access.event.timeZone)) {
    throw new ConflictError('The takeover day has come: it can no longer be moved or cancelled. Tell us how it went from the email after the day.');
  }
  const taken = await deps.takeovers.takenDates(access.event.shortName);
  const moveTo = offerableDates(deps.clock.now(), access.event, taken, 1).filter((d) => d !== takeover.date);
  return { access, takeover, moveTo };
}

export async function moveTakeover(deps: TakeoverDeps, request: AnswerRequest, date: string): Promise<{ access: AnswerAccess; takeover: Takeover }> {
  const { access, takeover, moveTo } = await openChange(deps, request);
  const problem = dateProblem(date, moveTo);
  if (problem) throw new ValidationError({ date: problem });
  const now = deps.clock.now();
  // Moving the day is either side keeping the plan alive: contact, and the ladder held until the new day.
  const contact = jointContact(access.link, { by: sideOf(access.grant.role), via: 'takeover-moved', takeoverUntil: date, detail: { takeoverId: takeover.id, date } }, now, deps.nudgePolicy);
  await deps.takeovers.move(takeover, date, now, { ref: access.lookup.ref, purpose: 'takeover-change', now }, contact);
  return { access, takeover: { ...takeover, date, previousDate: takeover.date } };
}

export async function cancelTakeover(deps: TakeoverDeps, request: AnswerRequest): Promise<{ access: AnswerAccess; takeover: Takeover }> {
  const { access, takeover } = await openChange(deps, request);
  const now = deps.clock.now();
  // Not contact (docs/contact.md): the day just stops holding the link's ladder.
  await deps.takeovers.cancel(takeover, now, { ref: access.lookup.ref, purpose: 'takeover-change', now }, addDays(now, takeoverPolicy.promptEveryDays), takeoverOff(access.link, deps.nudgePolicy));
  return { access, takeover };
}

export interface TakeoverOutcomeInput {
  happened: boolean;
  staffVolunteered: number;
  wouldDoAgain: boolean;
}

export async function openOutcome(deps: TakeoverDeps, request: AnswerRequest): Promise<{ access: AnswerAccess; takeover: Takeover }> {
  const access = await authoriseAnswer(deps, { ...request, purpose: 'takeover-outcome' });
  return { access, takeover: await takeoverFor(deps, access, 'fixed') };
}

/** How it went: a takeover that happened is the link's "volunteer takeover" activity done, and counts as contact. */
export async function recordTakeoverOutcome(deps: TakeoverDeps, request: AnswerRequest, input: TakeoverOutcomeInput): Promise<{ access: AnswerAccess; takeover: Takeover }> {
  const { access, takeover } = await openOutcome(deps, request);
  const now = deps.clock.now();
  const by = sideOf(access.grant.role);
  // Either way the takeover comes off the link. Done, it is contact; not done, or on a link
  // ended since (the answer still counts for head office), it is not, and revives nothing.
  const link =
    input.happened && access.link.status !== 'ended'
      ? {
          contact: jointContact(
            access.link,
            {
              by,
              via: 'takeover-done',
              takeoverUntil: null,
              activities: { ...access.link.activities, 'volunteer-takeover': { status: 'done', updatedAt: now.toISOString(), updatedBy: by } },
              detail: { takeoverId: takeover.id, ...(takeover.date ? { date: takeover.date } : {}) },
            },
            now,
            deps.nudgePolicy,
          ),
        }
      : { off: takeoverOff(access.link, deps.nudgePolicy) };
  await deps.takeovers.recordOutcome(
    takeover,
    { ...input, by },
    now,
    { ref: access.lookup.ref, purpose: 'takeover-outcome', now },
    addDays(now, input.happened ? takeoverPolicy.quietAfterTakeoverDays : takeoverPolicy.promptEveryDays),
    link,
  );
  return { access, takeover };
}

