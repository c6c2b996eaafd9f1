/**
 * The escalation ladder for a link that has gone quiet. Pure: a link, a time and the
 * policy in, a decision out. The sweep applies decisions; the simulation and the dry run
 * print them.
 *
 *   rung 1: no contact for `quietAfterDays`: nudge the practice champion (the lead
 *           should come from the practice);
 *   rung 2: no answer `rungSpacingDays` later: nudge the champion again, and put the
 *           link in the event directors' next digest;
 *   rung 3: no answer another `rungSpacingDays` later: the link is at risk, for head
 *           office; automatic nudges stop for `atRiskPauseDays`, then the ladder restarts.
 * Any recorded contact resets the ladder. A takeover offered or planned is a sign of life
 * until its day (Link.takeoverUntil): the two sides are working together, so nobody is
 * asked to say hello before `quietAfterDays` after it, whatever the rung. A paused link
 * waits for its pause to end; a link whose contact was lost is not nudged at all.
 */
import type { Link } from '../model.js';

export interface NudgePolicy {
  quietAfterDays: number;
  rungSpacingDays: number;
  atRiskPauseDays: number;
  /** Event directors get at most one digest in this many days. */
  digestIntervalDays: number;
}

export const defaultNudgePolicy: NudgePolicy = {
  quietAfterDays: 42,
  rungSpacingDays: 14,
  atRiskPauseDays: 60,
  // Three weeks: a calendar month holds two only when the first comes in its first ten
  // days (a week apart, a busy event's directors got five; 16 days apart, a month of two
  // digests and a takeover's final check was one director-month in twenty in the
  // simulated year); a takeover offer brings it forward (offerDigestAfterDays).
  digestIntervalDays: 21,
};

/**
 * A takeover offer waits on the directors' answer while its Saturdays fill up, so it brings
 * their next digest forward to this many days after the last one; everything else waits
 * for the digest interval.
 */
export const offerDigestAfterDays = 7;

/** Days after a director's last digest that one carrying `entry` may go. */
export const digestWaitDays = (policy: NudgePolicy, entry: { kind?: string }): number =>
  entry.kind === 'takeover-proposal' ? Math.min(offerDigestAfterDays, policy.digestIntervalDays) : policy.digestIntervalDays;

const day = 86_400_000;
export const addDays = (at: Date, days: number) => new Date(at.getTime() + days * day);

/** The ladder's state on a link. */
export interface LadderState {
  /** 0 = not on the ladder; 1 and 2 = nudges sent; 3 = at risk. */
  rung: 0 | 1 | 2 | 3;
  rungAt?: string;
  /** Start of this quiet spell: names the period in idempotency keys. */
  quietSince?: string;
}

export type LadderDecision =
  | { action: 'nudge'; rung: 1 | 2; quietSince: string; alsoDigest: boolean; why: string }
  | { action: 'at-risk'; quietSince: string; why: string }
  | { action: 'wait'; until: Date; why: string }
  | { action: 'none'; why: string };

/**
 * The day of the takeover offered or planned on the link, as an instant: a day alone
 * (YYYY-MM-DD) counts from its midday, so it reads the same in any UK offset.
 */
export function takeoverDayOf(link: Pick<Link, 'takeoverUntil'>): Date | undefined {
  if (!link.takeoverUntil) return undefined;
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(link.takeoverUntil) ? `${link.takeoverUntil}T12:00:00Z` : link.takeoverUntil);
}

/**
 * Last sign of life: recorded contact, else the introduction, else the link's creation;
 * or the day of a takeover offered or planned, if later (still ahead, it is in the future:
 * the link is not quiet until `quietAfterDays` after it).
 */
export function lastSignOfLife(link: Link): Date {
  const contact = new Date(link.lastContactAt ?? link.introducedAt ?? link.createdAt);
  const takeover = takeoverDayOf(link);
  return takeover && takeover > contact ? takeover : contact;
}

/** Whole weeks from `from` to `now`, at least one: "quiet for 7 weeks". */
export const weeksSince = (from: Date, now: Date) => Math.max(1, Math.floor((now.getTime() - from.getTime()) / (7 * 86_400_000)));

/** When the ladder next needs to look at this link, from its state alone. */
export function nextCheck(link: Link, state: LadderState, policy: NudgePolicy): Date | undefined {
  if (link.status === 'contact-lost' || link.status === 'ended' || link.status === 'registered') return undefined;
  const quietAt = addDays(lastSignOfLife(link), policy.quietAfterDays);
  let due: Date;
  if (state.rung === 0 || !state.rungAt) due = quietAt;
  else if (state.rung === 3) due = addDays(new Date(state.rungAt), policy.atRiskPauseDays);
  else due = addDays(new Date(state.rungAt), policy.rungSpacingDays);
  // A takeover ahead holds every rung, not only the first: nothing is due before the quiet spell after its day.
  const takeover = takeoverDayOf(link);
  if (takeover && addDays(takeover, policy.quietAfterDays) > due) due = addDays(takeover, policy.quietAfterDays);
  if (link.pausedUntil && new Date(link.pausedUntil) > due) due = new Date(link.pausedUntil);
  return due;
}

export function decide(link: Link, state: LadderState, now: Date, policy: NudgePolicy): LadderDecision {
  if (link.status === 'contact-lost') return { action: 'none', why: 'the practice contact was lost: flagged, not nudged' };
  if (link.status === 'ended' || link.status === 'registered') return { action: 'none', why: `link is ${link.status}` };
  const due = nextCheck(link, state, policy);
  if (!due) return { action: 'none', why: 'nothing to do' };
  const takeover = takeoverDayOf(link);
  if (due > now) {
    const paused = link.pausedUntil && new Date(link.pausedUntil) >= due;
    const planned = takeover && addDays(takeover, policy.quietAfterDays) >= due;
    return { action: 'wait', until: due, why: paused ? 'paused by request' : planned ? 'a takeover is offered or planned: not quiet until after its day' : 'not due yet' };
  }
  const since = lastSignOfLife(link);
  const quietDays = Math.floor((now.getTime() - since.getTime()) / day);
  // A contact (or a takeover day) after the last rung means the spell is over: start again from rung 0.
  const spellOver =
    state.rungAt !== undefined && ((link.lastContactAt !== undefined && link.lastContactAt > state.rungAt) || (takeover !== undefined && takeover > new Date(state.rungAt)));
  const rung = spellOver ? 0 : state.rung;
  const quietSince = !spellOver && state.quietSince ? state.quietSince : addDays(since, policy.quietAfterDays).toISOString();
  if (spellOver) {
    const again = addDays(since, policy.quietAfterDays);
    if (again > now) return { action: 'wait', until: again, why: 'contact recorded since the last nudge' };
  }
  switch (rung) {
    case 0:
      return { action: 'nudge', rung: 1, quietSince, alsoDigest: true, why: `no contact for ${quietDays} days${takeover && since.getTime() === takeover.getTime() ? ' since the takeover day' : ''}` };
    case 1:
      return { action: 'nudge', rung: 2, quietSince, alsoDigest: true, why: `no answer ${policy.rungSpacingDays} days after the first nudge` };
    case 2:
      return { action: 'at-risk', quietSince, why: `no answer ${policy.rungSpacingDays} days after the second nudge` };
    case 3:
      // The at-risk pause is over and still no contact: start the ladder again.
      return {
        action: 'nudge',
        rung: 1,
        quietSince: addDays(new Date(state.rungAt!), policy.atRiskPauseDays).toISOString(),
        alsoDigest: false,
        why: `at risk for ${policy.atRiskPauseDays} days with no contact`,
      };
  }
}
