/**
 * Who may do what with a magic link. Every page and every POST goes through here, so the
 * rules hold everywhere: the token must exist, be for this action and this link, be
 * unused and unexpired, and its holder must still be the contact it was sent to.
 */
import { InvalidTokenError } from '../errors.js';
import { eventContacts, parseLinkId, type ContactRole, type LinkContext } from '../model.js';
import { answerRoles, type AnswerPurpose } from '../magic-links.js';
import type { NudgePolicy } from '../policies/quiet-link-ladder.js';
import type { Clock, EventDirectory, LinkTokens, PartnershipStore, TokenGrant, TokenLookup } from '../ports.js';

export interface TokenAccessDeps {
  nudgePolicy: NudgePolicy;
  tokens: LinkTokens;
  partnerships: PartnershipStore;
  events: EventDirectory;
  clock: Clock;
}

export interface AnswerAccess extends LinkContext {
  lookup: TokenLookup;
  grant: TokenGrant & { role: ContactRole };
}

export async function loadLinkContext(deps: Pick<TokenAccessDeps, 'partnerships'>, id: string): Promise<LinkContext | undefined> {
  const ref = parseLinkId(id);
  if (!ref) return undefined;
  const { link, practice, event } = await deps.partnerships.getLinkContext(ref.practiceCode, ref.eventShortName);
  return link && practice && event ? { link, practice, event } : undefined;
}

/** True while the address is still the practice's champion, or one of the event's directors (or its team address while none is named). */
export function isCurrentContact(context: Pick<LinkContext, 'practice' | 'event'>, role: ContactRole, email: string): boolean {
  const address = email.toLowerCase();
  return role === 'champion'
    ? context.practice.champion.email.toLowerCase() === address
    : eventContacts(context.event).some((d) => d.email.toLowerCase() === address);
}

/**
 * Checks a token for an answer page and loads what the page shows. Throws
 * InvalidTokenError naming the problem; `lookup` and `context` ride along when known, so
 * the page can offer a fresh link and show the link as it stands now.
 */
export async function authoriseAnswer(deps: TokenAccessDeps, request: { linkId: string; purpose: AnswerPurpose; token: string }): Promise<AnswerAccess> {
  const lookup = await deps.tokens.lookup(request.token, deps.clock.now());
  if (!lookup) throw new InvalidTokenError('unknown');
  const { grant } = lookup;
  const role = grant.role as ContactRole | undefined;
  if (grant.purpose !== request.purpose || grant.subject !== request.linkId || !role || !answerRoles[request.purpose].includes(role)) {
    throw new InvalidTokenError('wrong-link');
  }
  const context = await loadLinkContext(deps, grant.subject);
  if (!context) throw new InvalidTokenError('wrong-link', {}, 'This link no longer exists.');
  // Someone who has handed over learns nothing more about the link from their old email.
  if (!isCurrentContact(context, role, grant.recipient)) throw new InvalidTokenError('not-contact');
  if (lookup.state !== 'valid') throw new InvalidTokenError(lookup.state, { lookup, context, now: deps.clock.now() });
  return { ...context, lookup, grant: grant as AnswerAccess['grant'] };
}
