/**
 * Head office's view of registrations: those waiting for their champion's confirmation,
 * and rejecting one as not genuine (confirmed or not). A rejection ends the links it made,
 * refuses the champion's address for registrations from then on, is audited, and tells
 * nobody: a stranger who filled in the form learns nothing from it.
 */
import { NotFoundError } from '../errors.js';
import { registrationDays, type PendingRegistration } from '../model.js';
import type { Clock, EventDirectory, RegistrationStore } from '../ports.js';

export interface RegistrationReviewDeps {
  registrations: RegistrationStore;
  events: EventDirectory;
  clock: Clock;
}

/** At most this many on the page: more waiting at once than this is itself a sign of a flood. */
export const awaitingShown = 200;

export interface AwaitingRegistration {
  registration: PendingRegistration;
  eventNames: string[];
}

export async function awaitingRegistrations(deps: RegistrationReviewDeps): Promise<AwaitingRegistration[]> {
  const since = new Date(deps.clock.now().getTime() - registrationDays * 86_400_000);
  const waiting = await deps.registrations.awaiting(since, awaitingShown);
  const events = await deps.events.getEvents([...new Set(waiting.flatMap((r) => r.eventShortNames))]);
  return waiting.map((registration) => ({ registration, eventNames: registration.eventShortNames.map((e) => events.get(e)?.name ?? e) }));
}

export async function rejectRegistration(deps: RegistrationReviewDeps, id: string, actor: string, requestId: string): Promise<PendingRegistration> {
  const registration = /^[0-9a-f-]{36}$/.test(id) ? await deps.registrations.get(id) : undefined;
  if (!registration) throw new NotFoundError('There is no such registration.');
  await deps.registrations.reject(registration, deps.clock.now(), actor, requestId);
  return registration;
}
