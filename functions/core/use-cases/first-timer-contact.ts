/**
 * An event's first-timer contact: the volunteer a signposted patient can ask for on
 * their first morning.
 *
 *   event director (magic link)  -> names a volunteer: first name, where to find them, optional email
 *   first-timer watcher          -> asks the volunteer to confirm, by their own link
 *                                   (or the director, to pass the link on, if no email was given)
 *   volunteer (magic link)       -> confirms; only now are the details shared with practices.
 *                                   Stepping down (from any of their emails) removes them.
 *
 * Naming and confirming are the event working with its practices, so each counts as
 * contact from the event (docs/contact.md) on the link whose email the director named from:
 * the token's link when naming, the naming's `namedFrom` when confirming. A link ended (or,
 * for an older naming, not known) is skipped: the event's contact is about the event, and
 * must not fail for a link's sake.
 */
import { createHash } from 'node:crypto';
import { firstTimerConfirm } from '../../../templates/first-timer-emails.js';
import { InvalidTokenError } from '../errors.js';
import type { Mailer, SendOutcome } from '../mailer.js';
import { eventContacts, linkId, parseLinkId, type ConfirmedFirstTimerContact, type FirstTimerCandidate, type FirstTimerContact, type FirstTimerNaming, type Link, type ParkrunEvent } from '../model.js';
import { jointContact, type JointAction, type JointContact } from '../policies/joint-contact.js';
import type { NudgePolicy } from '../policies/quiet-link-ladder.js';
import type { Clock, EventDirectory, FirstTimerStore, LinkTokens, PartnershipStore, TokenLookup } from '../ports.js';
import type { AnswerRequest } from './link-actions.js';
import { authoriseAnswer, type AnswerAccess, type TokenAccessDeps } from './token-access.js';
import { isoDayOf } from '../policies/event-dates.js';
import { enforceLimits, type LimitDeps } from './abuse-limits.js';

export interface FirstTimerDeps extends TokenAccessDeps {
  firstTimers: FirstTimerStore;
}

export async function openContactNaming(deps: FirstTimerDeps, request: AnswerRequest): Promise<AnswerAccess> {
  return authoriseAnswer(deps, { ...request, purpose: 'first-timer-contact' });
}

/** A director names (or changes) the contact. The previous one stays until the new one confirms. */
export async function nameFirstTimerContact(deps: FirstTimerDeps & LimitDeps, request: AnswerRequest, input: FirstTimerContact): Promise<{ access: AnswerAccess; candidate: FirstTimerCandidate }> {
  const access = await openContactNaming(deps, request);
  // Each naming mails the volunteer (or the director): a director's link must not mail anyone, often.
  await enforceLimits(deps, 'first-timer-naming', {
    ...(request.source ? { source: request.source } : {}),
    recipients: [input.email ?? access.grant.recipient],
    events: [access.event.shortName],
  });
  const now = deps.clock.now();
  const director = eventContacts(access.event).find((d) => d.email.toLowerCase() === access.grant.recipient.toLowerCase());
  // The same person with the same details named again the same day (two directors at once,
  // or one pressing twice) is the same naming: one id, so one email asking them to confirm.
  const id = createHash('sha256')
    .update([access.event.shortName, input.firstName, input.whereToFind, input.email ?? '', isoDayOf(now, access.event.timeZone)].join('\n'))
    .digest('hex')
    .slice(0, 32);
  const candidate: FirstTimerCandidate = {
    ...input,
    id,
    namedAt: now.toISOString(),
    namedBy: { name: director?.name ?? 'An event director', email: access.grant.recipient },
    namedFrom: linkId(access.practice.code, access.event.shortName),
  };
  const contact = eventContactOn(access.link, 'first-timer-named', candidate.id, now, deps.nudgePolicy);
  // Reusable for its 14 days: a director who spots a typo names them again.
  await deps.firstTimers.nameCandidate(access.event.shortName, candidate, { ref: access.lookup.ref, purpose: 'first-timer-contact', now }, contact);
  return { access, candidate };
}

/** Contact from the event on a live link; none on a link gone or ended (nothing to revive). */
function eventContactOn(link: Link | undefined, via: JointAction, candidateId: string, now: Date, policy: NudgePolicy): JointContact | undefined {
  if (!link || link.status === 'ended') return undefined;
  return jointContact(link, { by: 'event', via, detail: { firstTimerContactId: candidateId } }, now, policy);
}

/**
 * The watcher's half: the confirmation link goes to the volunteer, or, without an email,
 * to the director who named them, to pass on. Only while they are still the one named.
 */
