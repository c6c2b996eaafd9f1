/**
 * Anything that shows the two sides are working together counts as contact (docs/contact.md):
 * not only "we're in touch", but a takeover offered, fixed, moved or looked back on,
 * newcomers planned, a first-timer contact named or confirmed, a feedback answer. Pure: the
 * link as read, the action and the time in; what the action's own transaction writes on the
 * link out. The use case computes it, the store writes it with the action, all or nothing,
 * so the contact cannot be lost while the action stands.
 */
import type { ActivityKey, ActivityRecord, Link, Side } from '../model.js';
import { nextCheck, type NudgePolicy } from './quiet-link-ladder.js';

/** The actions that count as contact without a "we're in touch", as the link's history names them (`via`). */
export const jointActions = {
  feedback: 'attendance feedback',
  'takeover-offered': 'takeover offered',
  'takeover-fixed': 'takeover day fixed',
  'takeover-moved': 'takeover moved',
  'takeover-done': 'takeover looked back on',
  'newcomers-planned': 'newcomers planned',
  'first-timer-named': 'first-timer contact named',
  'first-timer-confirmed': 'first-timer contact confirmed',
} as const;
export type JointAction = keyof typeof jointActions;

type LinkRef = Pick<Link, 'practiceCode' | 'eventShortName'>;

/** Contact recorded on a link by a joint action, in the action's own transaction. */
export interface JointContact {
  link: LinkRef;
  by: Side;
  via: JointAction;
  at: Date;
  /** The link's next quiet check: on rung 0, counted from this contact (or from a takeover day ahead). */
  dueAt: Date;
  /** A takeover day to put on the link (Link.takeoverUntil), or `null` to take it off; absent leaves it as it is. */
  takeoverUntil?: string | null;
  /** The link's activities as they are to be (a takeover done is its "volunteer takeover" activity done). */
  activities?: Partial<Record<ActivityKey, ActivityRecord>>;
  /** What else the history entry says (which takeover, which day): ids and days only, never a person. */
  detail?: Record<string, string>;
}

/**
 * A takeover off the link without contact (an offer declined or expired, a takeover cancelled
 * or that did not happen): its day no longer holds the ladder, so the next quiet check is
 * counted again from the link's last contact, on its rung. `dueAt` absent: the ladder will
 * not look at the link again (ended, contact lost).
 */
export interface TakeoverOff {
  link: LinkRef;
  dueAt?: Date;
}

/** The contact a joint action records on `link`, read before the action, at `now`. */
export function jointContact(
  link: Link,
  action: { by: Side; via: JointAction; takeoverUntil?: string | null; activities?: JointContact['activities']; detail?: Record<string, string> },
  now: Date,
  policy: NudgePolicy,
): JointContact {
  const { takeoverUntil: _previous, ...rest } = link;
  const takeoverUntil = action.takeoverUntil === undefined ? link.takeoverUntil : (action.takeoverUntil ?? undefined);
  const after: Link = { ...rest, status: 'active', lastContactAt: now.toISOString(), lastContactBy: action.by, ladder: { rung: 0 }, ...(takeoverUntil ? { takeoverUntil } : {}) };
  return {
    link: { practiceCode: link.practiceCode, eventShortName: link.eventShortName },
    by: action.by,
    via: action.via,
    at: now,
    dueAt: nextCheck(after, { rung: 0 }, policy) ?? now,
    ...(action.takeoverUntil !== undefined ? { takeoverUntil: action.takeoverUntil } : {}),
    ...(action.activities ? { activities: action.activities } : {}),
    ...(action.detail ? { detail: action.detail } : {}),
  };
}

/** The takeover taken off `link`, read before the action: its next quiet check as if the takeover had never been. */
export function takeoverOff(link: Link, policy: NudgePolicy): TakeoverOff {
  const { takeoverUntil: _gone, ...rest } = link;
  const dueAt = nextCheck(rest, link.ladder ?? { rung: 0 }, policy);
  return { link: { practiceCode: link.practiceCode, eventShortName: link.eventShortName }, ...(dueAt ? { dueAt } : {}) };
}
