/**
 * Which kinds of email a person gets. The footer link opens a page to choose; the
 * List-Unsubscribe header's one-click POST stops everything. Both update the token in the
 * same transaction as the preferences, and the token stays usable, so a person can change
 * their mind from the same email.
 */
import { InvalidTokenError } from '../errors.js';
import { emailKinds, type EmailKind, type OptOutScope } from '../model.js';
import type { Clock, EmailPreferences, LinkTokens, OptOutStore, TokenLookup } from '../ports.js';

export interface PreferencesDeps {
  tokens: LinkTokens;
  optOuts: OptOutStore;
  clock: Clock;
}

async function authorise(deps: PreferencesDeps, token: string): Promise<TokenLookup> {
  const lookup = await deps.tokens.lookup(token, deps.clock.now());
  if (!lookup) throw new InvalidTokenError('unknown');
  if (lookup.grant.purpose !== 'unsubscribe') throw new InvalidTokenError('wrong-link');
  if (lookup.state === 'expired') throw new InvalidTokenError('expired', { lookup });
  return lookup;
}

export async function openPreferences(deps: PreferencesDeps, token: string): Promise<{ email: string; preferences: EmailPreferences }> {
  const lookup = await authorise(deps, token);
  return { email: lookup.grant.recipient, preferences: await deps.optOuts.getPreferences(lookup.grant.recipient) };
}

/** Keeps the ticked kinds and stops the rest; keeping none stops everything. */
export async function savePreferences(deps: PreferencesDeps, token: string, keep: EmailKind[]): Promise<{ email: string; stopped: OptOutScope[] }> {
  const lookup = await authorise(deps, token);
  const allKinds = Object.keys(emailKinds) as EmailKind[];
  const stopped: OptOutScope[] = keep.length === 0 ? ['all'] : allKinds.filter((k) => !keep.includes(k));
  const now = deps.clock.now();
  await deps.optOuts.setPreferences(lookup.grant.recipient, stopped, now, 'preferences-page', { ref: lookup.ref, purpose: 'unsubscribe', now });
  return { email: lookup.grant.recipient, stopped };
}

export async function unsubscribeAll(deps: PreferencesDeps, token: string, source: 'one-click' | 'unsubscribe-page'): Promise<{ email: string }> {
  const lookup = await authorise(deps, token);
  const now = deps.clock.now();
  await deps.optOuts.setPreferences(lookup.grant.recipient, ['all'], now, source, { ref: lookup.ref, purpose: 'unsubscribe', now });
  return { email: lookup.grant.recipient };
}
