/**
 * Head-office sign-in. An allow-listed address asks for a link; the fresh-link watcher
 * mails it (the API cannot send mail); the link works once, for 15 minutes; using it
 * starts an 8-hour session. Champions' and directors' links can never start one: the
 * token must be a sign-in token, for an address still on the list.
 */
import { randomUUID } from 'node:crypto';
import * as z from '../zod.js';
import { InvalidTokenError, ValidationError } from '../errors.js';
import type { Clock, FreshLinkRequests, HeadOfficeAllowlist, HeadOfficeSession, LinkTokens, RateLimiter, SessionStore } from '../ports.js';
import { enforceLimits, type LimitDeps } from './abuse-limits.js';
import { formatLifetime, signInLinkMinutes } from '../magic-links.js';

export const sessionHours = 8;

export interface HeadOfficeAccessDeps {
  allowlist: HeadOfficeAllowlist;
  tokens: LinkTokens;
  sessions: SessionStore;
  rateLimiter: RateLimiter;
  freshLinkRequests: FreshLinkRequests;
  clock: Clock;
}

const address = z.object({
  email: z.pipe(
    z.string({ error: 'Enter your email address' }).check(z.trim(), z.toLowerCase()),
    z.email('Enter a valid email address').check(z.maxLength(254)),
  ),
});

/**
 * Records a sign-in request for the fresh-link watcher, which mails a link only if the
 * address may sign in. Every address takes the very same path here (the limit, then the
 * request), and the answer is the same, so neither the page nor its timing tells anyone
 * who is on the list.
 */
export async function requestSignIn(deps: Omit<HeadOfficeAccessDeps, 'allowlist'> & LimitDeps, input: Record<string, unknown>, from: { source?: string } = {}): Promise<void> {
  const parsed = address.safeParse(input);
  if (!parsed.success) throw new ValidationError({ email: parsed.error.issues[0]?.message ?? 'Enter a valid email address' });
  const { email } = parsed.data;
  const now = deps.clock.now();
  await enforceLimits(deps, 'sign-in', { ...(from.source ? { source: from.source } : {}), recipients: [email] });
  await deps.freshLinkRequests.record({ id: randomUUID(), purpose: 'head-office-sign-in', subject: email, recipient: email, role: 'head-office', requestedAt: now.toISOString() });
}

/** The sign-in page behind the link: checks the token and changes nothing (mail scanners open links). */
export async function openSignIn(deps: HeadOfficeAccessDeps, token: string) {
  const lookup = await deps.tokens.lookup(token, deps.clock.now());
  if (!lookup || lookup.grant.purpose !== 'head-office-sign-in' || lookup.grant.role !== 'head-office') throw new InvalidTokenError(lookup ? 'wrong-link' : 'unknown');
  if (!(await deps.allowlist.includes(lookup.grant.recipient))) throw new InvalidTokenError('not-contact', {}, 'This address may no longer sign in to the head-office dashboard.');
  if (lookup.state !== 'valid') throw new InvalidTokenError(lookup.state, {}, lookup.state === 'used' ? 'Each sign-in link works once.' : `Sign-in links work for ${formatLifetime(signInLinkMinutes)}.`);
  return { email: lookup.grant.recipient, lookup };
}

/** Spends the link and starts the session in one write; returns the cookie value. */
export async function signIn(deps: HeadOfficeAccessDeps, token: string): Promise<{ cookie: string; session: HeadOfficeSession }> {
  const { email, lookup } = await openSignIn(deps, token);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + sessionHours * 3_600_000);
  const cookie = await deps.sessions.start(email, now, expiresAt, { ref: lookup.ref, purpose: 'head-office-sign-in', now });
  return { cookie, session: { email, startedAt: now.toISOString(), expiresAt: expiresAt.toISOString() } };
}

/** The session a request's cookie names, while it lasts and its address is still on the list. */
export async function currentSession(deps: HeadOfficeAccessDeps, cookie: string | undefined): Promise<HeadOfficeSession | undefined> {
  if (!cookie) return undefined;
  const session = await deps.sessions.find(cookie, deps.clock.now());
  if (!session || !(await deps.allowlist.includes(session.email))) return undefined;
  return session;
}

export async function signOut(deps: HeadOfficeAccessDeps, cookie: string | undefined): Promise<void> {
  if (cookie) await deps.sessions.end(cookie);
}
