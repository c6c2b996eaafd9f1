/**
 * The answers to a fixed takeover, from the countdown emails: how many roles are filled,
 * a move or a cancel before the day, and how it went after it. Each is a magic-link
 * answer (token-access.ts); moving the day is contact, cancelling only frees the ladder.
 */
import { ConflictError, ValidationError } from '../errors.js';
import { isoDayOf } from '../policies/event-dates.js';
import { sideOf, type Takeover } from '../model.js';
import { jointContact, takeoverOff } from '../policies/joint-contact.js';
import { addDays } from '../policies/quiet-link-ladder.js';
import { dateProblem, offerableDates, takeoverPolicy } from '../policies/takeover-dates.js';
import type { AnswerRequest } from './link-actions.js';
import { takeoverFor, type TakeoverDeps } from './takeover-planning.js';
import { authoriseAnswer, type AnswerAccess } from './token-access.js';

export const rolesFilledAnswers = { all: 'All roles are filled', most: 'Most are filled', some: 'Some are filled', none: 'None yet' } as const;

export async function openRoles(deps: TakeoverDeps, request: AnswerRequest): Promise<{ access: AnswerAccess; takeover: Takeover }> {
  const access = await authoriseAnswer(deps, { ...request, purpose: 'takeover-roles' });
  return { access, takeover: await takeoverFor(deps, access, 'fixed') };
}

export async function recordRolesFilled(deps: TakeoverDeps, request: AnswerRequest, filled: string): Promise<{ access: AnswerAccess; takeover: Takeover }> {
  if (!Object.hasOwn(rolesFilledAnswers, filled)) throw new ValidationError({ filled: 'Choose one of the answers' });
  const { access, takeover } = await openRoles(deps, request);
  await deps.takeovers.recordRoles(takeover, filled as keyof typeof rolesFilledAnswers, deps.clock.now(), { ref: access.lookup.ref, purpose: 'takeover-roles', now: deps.clock.now() });
  return { access, takeover };
}

/** Days a fixed takeover may move to: the event's coming days, from next week to 16 weeks ahead, not near another practice's. */
export async function openChange(deps: TakeoverDeps, request: AnswerRequest): Promise<{ access: AnswerAccess; takeover: Takeover; moveTo: string[] }> {
  const access = await authoriseAnswer(deps, { ...request, purpose: 'takeover-change' });
  const takeover = await takeoverFor(deps, access, 'fixed');
  if (takeover.date! <= isoDayOf(deps.clock.now(), access.event.timeZone)) {
    throw new ConflictError('The takeover day has come: it can no longer be moved or cancelled. Tell us how it went from the email after the day.');
  }
  // Its own day is not another practice's: it blocks nothing around itself.
  const taken = (await deps.takeovers.takenDates(access.event.shortName)).filter((d) => d !== takeover.date);
  const moveTo = offerableDates(deps.clock.now(), access.event, taken, 1).filter((d) => d !== takeover.date);
  return { access, takeover, moveTo };
}

export async function moveTakeover(deps: TakeoverDeps, request: AnswerRequest, date: string): Promise<{ access: AnswerAccess; takeover: Takeover }> {
  const { access, takeover, moveTo } = await openChange(deps, request);
  const problem = dateProblem(date, moveTo);
  if (problem) throw new ValidationError({ date: problem });
  const now = deps.clock.now();
  // Moving the day is either side keeping the plan alive: contact, and the ladder held until the new day.
  const contact = jointContact(access.link, { by: sideOf(access.grant.role), via: 'takeover-moved', takeoverUntil: date, detail: { takeoverId: takeover.id, date } }, now, deps.nudgePolicy);
  await deps.takeovers.move(takeover, date, now, { ref: access.lookup.ref, purpose: 'takeover-change', now }, contact);
  return { access, takeover: { ...takeover, date, previousDate: takeover.date } };
}

export async function cancelTakeover(deps: TakeoverDeps, request: AnswerRequest): Promise<{ access: AnswerAccess; takeover: Takeover }> {
  const { access, takeover } = await openChange(deps, request);
  const now = deps.clock.now();
  // Not contact (docs/contact.md): the day just stops holding the link's ladder.
  await deps.takeovers.cancel(takeover, now, { ref: access.lookup.ref, purpose: 'takeover-change', now }, addDays(now, takeoverPolicy.promptEveryDays), takeoverOff(access.link, deps.nudgePolicy));
  return { access, takeover };
}

export interface TakeoverOutcomeInput {
  happened: boolean;
  staffVolunteered: number;
  wouldDoAgain: boolean;
}

export async function openOutcome(deps: TakeoverDeps, request: AnswerRequest): Promise<{ access: AnswerAccess; takeover: Takeover }> {
  const access = await authoriseAnswer(deps, { ...request, purpose: 'takeover-outcome' });
  return { access, takeover: await takeoverFor(deps, access, 'fixed') };
}

/** How it went: a takeover that happened is the link's "volunteer takeover" activity done, and counts as contact. */
export async function recordTakeoverOutcome(deps: TakeoverDeps, request: AnswerRequest, input: TakeoverOutcomeInput): Promise<{ access: AnswerAccess; takeover: Takeover }> {
  const { access, takeover } = await openOutcome(deps, request);
  const now = deps.clock.now();
  const by = sideOf(access.grant.role);
  // Either way the takeover comes off the link. Done, it is contact; not done, or on a link
  // ended since (the answer still counts for head office), it is not, and revives nothing.
  const link =
    input.happened && access.link.status !== 'ended'
      ? {
          contact: jointContact(
            access.link,
            {
              by,
              via: 'takeover-done',
              takeoverUntil: null,
              activities: { ...access.link.activities, 'volunteer-takeover': { status: 'done', updatedAt: now.toISOString(), updatedBy: by } },
              detail: { takeoverId: takeover.id, ...(takeover.date ? { date: takeover.date } : {}) },
            },
            now,
            deps.nudgePolicy,
          ),
        }
      : { off: takeoverOff(access.link, deps.nudgePolicy) };
  await deps.takeovers.recordOutcome(
    takeover,
    { ...input, by },
    now,
    { ref: access.lookup.ref, purpose: 'takeover-outcome', now },
    addDays(now, input.happened ? takeoverPolicy.quietAfterTakeoverDays : takeoverPolicy.promptEveryDays),
    link,
  );
  return { access, takeover };
}

