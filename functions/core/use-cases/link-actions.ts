/**
 * The four answers a champion or event director gives from an email: we're in touch,
 * activities, pause, hand over. Each POST re-checks the token (authoriseAnswer), then
 * applies its change and spends the token in one transaction, so a double click or two
 * racing requests apply once, and a GET (a mail scanner) never changes anything.
 */
import { randomUUID } from 'node:crypto';
import type { AnswerPurpose } from '../magic-links.js';
import { eventContacts, sideOf, type Link, type ActivityKey, type ActivityRecord, type ActivityStatus, type Handover } from '../model.js';
import { isoDayOf } from '../policies/event-dates.js';
import { nextCheck, type NudgePolicy } from '../policies/quiet-link-ladder.js';
import type { InTouchInput, PauseMonths, SuccessorInput } from '../policies/link-action-input.js';
import type { TokenSpend } from '../ports.js';
import { authoriseAnswer, type AnswerAccess, type TokenAccessDeps } from './token-access.js';
import { enforceLimits, type LimitDeps } from './abuse-limits.js';

export interface AnswerRequest {
  linkId: string;
  token: string;
  /** Where the request came from, for the limits on what it can make us send (api/source-address.ts). */
  source?: string;
}

function spendOf(access: AnswerAccess, now: Date): TokenSpend {
  return { ref: access.lookup.ref, purpose: access.grant.purpose, now };
}

const refOf = (access: AnswerAccess) => ({ practiceCode: access.practice.code, eventShortName: access.event.shortName });

/** The day in the event's time zone, for "today" on the page and for date limits. */
export const todayFor = (access: Pick<AnswerAccess, 'event'>, now: Date): string => isoDayOf(now, access.event.timeZone);

export function openAnswer(deps: TokenAccessDeps, request: AnswerRequest & { purpose: AnswerPurpose }): Promise<AnswerAccess> {
  return authoriseAnswer(deps, request);
}

/**
 * When a reported contact happened, whether it is newer than the last one, and the link's
 * next quiet check: shared by "we're in touch" and head office logging a contact.
 */
export function contactTiming(link: Link, contactedOn: string | undefined, today: string, now: Date, policy: NudgePolicy) {
  // A past day counts from midday, so the day reads the same in any UK time zone offset.
  const at = contactedOn && contactedOn !== today ? new Date(`${contactedOn}T12:00:00Z`) : now;
  const last = link.lastContactAt ? new Date(link.lastContactAt) : undefined;
  const moveLastContact = !last || at > last;
  // A newer contact resets the ladder: the next quiet check counts from it.
  const after = { ...link, status: 'active' as const, ...(moveLastContact ? { lastContactAt: at.toISOString() } : {}) };
  const dueAt = nextCheck(after, moveLastContact ? { rung: 0 } : (link.ladder ?? { rung: 0 }), policy) ?? now;
  return { at, moveLastContact, dueAt };
}

export async function recordInTouch(deps: TokenAccessDeps, request: AnswerRequest, input: InTouchInput): Promise<AnswerAccess> {
  const access = await authoriseAnswer(deps, { ...request, purpose: 'in-touch' });
  const now = deps.clock.now();
  const { at, moveLastContact, dueAt } = contactTiming(access.link, input.contactedOn, todayFor(access, now), now, deps.nudgePolicy);
  await deps.partnerships.recordContact(
    refOf(access),
    { at, by: sideOf(access.grant.role), ...(input.how ? { how: input.how } : {}), moveLastContact, recordedAt: now },
    spendOf(access, now),
    dueAt,
  );
  return access;
}

export async function setLinkActivities(
  deps: TokenAccessDeps,
  request: AnswerRequest,
  answers: Partial<Record<ActivityKey, ActivityStatus>>,
): Promise<AnswerAccess> {
  const access = await authoriseAnswer(deps, { ...request, purpose: 'activities' });
  const now = deps.clock.now();
  const by = sideOf(access.grant.role);
  const updates: Partial<Record<ActivityKey, ActivityRecord>> = {};
  for (const [key, status] of Object.entries(answers) as Array<[ActivityKey, ActivityStatus]>) {
    updates[key] = { status, updatedAt: now.toISOString(), updatedBy: by };
  }
  await deps.partnerships.setActivities(refOf(access), updates, by, spendOf(access, now));
  return access;
}

/** Pausing runs from the end of any pause already in place, so a second pause extends it. */
export function pauseUntil(now: Date, months: PauseMonths, current?: string): Date {
  const from = current && new Date(current) > now ? new Date(current) : now;
  const until = new Date(from);
  // Calendar months, kept inside the target month: 31 January plus one month is 28 (or 29) February, not 3 March.
  const day = until.getUTCDate();
  until.setUTCDate(1);
  until.setUTCMonth(until.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(until.getUTCFullYear(), until.getUTCMonth() + 1, 0)).getUTCDate();
  until.setUTCDate(Math.min(day, lastDay));
  return until;
}

export async function pauseLink(deps: TokenAccessDeps, request: AnswerRequest, months: PauseMonths): Promise<{ access: AnswerAccess; until: Date }> {
  const access = await authoriseAnswer(deps, { ...request, purpose: 'pause' });
  const now = deps.clock.now();
  const until = pauseUntil(now, months, access.link.pausedUntil);
  const dueAt = nextCheck({ ...access.link, pausedUntil: until.toISOString() }, access.link.ladder ?? { rung: 0 }, deps.nudgePolicy) ?? until;
  await deps.partnerships.pause(refOf(access), until, sideOf(access.grant.role), spendOf(access, now), dueAt);
  return { access, until };
}

export async function handOver(deps: TokenAccessDeps & LimitDeps, request: AnswerRequest, successor: SuccessorInput): Promise<{ access: AnswerAccess; handover: Handover }> {
  const access = await authoriseAnswer(deps, { ...request, purpose: 'hand-over' });
  // The successor is mailed: a link in hand must not become a way to mail anyone, often.
  await enforceLimits(deps, 'hand-over', { ...(request.source ? { source: request.source } : {}), recipients: [successor.email] });
  const now = deps.clock.now();
  const { role, recipient } = access.grant;
  // The contact as stored, not as the token spelt the address (the two match without regard
  // to case): accepting the hand-over checks the stored address is unchanged.
  const director = role === 'champion' ? undefined : eventContacts(access.event).find((d) => d.email.toLowerCase() === recipient.toLowerCase());
  const from = role === 'champion' ? access.practice.champion : { name: director?.name ?? recipient, email: director?.email ?? recipient };
  const handover: Handover = {
    id: randomUUID(),
    ...refOf(access),
    role,
    from: { name: from.name, email: from.email },
    to: successor,
    at: now.toISOString(),
  };
  // Offered only: the successor accepts from their own email (handover-acceptance.ts), and the contact stays as it is until they do.
  await deps.partnerships.offerHandover(handover, spendOf(access, now));
  return { access, handover };
}

