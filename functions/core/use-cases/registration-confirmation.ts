/**
 * Confirm first: a registration mails only the champion it names (or, for a practice on
 * record, its champion on record), asking them to confirm. Only their confirmation, from
 * their own inbox, stores the practice and its links and so sets off the introductions.
 * A form filled in by a stranger therefore reaches no event team and attaches nothing to
 * a real practice.
 *
 *   form / API          -> registration awaiting confirmation (submit-registration.ts)
 *   registration watcher -> "Confirm your parkrun practice registration" (sendConfirmationRequest)
 *   champion (link)     -> GET shows it, changes nothing; POST confirms (confirmRegistration)
 *   registration watcher -> the introductions, as ever (introduce-registration.ts)
 */
import { registrationConfirmation } from '../../../templates/registration-confirmation.js';
import { InvalidTokenError } from '../errors.js';
import type { Mailer, SendOutcome } from '../mailer.js';
import { registrationDays, type PendingRegistration } from '../model.js';
import { formatDayOf } from '../policies/event-dates.js';
import type { Clock, EventDirectory, LinkTokens, PartnershipStore, RegistrationStore, TokenLookup } from '../ports.js';

const day = 86_400_000;
/** When a registration's confirmation lapses (and its link with it). */
export const confirmableUntil = (pending: Pick<PendingRegistration, 'submittedAt'>) => new Date(Date.parse(pending.submittedAt) + registrationDays * day);

export interface ConfirmationDeps {
  registrations: RegistrationStore;
  partnerships: PartnershipStore;
  events: EventDirectory;
  tokens: LinkTokens;
  clock: Clock;
}

/**
 * Who confirms: the champion on record for a practice on record (as it is now: one
 * registered since this was submitted counts too), else the address the form named.
 */
async function confirmerOf(deps: Pick<ConfirmationDeps, 'partnerships'>, pending: PendingRegistration) {
  const onRecord = await deps.partnerships.getPractice(pending.practice.code);
  return { practice: onRecord ?? pending.practice, onRecord: onRecord !== undefined };
}

/** The watcher's half: the one email a registration sends before it is confirmed. */
export async function sendConfirmationRequest(deps: Pick<ConfirmationDeps, 'partnerships' | 'events' | 'clock'> & { mailer: Mailer }, pending: PendingRegistration): Promise<SendOutcome | 'lapsed'> {
  const until = confirmableUntil(pending);
  const now = deps.clock.now();
  if (pending.status !== 'awaiting-confirmation' || until <= now) return 'lapsed';
  const [{ practice, onRecord }, events] = await Promise.all([confirmerOf(deps, pending), deps.events.getEvents(pending.eventShortNames)]);
  const first = events.get(pending.eventShortNames[0]!);
  return deps.mailer.send({
    idempotencyKey: `registration-confirm#${pending.id}`,
    kind: 'introductions',
    to: practice.champion.email,
    // The person who filled in the form asked for this a moment ago; a champion on record did not, so it waits for their working hours.
    ...(onRecord ? { window: { audience: 'practice' as const, timeZone: first?.timeZone ?? 'Europe/London' } } : {}),
    template: registrationConfirmation,
    // The link ends with the registration, also when the email waits for the champion's working hours.
    links: { confirm: { purpose: 'registration-confirm', subject: pending.id, role: 'champion', expiresAt: until.toISOString() } },
    view: (urls) => ({
      championName: practice.champion.name,
      practiceName: practice.name,
      eventNames: pending.eventShortNames.map((e) => events.get(e)?.name ?? e).join(' and '),
      onRecord,
      confirmUrl: urls.confirm ?? '',
      until: formatDayOf(until, first?.timeZone ?? 'Europe/London'),
    }),
    reason: onRecord ? `You get this as the parkrun practice contact for ${practice.name}.` : 'You get this because this address was given as the parkrun champion in a registration.',
    practiceCode: pending.practice.code,
  });
}

export interface ConfirmationAccess {
  pending: PendingRegistration;
  lookup: TokenLookup;
  eventNames: string[];
  /** The practice as it will be on record: for a practice already on record, as it is there. */
  practice: PendingRegistration['practice'];
}

/** Checks a confirmation link and loads what its page shows; changes nothing (mail scanners open links). */
export async function openConfirmation(deps: ConfirmationDeps, request: { registrationId: string; token: string }): Promise<ConfirmationAccess> {
  const now = deps.clock.now();
  const lookup = await deps.tokens.lookup(request.token, now);
  if (!lookup) throw new InvalidTokenError('unknown');
  const { grant } = lookup;
  if (grant.purpose !== 'registration-confirm' || grant.subject !== request.registrationId || grant.role !== 'champion') throw new InvalidTokenError('wrong-link');
  const pending = await deps.registrations.get(request.registrationId);
  if (!pending) throw new InvalidTokenError('expired', {}, `A registration waits ${registrationDays} days for its confirmation; this one has gone. Register again if you still want to.`);
  if (pending.status === 'rejected') throw new InvalidTokenError('not-contact', {}, 'This registration has been withdrawn, so this link does nothing.');
  const { practice } = await confirmerOf(deps, pending);
  // Only the person it was sent to, while they are the one to confirm (a hand-over since moves it on).
  if (practice.champion.email.toLowerCase() !== grant.recipient.toLowerCase()) throw new InvalidTokenError('not-contact');
  if (pending.status === 'confirmed') throw new InvalidTokenError('used', {}, 'This registration is confirmed already: the introductions have gone out.');
  if (lookup.state !== 'valid' || confirmableUntil(pending) <= now) throw new InvalidTokenError('expired', {}, `A registration waits ${registrationDays} days for its confirmation; this one has lapsed. Register again if you still want to.`);
  const events = await deps.events.getEvents(pending.eventShortNames);
  return { pending, lookup, practice, eventNames: pending.eventShortNames.map((e) => events.get(e)?.name ?? e) };
}

/** The champion confirms: the practice and its links are stored, and the introductions follow. */
export async function confirmRegistration(deps: ConfirmationDeps, request: { registrationId: string; token: string }): Promise<ConfirmationAccess> {
  const access = await openConfirmation(deps, request);
  const now = deps.clock.now();
  await deps.registrations.confirm(access.pending, now, access.lookup.grant.recipient, { ref: access.lookup.ref, purpose: 'registration-confirm', now });
  return access;
}