export async function askToConfirm(deps: { mailer: Mailer; events: EventDirectory }, naming: FirstTimerNaming): Promise<SendOutcome | 'replaced'> {
  // Read consistently: a stale read would miss a candidate named a moment ago and lose the email.
  const event = (await deps.events.getEvents([naming.eventShortName], { consistent: true })).get(naming.eventShortName);
  const candidate = event?.firstTimerCandidate;
  if (!event || !candidate || candidate.id !== naming.id) return 'replaced';
  const direct = candidate.email !== undefined;
  const details = `${candidate.firstName}, ${candidate.whereToFind}`;
  return deps.mailer.send({
    idempotencyKey: `first-timer-confirm#${naming.id}`,
    kind: 'first-timers',
    to: candidate.email ?? candidate.namedBy.email,
    window: { audience: 'event-director', timeZone: event.timeZone },
    template: firstTimerConfirm,
    links: { confirm: { purpose: 'first-timer-volunteer', subject: event.shortName, role: 'first-timer-contact', detail: { contactId: candidate.id } } },
    view: (urls) => ({
      greeting: direct ? candidate.firstName : (candidate.namedBy.name.split(' ')[0] ?? candidate.namedBy.name),
      subject: direct ? `Will you be ${event.name}'s first-timer contact?` : `Pass this on to ${candidate.firstName}: first-timer contact at ${event.name}`,
      paragraphs: [
        direct
          ? `${candidate.namedBy.name} has named you as the person patients from local GP practices can ask for on their first morning at ${event.name}.`
          : `You named ${candidate.firstName} as first-timer contact at ${event.name}, without an email address. Please send ${candidate.firstName} the link below (by text or message): only they should confirm.`,
        `Practices would tell their patients: "Ask for ${details}."`,
        'Nothing is shared until you confirm. You can step down at any time from the same link, and your details are then removed.',
      ],
      action: { label: direct ? 'Confirm, or say no' : `${candidate.firstName}'s link to confirm`, url: urls.confirm ?? '' },
    }),
    reason: direct ? `You get this because an event director of ${event.name} named you as its first-timer contact.` : `You get this as an event director of ${event.name}.`,
    eventShortName: event.shortName,
  });
}

export interface VolunteerRequest {
  eventShortName: string;
  token: string;
}

export interface VolunteerAccess {
  event: ParkrunEvent;
  lookup: TokenLookup;
  /** Whether the holder is still to confirm, or is the confirmed contact. */
  as: 'candidate' | 'contact';
  details: FirstTimerCandidate | ConfirmedFirstTimerContact;
}

export interface VolunteerDeps {
  tokens: LinkTokens;
  events: EventDirectory;
  firstTimers: FirstTimerStore;
  /** To find the link a confirmation counts as contact on, and its next quiet check. */
  partnerships: PartnershipStore;
  nudgePolicy: NudgePolicy;
  clock: Clock;
}

/** The volunteer's link: for this event, and for the naming it was sent about; someone named since has the event's link, not them. */
export async function authoriseVolunteer(deps: VolunteerDeps, request: VolunteerRequest): Promise<VolunteerAccess> {
  const lookup = await deps.tokens.lookup(request.token, deps.clock.now());
  if (!lookup) throw new InvalidTokenError('unknown');
  const { grant } = lookup;
  const contactId = grant.detail?.contactId;
  if (grant.purpose !== 'first-timer-volunteer' || grant.subject !== request.eventShortName || grant.role !== 'first-timer-contact' || !contactId) {
    throw new InvalidTokenError('wrong-link');
  }
  const event = (await deps.events.getEvents([request.eventShortName], { consistent: true })).get(request.eventShortName);
  if (!event) throw new InvalidTokenError('wrong-link', {}, 'This event is no longer in our list.');
  const as = event.firstTimerCandidate?.id === contactId ? 'candidate' : event.firstTimerContact?.id === contactId ? 'contact' : undefined;
  if (!as) throw new InvalidTokenError('not-contact', {}, 'Someone else is the first-timer contact now, or this one stepped down, so this link does nothing any more.');
  if (lookup.state !== 'valid') throw new InvalidTokenError(lookup.state, { lookup, now: deps.clock.now() });
  return { event, lookup, as, details: as === 'candidate' ? event.firstTimerCandidate! : event.firstTimerContact! };
}

const touch = (access: VolunteerAccess, now: Date) => ({ ref: access.lookup.ref, purpose: 'first-timer-volunteer' as const, now });

export async function confirmFirstTimerContact(deps: VolunteerDeps, request: VolunteerRequest): Promise<VolunteerAccess> {
  const access = await authoriseVolunteer(deps, request);
  if (access.as === 'contact') return access; // confirmed already: a second tap changes nothing
  const now = deps.clock.now();
  const from = 'namedFrom' in access.details && access.details.namedFrom ? parseLinkId(access.details.namedFrom) : undefined;
  // Only a link of this event: the naming was made from one, and nothing else may be touched from here.
  const link = from && from.eventShortName === access.event.shortName ? await deps.partnerships.getLink(from.practiceCode, from.eventShortName) : undefined;
  await deps.firstTimers.confirm(access.event.shortName, access.details.id, now, touch(access, now), eventContactOn(link, 'first-timer-confirmed', access.details.id, now, deps.nudgePolicy));
  return access;
}

/** "Not me", or stepping down later: the details go at once. */
export async function standDownFirstTimerContact(deps: VolunteerDeps, request: VolunteerRequest): Promise<VolunteerAccess> {
  const access = await authoriseVolunteer(deps, request);
  const now = deps.clock.now();
  await deps.firstTimers.standDown(access.event.shortName, access.details.id, access.as, touch(access, now));
  return access;
}
