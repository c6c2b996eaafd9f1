/**
 * A practice registers with one or more events. Stores the registration with its links
 * (all or nothing); the registration watcher picks it up from the stream and makes the
 * introductions, so the request returns at once and no email is lost if mail is slow.
 */
import { randomUUID } from 'node:crypto';
import { LinkAlreadyExistsError, RateLimitedError, UnknownEventError } from '../errors.js';
import type { Registration } from '../model.js';
import type { RegistrationInput } from '../policies/registration-input.js';
import type { Clock, EventDirectory, PartnershipStore, RateLimiter } from '../ports.js';

export interface SubmitRegistrationDeps {
  events: EventDirectory;
  partnerships: PartnershipStore;
  rateLimiter: RateLimiter;
  clock: Clock;
}

/** Registrations naming one address, per hour: the form mails that address, so it must not become a way to flood an inbox. */
export const registrationsPerAddressPerHour = 5;

export async function submitRegistration(deps: SubmitRegistrationDeps, input: RegistrationInput): Promise<Registration> {
  const known = await deps.events.getEvents(input.events);
  const unknown = input.events.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new UnknownEventError(unknown);

  const linked = await deps.partnerships.findLinkedEvents(input.practiceCode, input.events);
  if (linked.length > 0) throw new LinkAlreadyExistsError(input.practiceCode, linked);
  if (!(await deps.rateLimiter.take(`registration#${input.champion.email}`, registrationsPerAddressPerHour, 3_600_000, deps.clock.now()))) {
    throw new RateLimitedError('Several registrations have named this email address in the last hour. Please try again later.');
  }

  const registration: Registration = {
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
  };
  // A concurrent registration for the same link can land between the check above and
  // this write; the store's conditional transaction turns that into the same 409.
  await deps.partnerships.recordRegistration(registration);
  return registration;
}
