/**
 * Head office keeps each event's team true between imports: adds a director, takes one
 * off (they then get no more mail about the event, and their links for it stop working),
 * and sees the team address that stands in while nobody is named. Every change is in the
 * event's audit log, in the same write as the change.
 */
import * as z from '../zod.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { eventContacts, type EventDirector, type ParkrunEvent } from '../model.js';
import { emailAddress, plainText, toValidationError } from '../policies/input-rules.js';
import type { AuditEntry, AuditLog, Clock, EventDirectory, EventRegistry } from '../ports.js';

export interface EventTeamDeps {
  events: EventDirectory;
  registry: EventRegistry;
  audit: AuditLog;
  clock: Clock;
}

/** The audit subject of an event's own changes (a link's are its id, `A81001.bushy`). */
export const eventAuditSubject = (shortName: string) => `event:${shortName}`;

const person = (d: EventDirector) => `${d.name} <${d.email}>`;

/** The change in words, for the audit log: "added …; removed …". */
export function teamChangeDetail(previous: readonly EventDirector[], next: readonly EventDirector[]): string {
  const before = new Map(previous.map((d) => [d.email.toLowerCase(), d]));
  const after = new Map(next.map((d) => [d.email.toLowerCase(), d]));
  const added = next.filter((d) => !before.has(d.email.toLowerCase()));
  const removed = previous.filter((d) => !after.has(d.email.toLowerCase()));
  const renamed = next.filter((d) => before.has(d.email.toLowerCase()) && before.get(d.email.toLowerCase())!.name !== d.name);
  return [
    added.length ? `added ${added.map(person).join(', ')}` : '',
    removed.length ? `removed ${removed.map(person).join(', ')}` : '',
    renamed.length ? `renamed ${renamed.map((d) => `${before.get(d.email.toLowerCase())!.name} to ${d.name}`).join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ') || 'no change';
}

export interface EventTeamView {
  event: ParkrunEvent;
  /** Who gets the event's mail now: the directors, or the team address while none is named. */
  mailedAt: EventDirector[];
  audit: AuditEntry[];
}

async function eventOf(deps: Pick<EventTeamDeps, 'events'>, shortName: string): Promise<ParkrunEvent> {
  const event = (await deps.events.getEvents([shortName], { consistent: true })).get(shortName);
  if (!event) throw new NotFoundError('There is no such event.');
  return event;
}

export async function eventTeam(deps: EventTeamDeps, shortName: string): Promise<EventTeamView> {
  const [event, audit] = await Promise.all([eventOf(deps, shortName), deps.audit.ofSubject(eventAuditSubject(shortName), 50)]);
  return { event, mailedAt: eventContacts(event), audit };
}

/**
 * A director as head office adds one, or the team import reads one from its row. Not how
 * EventDirector is defined: the model takes no input rules, and a director typed in is never the team address.
 */
export const newDirector = z.object({ name: plainText('Name', 100), email: emailAddress('Email') });

export async function addDirector(deps: EventTeamDeps, shortName: string, input: Record<string, string | undefined>, actor: string, requestId: string): Promise<EventDirector> {
  const parsed = newDirector.safeParse({ name: input.name, email: input.email });
  if (!parsed.success) throw toValidationError(parsed.error);
  const event = await eventOf(deps, shortName);
  const director = parsed.data;
  if (event.eventDirectors.some((d) => d.email.toLowerCase() === director.email)) throw new ValidationError({ email: `${director.email} is a director of ${event.name} already` });
  const next = [...event.eventDirectors, director];
  await deps.registry.replaceTeam(shortName, next, event.eventDirectors, { at: deps.clock.now().toISOString(), actor, action: 'team-add', id: requestId, detail: teamChangeDetail(event.eventDirectors, next) });
  return director;
}

export async function removeDirector(deps: EventTeamDeps, shortName: string, email: string | undefined, actor: string, requestId: string): Promise<EventDirector> {
  const event = await eventOf(deps, shortName);
  const director = event.eventDirectors.find((d) => d.email.toLowerCase() === (email ?? '').trim().toLowerCase());
  if (!director) throw new ValidationError({ email: `That address is not a director of ${event.name} (any more)` });
  const next = event.eventDirectors.filter((d) => d !== director);
  await deps.registry.replaceTeam(shortName, next, event.eventDirectors, { at: deps.clock.now().toISOString(), actor, action: 'team-remove', id: requestId, detail: teamChangeDetail(event.eventDirectors, next) });
  return director;
}
