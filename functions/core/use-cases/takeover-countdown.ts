/**
 * A fixed takeover's countdown and what follows it.
 *
 *   takeover watcher  -> one-time reminders: 6 weeks, 2 weeks and 3 days before, 2 days after;
 *                        a move replaces them, a cancel deletes them, a decline goes back
 *   reminder (job)    -> re-reads the plan and mails only if it still stands
 *   answers           -> roles filled, move or cancel, and how it went afterwards (takeover-answers.ts)
 */
import { takeoverNotice } from '../../../templates/takeover-emails.js';
import type { Mailer } from '../mailer.js';
import { eventContacts, greetingOf, linkId, takeoverReminders, type ParkrunEvent, type Takeover, type TakeoverReminderPayload } from '../model.js';
import { type NudgePolicy } from '../policies/quiet-link-ladder.js';
import { countdown, directorsHear, offerableDates, reminderName, type TakeoverReminder } from '../policies/takeover-dates.js';
import type { Clock, EventDirectory, LadderStore, PartnershipStore, Reminders, TakeoverStore } from '../ports.js';
import { queueForDigest } from './digest-queue.js';
import { rolesFilledAnswers } from './takeover-answers.js';
import { dayText, sendDateChoices } from './takeover-planning.js';
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

const allReminders: readonly TakeoverReminder[] = takeoverReminders;

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
  payload: TakeoverReminderPayload,
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

