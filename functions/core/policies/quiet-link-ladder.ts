/**
 * The escalation ladder for a link that has gone quiet. Pure: a link, a time and the
 * policy in, a decision out. The sweep applies decisions; the simulation and the dry run
 * print them.
 *
 *   rung 1: no contact for `quietAfterDays`: nudge the practice champion (the lead
 *           should come from the practice);
 *   rung 2: no answer `rungSpacingDays` later: nudge the champion again, and put the
 *           link in the event directors' weekly digest;
 *   rung 3: no answer another `rungSpacingDays` later: the link is at risk, for head
 *           office; automatic nudges stop for `atRiskPauseDays`, then the ladder restarts.
 * Any recorded contact resets the ladder. A paused link waits for its pause to end; a
 * link whose contact was lost is not nudged at all.
 */
import type { Link } from '../model.js';

export interface NudgePolicy {
  quietAfterDays: number;
  rungSpacingDays: number;
  atRiskPauseDays: number;
  /** Nobody gets more than one nudge email in this many days, whatever number of links they hold. */
  perPersonCapDays: number;
  /** Event directors get at most one digest in this many days. */
  digestIntervalDays: number;
}

export const defaultNudgePolicy: NudgePolicy = {
  quietAfterDays: 42,
  rungSpacingDays: 14,
  atRiskPauseDays: 90,
  perPersonCapDays: 7,
  digestIntervalDays: 7,
};

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

/** Last sign of life: recorded contact, else the introduction, else the link's creation. */
export function lastSignOfLife(link: Link): Date {
  return new Date(link.lastContactAt ?? link.introducedAt ?? link.createdAt);
}

/** When the ladder next needs to look at this link, from its state alone. */
export function nextCheck(link: Link, state: LadderState, policy: NudgePolicy): Date | undefined {
  if (link.status === 'contact-lost' || link.status === 'ended' || link.status === 'registered') return undefined;
  const quietAt = addDays(lastSignOfLife(link), policy.quietAfterDays);
  let due: Date;
  if (state.rung === 0 || !state.rungAt) due = quietAt;
  else if (state.rung === 3) due = addDays(new Date(state.rungAt), policy.atRiskPauseDays);
  else due = addDays(new Date(state.rungAt), policy.rungSpacingDays);
  if (link.pausedUntil && new Date(link.pausedUntil) > due) due = new Date(link.pausedUntil);
  return due;
}

export function decide(link: Link, state: LadderState, now: Date, policy: NudgePolicy): LadderDecision {
  if (link.status === 'contact-lost') return { action: 'none', why: 'the practice contact was lost: flagged, not nudged' };
  if (link.status === 'ended' || link.status === 'registered') return { action: 'none', why: `link is ${link.status}` };
  const due = nextCheck(link, state, policy);
  if (!due) return { action: 'none', why: 'nothing to do' };
  if (due > now) {
    const paused = link.pausedUntil && new Date(link.pausedUntil) >= due;
    return { action: 'wait', until: due, why: paused ? 'paused by request' : 'not due yet' };
  }
  const quietDays = Math.floor((now.getTime() - lastSignOfLife(link).getTime()) / day);
  // A contact after the last rung means the spell is over: start again from rung 0.
  const spellOver = state.rungAt !== undefined && link.lastContactAt !== undefined && link.lastContactAt > state.rungAt;
  const rung = spellOver ? 0 : state.rung;
  const quietSince = !spellOver && state.quietSince ? state.quietSince : addDays(lastSignOfLife(link), policy.quietAfterDays).toISOString();
  if (spellOver) {
    const again = addDays(lastSignOfLife(link), policy.quietAfterDays);
    if (again > now) return { action: 'wait', until: again, why: 'contact recorded since the last nudge' };
  }
  switch (rung) {
    case 0:
      return { action: 'nudge', rung: 1, quietSince, alsoDigest: false, why: `no contact for ${quietDays} days` };
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
