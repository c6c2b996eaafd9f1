/**
 * A hand-over is an offer until the successor accepts it from their own inbox: a link in
 * hand must not make anyone the contact of a partnership, nor mail them more than the
 * offer. Until they accept, the old contact stays, and their links keep working.
 *
 *   contact (magic link)  -> offers the role to a successor (link-actions.ts: handOver)
 *   hand-over watcher     -> asks the successor to accept (askSuccessor)
 *   successor (link)      -> GET shows the offer, changes nothing; POST accepts (acceptHandover)
 *   hand-over watcher     -> welcomes them with their own links (welcome-successor.ts)
 */
import { handoverOffer } from '../../../templates/handover-offer.js';
import { InvalidTokenError } from '../errors.js';
import type { Mailer, SendOutcome } from '../mailer.js';
import { linkId, type Handover, type LinkContext } from '../model.js';
import { audienceOf, ukTimeZone } from '../policies/quiet-hours.js';
import { addDays, type NudgePolicy } from '../policies/quiet-link-ladder.js';
import type { Clock, LinkTokens, PartnershipStore, TokenLookup } from '../ports.js';
import { isCurrentContact, loadLinkContext } from './token-access.js';

export interface HandoverAcceptanceDeps {
  partnerships: PartnershipStore;
  tokens: LinkTokens;
  clock: Clock;
  nudgePolicy: NudgePolicy;
}

const roleIn = (handover: Handover, context: LinkContext) =>
  handover.role === 'champion' ? `the parkrun practice contact for ${context.practice.name}` : `an event director of ${context.event.name}`;

/** The watcher's half: the successor is asked to accept, by a link only they hold. */
export async function askSuccessor(deps: Pick<HandoverAcceptanceDeps, 'partnerships'> & { mailer: Mailer }, handover: Handover): Promise<SendOutcome | 'gone'> {
  const context = await loadLinkContext(deps, linkId(handover.practiceCode, handover.eventShortName));
  if (!context || handover.status !== 'offered') return 'gone';
  const subject = linkId(handover.practiceCode, handover.eventShortName);
  return deps.mailer.send({
    idempotencyKey: `handover-offer#${handover.id}`,
    kind: 'introductions',
    to: handover.to.email,
    window: { audience: audienceOf(handover.role), timeZone: context.event.timeZone ?? ukTimeZone },
    template: handoverOffer,
    links: { accept: { purpose: 'handover-accept', subject, role: handover.role, detail: { handoverId: handover.id } } },
    view: (urls) => ({ successorName: handover.to.name, fromName: handover.from.name, roleDescription: roleIn(handover, context), acceptUrl: urls.accept ?? '' }),
    reason: `You get this because ${handover.from.name} named you as their successor.`,
    practiceCode: handover.practiceCode,
    eventShortName: handover.eventShortName,
  });
}

export interface HandoverAccess {
  handover: Handover;
  context: LinkContext;
  lookup: TokenLookup;
  roleDescription: string;
}

/** Checks the successor's link and loads the offer; changes nothing (mail scanners open links). */
export async function openHandover(deps: HandoverAcceptanceDeps, request: { linkId: string; token: string }): Promise<HandoverAccess> {
  const lookup = await deps.tokens.lookup(request.token, deps.clock.now());
  if (!lookup) throw new InvalidTokenError('unknown');
  const { grant } = lookup;
  const handoverId = grant.detail?.handoverId;
  if (grant.purpose !== 'handover-accept' || grant.subject !== request.linkId || !handoverId) throw new InvalidTokenError('wrong-link');
  const [handover, context] = await Promise.all([deps.partnerships.getHandover(handoverId), loadLinkContext(deps, grant.subject)]);
  if (!handover || !context || handover.to.email.toLowerCase() !== grant.recipient.toLowerCase()) throw new InvalidTokenError('wrong-link', {}, 'This hand-over no longer exists.');
  if (handover.status === 'accepted') throw new InvalidTokenError('used', {}, 'You have accepted this hand-over already: your welcome email has your links.');
  // The one who offered must still hold the role: someone else may have taken it meanwhile.
  if (!isCurrentContact(context, handover.role, handover.from.email)) throw new InvalidTokenError('not-contact', {}, 'Someone else has taken on this role since it was offered to you, so this link does nothing.');
  if (lookup.state === 'expired') throw new InvalidTokenError('expired', {}, `This link has expired, so nothing was handed over: ask ${handover.from.name} to hand over again if you would still like to.`);
  if (lookup.state !== 'valid') throw new InvalidTokenError(lookup.state);
  return { handover, context, lookup, roleDescription: roleIn(handover, context) };
}

/** The successor accepts: they are the contact from now on, and the welcome follows from the stream. */
export async function acceptHandover(deps: HandoverAcceptanceDeps, request: { linkId: string; token: string }): Promise<HandoverAccess> {
  const access = await openHandover(deps, request);
  const now = deps.clock.now();
  await deps.partnerships.acceptHandover(access.handover, now, { ref: access.lookup.ref, purpose: 'handover-accept', now });
  if (access.handover.role === 'champion') {
    // A new champion for a practice whose old address bounced: its links come back to life.
    for (const link of await deps.partnerships.linksOfPractice(access.handover.practiceCode)) {
      if (link.status === 'contact-lost') await deps.partnerships.restoreContact(link, addDays(now, deps.nudgePolicy.quietAfterDays));
    }
  }
  return access;
}
