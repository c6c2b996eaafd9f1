/**
 * The registration watcher's work: the moment a registration lands, each chosen event's
 * directors hear who the practice's contact is, and the champion hears who the event
 * directors are and what to do next. Safe to run any number of times for the same
 * registration: each email has its own idempotency key.
 */
import { introEventTeam } from '../../../templates/intro-event-team.js';
import { introPractice, type IntroPracticeEvent } from '../../../templates/intro-practice.js';
import { answerLinks, answerUrls } from '../magic-links.js';
import type { Mailer, SendOutcome } from '../mailer.js';
import { eventContacts, greetingOf, linkId, type IntroductionRequest, type ParkrunEvent, type Practice, type Registration } from '../model.js';
import { formatLongDate, nextEventDate } from '../policies/event-dates.js';
import { addDays, type NudgePolicy } from '../policies/quiet-link-ladder.js';
import { firstPromptAfterDays } from '../policies/takeover-dates.js';
import { nextAskAt } from '../policies/feedback-calendar.js';
import type { Clock, EventDirectory, FeedbackStore, PartnershipStore, TakeoverStore } from '../ports.js';
import { allOrFirstFailure } from '../concurrency.js';

export interface IntroduceRegistrationDeps {
  nudgePolicy: NudgePolicy;
  takeovers: TakeoverStore;
  feedback: FeedbackStore;
  events: EventDirectory;
  partnerships: PartnershipStore;
  mailer: Mailer;
  clock: Clock;
}

export interface IntroductionResult {
  emails: Array<{ to: string; template: string; outcome: SendOutcome }>;
  /** Events no longer known (removed since the registration): nothing to introduce. */
  missingEvents: string[];
}

const mailto = (addresses: string[], subject: string) =>
  `mailto:${addresses.map(encodeURIComponent).join(',')}?subject=${encodeURIComponent(subject)}`;

export async function introduceRegistration(
  deps: IntroduceRegistrationDeps,
  registration: Registration,
  options: { resent?: boolean } = {},
): Promise<IntroductionResult> {
  // Introductions use the practice as on record: for a practice registered before, that
  // is its existing champion, not whoever filled in this form.
  const [onRecord, known] = await Promise.all([deps.partnerships.getPractice(registration.practice.code), deps.events.getEvents(registration.eventShortNames)]);
  const practice = onRecord ?? registration.practice;
  const now = deps.clock.now();
  const events = registration.eventShortNames.map((n) => known.get(n)).filter((e): e is ParkrunEvent => e !== undefined);
  const missingEvents = registration.eventShortNames.filter((n) => !known.has(n));
  // Every email is its own, with its own key: they go out side by side, not one by one.
  const sending: Array<Promise<IntroductionResult['emails'][number]>> = [];
  const initialContact = registration.contactedEventTeam ? 'practice' : 'introduction';

  for (const event of events) {
    const nextDate = formatLongDate(nextEventDate(now, event));
    const id = linkId(practice.code, event.shortName);
    for (const director of eventContacts(event)) {
      const outcome = deps.mailer.send({
        idempotencyKey: `intro-event-team#${registration.id}#${event.shortName}#${director.email.toLowerCase()}`,
        kind: 'introductions',
        to: director.email,
        window: { audience: 'event-director', timeZone: event.timeZone },
        template: introEventTeam,
        links: { ...answerLinks('', id, 'event-director', { handOver: true }), firstTimerContact: { purpose: 'first-timer-contact', subject: id, role: 'event-director' } },
        view: (urls) => ({
          directorName: greetingOf(director),
          eventName: event.name,
          practiceName: practice.name,
          practiceCode: practice.code,
          practicePostcode: practice.postcode,
          championName: practice.champion.name,
          championRole: practice.champion.role,
          championEmail: practice.champion.email,
          ...(practice.champion.phone ? { championPhone: practice.champion.phone } : {}),
          contactedEventTeam: registration.contactedEventTeam,
          ...(options.resent ? { resent: true } : {}),
          nextEventDate: nextDate,
          mailtoChampion: mailto([practice.champion.email], `${event.name} and ${practice.name}`),
          answers: answerUrls(urls, '', practice.name),
          firstTimerContactUrl: urls.firstTimerContact ?? '',
        }),
        reason: `You get this as an event director of ${event.name}.`,
        practiceCode: practice.code,
        eventShortName: event.shortName,
        toDirectorOf: event.shortName,
      });
      sending.push(outcome.then((o) => ({ to: director.email, template: introEventTeam.name, outcome: o })));
    }
  }

  if (events.length > 0) {
    const outcome = sendPracticeIntroduction(deps, practice, events, `intro-practice#${registration.id}`, options);
    sending.push(outcome.then((o) => ({ to: practice.champion.email, template: introPractice.name, outcome: o })));
  }
  const emails = await allOrFirstFailure(sending);

  // The links move to `introduced` only once every email is out, so a failure part way
  // leaves them `registered` and the retried record finishes the job.
  await allOrFirstFailure<unknown>(
    events.flatMap((event) => [
      deps.partnerships.markIntroduced(
        { practiceCode: practice.code, eventShortName: event.shortName, registrationId: registration.id, initialContact },
        now,
        addDays(now, deps.nudgePolicy.quietAfterDays),
      ),
      // The first takeover planning prompt waits until the link has settled in. Saving
      // refuses to replace a state already there, so a replay leaves it as it is.
      deps.takeovers.savePromptState({
        practiceCode: practice.code,
        eventShortName: event.shortName,
        planned: false,
        dueAt: addDays(now, firstPromptAfterDays).toISOString(),
      }),
      // Feedback is asked from the next first Tuesday of a month; the same refusal makes a replay harmless.
      deps.feedback.saveAskState({ practiceCode: practice.code, eventShortName: event.shortName, dueAt: nextAskAt(now).toISOString() }),
    ]),
  );
  return { emails, missingEvents };
}

