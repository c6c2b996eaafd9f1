/**
 * A practice registers with one or more events. The registration waits for its champion
 * to confirm it; the registration watcher picks it up from the stream and asks them, so
 * the request returns at once and no email is lost if mail is slow.
 */
import { randomUUID } from 'node:crypto';
import { LinkAlreadyExistsError, UnknownEventError } from '../errors.js';
import { eventContacts, type PendingRegistration } from '../model.js';
import { enforceLimits, type LimitDeps } from './abuse-limits.js';
import { eventShortNamePattern, type RegistrationInput } from '../policies/registration-input.js';
import { closestEventNames, findEventName, normaliseName, type EventName } from '../policies/event-names.js';
import type { Clock, EventDirectory, PartnershipStore, RateLimiter, RegistrationStore } from '../ports.js';

export interface SubmitRegistrationDeps extends LimitDeps {
  events: EventDirectory;
  partnerships: PartnershipStore;
  registrations: RegistrationStore;
  rateLimiter: RateLimiter;
  clock: Clock;
}

/**
 * The short names of the events named, by short or long name in any case. Throws
 * UnknownEventError naming each that matches no event still in the feed, with the closest
 * names for each. Names that are short names are looked up by key; the list of every
 * event's names is read only when one is not.
 */
/** What finding events by name needs: by key, and every event's names. */
export interface EventFinder {
  getEvents(shortNames: string[]): Promise<Map<string, { shortName: string; feed?: { inFeed: boolean } }>>;
  eventNames(): Promise<EventName[]>;
}

export async function resolveEvents(events: EventFinder, names: readonly string[], catalog?: readonly EventName[]): Promise<string[]> {
  const byKey = await events.getEvents(names.map(normaliseName).filter((n) => eventShortNamePattern.test(n)));
  const found = new Map<string, { shortName: string; inFeed: boolean }>();
  for (const typed of names) {
    const event = byKey.get(normaliseName(typed));
    if (event) found.set(typed, { shortName: event.shortName, inFeed: event.feed?.inFeed !== false });
  }
  let all = catalog;
  const list = async () => (all ??= await events.eventNames());
  for (const typed of names.filter((n) => !found.has(n))) {
    const match = findEventName(typed, await list());
    if (match) found.set(typed, { shortName: match.shortName, inFeed: match.inFeed });
  }
  const unknown = names.filter((typed) => !found.has(typed));
  const gone = [...found.values()].filter((e) => !e.inFeed).map((e) => e.shortName);
  if (unknown.length > 0 || gone.length > 0) {
    const suggestions = unknown.length ? Object.fromEntries(await Promise.all(unknown.map(async (typed) => [typed, closestEventNames(typed, await list())] as const))) : {};
    throw new UnknownEventError([...unknown, ...new Set(gone)], suggestions, [...new Set(gone)]);
  }
  return [...new Set(names.map((typed) => found.get(typed)!.shortName))];
}

/**
 * Takes a registration and stores it awaiting its champion's confirmation: nothing else is
 * written and nobody else is mailed until they confirm (registration-confirmation.ts).
 * An address head office has refused for registrations is answered the same, and nothing
 * is stored or sent: the form must not tell a stranger what head office decided.
 */
export async function submitRegistration(deps: SubmitRegistrationDeps, input: RegistrationInput, from: { source?: string } = {}): Promise<PendingRegistration> {
  input = { ...input, events: await resolveEvents(deps.events, input.events) };

  const linked = await deps.partnerships.findLinkedEvents(input.practiceCode, input.events);
  if (linked.length > 0) throw new LinkAlreadyExistsError(input.practiceCode, linked);

  const [onRecord, blocked, events] = await Promise.all([
    deps.partnerships.getPractice(input.practiceCode),
    deps.registrations.isBlocked(input.champion.email),
    deps.events.getEvents(input.events),
  ]);
  // Counted against whoever it could mail: the champion asked to confirm, and, once they do, the event teams.
  await enforceLimits(deps, 'registration', {
    ...(from.source ? { source: from.source } : {}),
    recipients: [(onRecord ?? { champion: input.champion }).champion.email],
    practiceCode: input.practiceCode,
    events: input.events,
    directors: [...events.values()].flatMap((e) => eventContacts(e).map((d) => d.email)),
  });
  const pending: PendingRegistration = {
    id: randomUUID(),
    practice: {
      code: input.practiceCode,
      name: input.practiceName,
      postcode: input.postcode,
      champion: {
        name: input.champion.name,
        role: input.champion.role,
        email: input.champion.email,
        ...(input.champion.phone ? { phone: input.champion.phone } : {}),
      },
    },
    eventShortNames: input.events,
    contactedEventTeam: input.contactedEventTeam,
    submittedAt: deps.clock.now().toISOString(),
    status: 'awaiting-confirmation',
    practiceOnRecord: onRecord !== undefined,
  };
  if (!blocked) await deps.registrations.submit(pending);
  return pending;
}
