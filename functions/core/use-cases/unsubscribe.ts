/**
 * Stops email to an address, from the link in any email's footer or its one-click
 * List-Unsubscribe header. Looking at the link changes nothing (mail scanners open
 * links); only confirming does. Repeating the confirmation is harmless.
 */
import { InvalidTokenError } from '../errors.js';
import type { Clock, LinkTokens, OptOutStore, TokenGrant } from '../ports.js';

export interface UnsubscribeDeps {
  tokens: LinkTokens;
  optOuts: OptOutStore;
  clock: Clock;
}

export async function findUnsubscribeGrant(deps: UnsubscribeDeps, token: string): Promise<TokenGrant> {
  const grant = await deps.tokens.find(token, 'unsubscribe', deps.clock.now());
  if (!grant) throw new InvalidTokenError('This unsubscribe link is not valid or has expired.');
  return grant;
}

export async function unsubscribe(deps: UnsubscribeDeps, token: string, source: string): Promise<TokenGrant> {
  const grant = await findUnsubscribeGrant(deps, token);
  // One click stops all mail: the promise in DOMAIN.md is that every email can be
  // stopped. Choosing kinds to keep comes with the preferences page.
  await deps.optOuts.optOut(grant.recipient, 'all', deps.clock.now(), source);
  return grant;
}