/**
 * Head office asked for a link's introduction again (say, after a new contact): both
 * sides get it, once per request, with the practice and directors as they are now.
 */
export async function resendIntroduction(deps: IntroduceRegistrationDeps, request: IntroductionRequest): Promise<IntroductionResult | 'gone'> {
  const practice = await deps.partnerships.getPractice(request.practiceCode);
  const link = await deps.partnerships.getLink(request.practiceCode, request.eventShortName);
  if (!practice || !link || link.status === 'ended') return 'gone';
  return introduceRegistration(
    deps,
    { id: `resend-${request.id}`, practice, eventShortNames: [request.eventShortName], contactedEventTeam: link.initialContact === 'practice', submittedAt: request.requestedAt },
    { resent: true },
  );
}

/**
 * The champion's introduction: each of their events, whom to talk to there (the directors,
 * or the team address while none is named), the next event day and the one-tap answers.
 * Sent for a registration, and for a practice brought in by the go-live import.
 */
export function sendPracticeIntroduction(
  deps: Pick<IntroduceRegistrationDeps, 'mailer' | 'clock'>,
  practice: Practice,
  events: ParkrunEvent[],
  idempotencyKey: string,
  options: { resent?: boolean } = {},
): Promise<SendOutcome> {
  const now = deps.clock.now();
  const first = events[0]!;
  const prefix = (event: ParkrunEvent) => `${event.shortName}:`;
  const practiceEvents = (urls: Record<string, string>): IntroPracticeEvent[] =>
    events.map((event) => ({
      eventName: event.name,
      startTime: event.startTime,
      nextEventDate: formatLongDate(nextEventDate(now, event)),
      directors: eventContacts(event).map((d) => ({ name: d.name, email: d.email })),
      hasDirectors: eventContacts(event).length > 0,
      ...(event.firstTimerContact ? { firstTimerContact: { firstName: event.firstTimerContact.firstName, whereToFind: event.firstTimerContact.whereToFind } } : {}),
      answers: answerUrls(urls, prefix(event), event.name),
      newcomersUrl: urls[`${prefix(event)}newcomers`] ?? '',
    }));
  const firstDirectors = eventContacts(first).map((d) => d.email);
  return deps.mailer.send({
    idempotencyKey,
    kind: 'introductions',
    to: practice.champion.email,
    window: { audience: 'practice', timeZone: first.timeZone },
    template: introPractice,
    links: Object.assign(
      { handOverPractice: { purpose: 'hand-over' as const, subject: linkId(practice.code, first.shortName), role: 'champion' as const } },
      ...events.map((event) => answerLinks(prefix(event), linkId(practice.code, event.shortName), 'champion', { handOver: false })),
      ...events.map((event) => ({ [`${prefix(event)}newcomers`]: { purpose: 'newcomers' as const, subject: linkId(practice.code, event.shortName), role: 'champion' as const } })),
    ),
    view: (urls) => ({
      championName: practice.champion.name,
      practiceName: practice.name,
      events: practiceEvents(urls),
      eventNames: events.map((e) => e.name).join(' and '),
      firstEventName: first.name,
      ...(firstDirectors.length > 0 ? { mailtoDirectors: mailto(firstDirectors, `Hello from ${practice.name}`) } : {}),
      handOverPracticeUrl: urls.handOverPractice ?? '',
      ...(options.resent ? { resent: true } : {}),
    }),
    reason: `You get this as the parkrun practice contact for ${practice.name}.`,
    practiceCode: practice.code,
  });
}
