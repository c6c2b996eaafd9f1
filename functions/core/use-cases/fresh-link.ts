/**
 * "Send me a new link": offered on the page of an expired or used link. The new link
 * goes only to the address the old one was sent to, for the same action, and only while
 * that person is still the contact. Limited per address, so the button cannot be used to
 * flood someone's inbox.
 *
 * The API only records the request; the fresh-link watcher sends it from the stream. So
 * the public API holds no permission to send mail, and a link's address comes from
 * configuration, never from a request's Host header (which an attacker could set).
 */
import { randomUUID } from 'node:crypto';
import { freshLink } from '../../../templates/fresh-link.js';
import { headOfficeSignIn } from '../../../templates/head-office-sign-in.js';
import { InvalidTokenError } from '../errors.js';
import { enforceLimits, type LimitDeps } from './abuse-limits.js';
import { linkTerms, type AnswerLinkSpec, type AnswerPurpose, type ConfirmPurpose, type ReplyPurpose, type SignInPurpose, type VolunteerPurpose } from '../magic-links.js';
import type { Mailer, SendOutcome } from '../mailer.js';
import type { FreshLinkRequest } from '../model.js';
import type { FreshLinkRequests, HeadOfficeAllowlist, OptOutStore, RateLimiter } from '../ports.js';
import { isCurrentContact, loadLinkContext, type TokenAccessDeps } from './token-access.js';

export interface RequestFreshLinkDeps extends TokenAccessDeps, LimitDeps {
  rateLimiter: RateLimiter;
  freshLinkRequests: FreshLinkRequests;
  optOuts: OptOutStore;
}

export const actionLabels: Record<AnswerPurpose | VolunteerPurpose | SignInPurpose | ConfirmPurpose | ReplyPurpose | 'unsubscribe', string> = {
  'in-touch': "Tell us you're in touch",
  activities: 'Record what you have done or planned',
  pause: 'Pause reminders',
  'hand-over': 'Hand over to a colleague',
  'takeover-propose': 'Choose Saturdays for a takeover',
  'takeover-not-this-year': 'No takeover this year',
  'takeover-accept': 'Answer a takeover offer',
  'takeover-outcome': 'Tell us how the takeover went',
  'takeover-roles': 'Tell us how many takeover roles are filled',
  'takeover-change': 'Move or cancel the takeover',
  'event-unavailable': 'Mark Saturdays your event cannot host',
  feedback: 'Tell us how the month went',
  newcomers: 'Tell the event team patients are coming',
  'first-timer-contact': 'Name your first-timer contact',
  'first-timer-volunteer': 'Confirm or step down as first-timer contact',
  'head-office-sign-in': 'Sign in to the head-office dashboard',
  'registration-confirm': 'Confirm your parkrun practice registration',
  'handover-accept': 'Accept the hand-over',
  partnership: 'See your partnership',
  unsubscribe: 'Choose which emails you get',
  reply: 'Reply by email',
};

/** Checks the old link and the limit, and records the request; returns the address it will go to. */
export async function requestFreshLink(deps: RequestFreshLinkDeps, token: string, from: { source?: string } = {}): Promise<{ sentTo: string }> {
  const now = deps.clock.now();
  const lookup = await deps.tokens.lookup(token, now);
  if (!lookup) throw new InvalidTokenError('unknown');
  const { grant } = lookup;
  let about: string | undefined;
  // A sign-in link is asked for again on the sign-in page, where the allow-list is checked.
  if (grant.purpose === 'head-office-sign-in') throw new InvalidTokenError('wrong-link', {}, 'Sign-in links are not renewed here: ask for a new one on the sign-in page.');
  // A reply address is no link: a newer email about the partnership carries a fresh one.
  if (grant.purpose === 'reply') throw new InvalidTokenError('wrong-link', {}, 'This is not a link: reply to a newer email instead.');
  // A registration lasts as long as its confirmation link: past it, the practice registers again.
  if (grant.purpose === 'registration-confirm') throw new InvalidTokenError('wrong-link', {}, 'Confirmation links are not renewed: register again if you still want to.');
  // An offer to a successor lasts as long as its link: past it, the contact hands over again.
  if (grant.purpose === 'handover-accept') throw new InvalidTokenError('wrong-link', {}, 'Hand-over links are not renewed: ask your colleague to hand over again.');
  // An unsubscribe link lasts 400 days and is reusable: it is for stopping mail, never for asking for more.
  if (grant.purpose === 'unsubscribe') throw new InvalidTokenError('wrong-link', {}, 'Links to stop emails are not renewed: this one still works for choosing which emails you get.');
  if (grant.purpose === 'first-timer-volunteer') {
    // Only while the naming the link was sent about still stands.
    const event = (await deps.events.getEvents([grant.subject])).get(grant.subject);
    const id = grant.detail?.contactId;
    if (!event || !id || (event.firstTimerCandidate?.id !== id && event.firstTimerContact?.id !== id)) throw new InvalidTokenError('not-contact');
    about = `${event.name}, first-timer contact`;
  } else {
    const context = await loadLinkContext(deps, grant.subject);
    if (!context || (grant.role !== 'champion' && grant.role !== 'event-director')) throw new InvalidTokenError('wrong-link', {}, 'This link no longer exists.');
    if (!isCurrentContact(context, grant.role, grant.recipient)) throw new InvalidTokenError('not-contact');
    about = `${context.practice.name} and ${context.event.name}`;
  }
  await enforceLimits(deps, 'fresh-link', { ...(from.source ? { source: from.source } : {}), recipients: [grant.recipient] });
  // An address that has stopped all our email gets none, not even a link it seems to ask for:
  // the old link may be in someone else's hands. The page says the same either way.
  if ((await deps.optOuts.getPreferences(grant.recipient)).stopped.includes('all') || (await deps.optOuts.isSuppressed(grant.recipient))) return { sentTo: grant.recipient };
  await deps.freshLinkRequests.record({
    id: randomUUID(),
    purpose: grant.purpose,
    ...(grant.detail ? { detail: grant.detail } : {}),
    subject: grant.subject,
    recipient: grant.recipient,
    ...(grant.role ? { role: grant.role } : {}),
    ...(about ? { about } : {}),
    requestedAt: now.toISOString(),
  });
  return { sentTo: grant.recipient };
}

/**
 * The watcher's half: mails the new link, once per request. A sign-in link goes only to an
 * address on the head-office list: the API records every request alike, and this is where
 * the list is checked.
 */
export async function sendFreshLink(deps: { mailer: Mailer; allowlist: HeadOfficeAllowlist }, request: FreshLinkRequest): Promise<SendOutcome | 'not-allowed'> {
  if (request.purpose === 'head-office-sign-in' && !(await deps.allowlist.includes(request.recipient))) return 'not-allowed';
  const answer: AnswerLinkSpec | undefined =
    request.purpose !== 'unsubscribe' && request.purpose !== 'reply' && request.role
      ? { purpose: request.purpose, subject: request.subject, role: request.role, ...(request.detail ? { detail: request.detail } : {}) }
      : undefined;
  if (answer?.purpose === 'head-office-sign-in') {
    return deps.mailer.send({
      idempotencyKey: `fresh-link#${request.id}`,
      kind: 'requested',
      to: request.recipient,
      template: headOfficeSignIn,
      links: { signIn: answer },
      view: (urls) => ({ signInUrl: urls.signIn ?? '', ...linkTerms(answer) }),
      reason: 'You get this because you asked to sign in to the head-office dashboard.',
    });
  }
  return deps.mailer.send({
    idempotencyKey: `fresh-link#${request.id}`,
    kind: 'requested',
    to: request.recipient,
    template: freshLink,
    ...(answer ? { links: { action: answer } } : {}),
    view: (urls) => ({
      actionLabel: actionLabels[request.purpose],
      ...(request.about ? { about: request.about } : {}),
      ...(urls.action && answer ? { actionUrl: urls.action, ...linkTerms(answer) } : {}),
    }),
    reason: 'You get this because someone asked for a new link for this address on our website.',
  });
}
