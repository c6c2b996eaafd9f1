/**
 * The ladder and quiet hours over time. Property-based: for any history of contacts,
 * pauses and sweep times, the ladder never nudges more often than the caps allow and
 * never inside quiet hours.
 */
import { defaultMailBudget } from '../../functions/core/policies/mail-budget.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Link } from '../../functions/core/model.js';
import { isAllowed, nextAllowedTime, type Audience } from '../../functions/core/policies/quiet-hours.js';
import type { PauseMonths } from '../../functions/core/policies/link-action-input.js';
import { addDays, decide, defaultNudgePolicy as policy, digestWaitDays, nextCheck, offerDigestAfterDays, type LadderState } from '../../functions/core/policies/quiet-link-ladder.js';
import { pauseUntil } from '../../functions/core/use-cases/link-actions.js';

const london = 'Europe/London';
const day = 86_400_000;
const start = new Date('2026-01-05T09:00:00Z');
const anInstant = fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true });
const anAudience = fc.constantFrom<Audience>('practice', 'event-director');

describe('quiet hours', () => {
  it.each([
    ['practice', '2026-11-24T10:00:00Z', true],
    ['practice', '2026-11-24T07:59:00Z', false],
    ['practice', '2026-11-24T18:00:00Z', false],
    ['practice', '2026-11-28T10:00:00Z', false],
    ['event-director', '2026-11-27T17:59:00Z', true],
    ['event-director', '2026-11-27T18:00:00Z', false],
    ['event-director', '2026-11-28T12:59:00Z', false],
    ['event-director', '2026-11-28T13:00:00Z', true],
    ['event-director', '2026-11-29T07:00:00Z', true],
    // In summer time, 07:30 UTC is 08:30 in London: inside practice hours.
    ['practice', '2026-07-07T07:30:00Z', true],
  ] as const)('for %s at %s is %s', (audience, at, allowed) => {
    expect(isAllowed(audience, new Date(at), london)).toBe(allowed);
  });

  it('always finds the first allowed time, and never one inside quiet hours', () => {
    fc.assert(
      fc.property(anAudience, anInstant, (audience, from) => {
        const at = nextAllowedTime(audience, from, london);
        expect(at.getTime()).toBeGreaterThanOrEqual(from.getTime());
        expect(isAllowed(audience, at, london)).toBe(true);
        // Windows open on the hour, so a minute earlier is still closed when we had to wait.
        if (at > from) expect(isAllowed(audience, new Date(at.getTime() - 60_000), london)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the ladder, decision by decision', () => {
  const link = (lastContactDaysAgo: number, now: Date, extra: Partial<Link> = {}): Link => ({
    practiceCode: 'A81001',
    eventShortName: 'bushy',
    status: 'active',
    createdAt: addDays(now, -400).toISOString(),
    createdBy: 'registration',
    initialContact: 'practice',
    lastContactAt: addDays(now, -lastContactDaysAgo).toISOString(),
    ...extra,
  });

  it('waits until 42 days without contact, then nudges the champion with a digest', () => {
    const now = start;
    expect(decide(link(41, now), { rung: 0 }, now, policy)).toMatchObject({ action: 'wait', until: addDays(now, 1) });
    expect(decide(link(42, now), { rung: 0 }, now, policy)).toMatchObject({ action: 'nudge', rung: 1, alsoDigest: true });
  });

  it('nudges again with a digest 14 days on, then marks at risk, then waits 60 days', () => {
    const now = start;
    const quiet = link(70, now);
    const rung1At = addDays(now, -14).toISOString();
    expect(decide(quiet, { rung: 1, rungAt: rung1At }, now, policy)).toMatchObject({ action: 'nudge', rung: 2, alsoDigest: true });
    expect(decide(quiet, { rung: 2, rungAt: rung1At }, now, policy)).toMatchObject({ action: 'at-risk' });
    expect(nextCheck(quiet, { rung: 3, rungAt: now.toISOString() }, policy)).toEqual(addDays(now, 60));
  });

  it('starts again after contact recorded since the last nudge', () => {
    const now = start;
    const answered = link(3, now);
    expect(decide(answered, { rung: 1, rungAt: addDays(now, -20).toISOString() }, now, policy)).toMatchObject({ action: 'wait', until: addDays(now, 39) });
  });

  it('skips a paused link until its pause ends, and a link whose contact is lost for good', () => {
    const now = start;
    expect(decide(link(60, now, { pausedUntil: addDays(now, 10).toISOString() }), { rung: 0 }, now, policy)).toMatchObject({
      action: 'wait',
      until: addDays(now, 10),
      why: 'paused by request',
    });
    expect(decide(link(60, now, { status: 'contact-lost' }), { rung: 0 }, now, policy)).toMatchObject({ action: 'none' });
  });
});

/**
 * Drives one link through a year the way the sweep does: at each sweep time, decide, hold
 * nudges to practice hours and the per-person cap, and record what was sent.
 */
function simulate(contacts: number[], pauses: Array<[number, number]>, sweepHours: number[]) {
  let current: Link = {
    practiceCode: 'A81001',
    eventShortName: 'bushy',
    status: 'introduced',
    createdAt: start.toISOString(),
    createdBy: 'registration',
    initialContact: 'practice',
    introducedAt: start.toISOString(),
  };
  let state: LadderState = { rung: 0 };
  let lastNudge: Date | undefined;
  const nudges: Array<{ at: Date; rung: number }> = [];
  const pausedSpans: Array<[Date, Date]> = [];
  const times = sweepHours.map((h) => new Date(start.getTime() + h * 3_600_000)).sort((a, b) => a.getTime() - b.getTime());
  const events = [
    ...contacts.map((d) => ({ at: new Date(start.getTime() + d * day), kind: 'contact' as const })),
    ...pauses.map(([d, months]) => ({ at: new Date(start.getTime() + d * day), kind: 'pause' as const, months })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const now of times) {
    while (events.length && events[0]!.at <= now) {
      const e = events.shift()!;
      if (e.kind === 'contact') {
        current = { ...current, status: 'active', lastContactAt: e.at.toISOString() };
        state = { rung: 0 };
      } else {
        const until = pauseUntil(e.at, e.months as PauseMonths, current.pausedUntil);
        current = { ...current, pausedUntil: until.toISOString() };
        pausedSpans.push([e.at, until]);
      }
    }
    const d = decide(current, state, now, policy);
    if (d.action === 'at-risk') state = { rung: 3, rungAt: now.toISOString(), quietSince: d.quietSince };
    if (d.action !== 'nudge') continue;
    if (!isAllowed('practice', now, london)) continue;
    if (lastNudge && now.getTime() - lastNudge.getTime() < defaultMailBudget.unaskedEveryDays * day) continue;
    nudges.push({ at: now, rung: d.rung });
    lastNudge = now;
    state = { rung: d.rung, rungAt: now.toISOString(), quietSince: d.quietSince };
  }
  return { nudges, current, pausedSpans };
}

describe('the ladder over a year (property-based)', () => {
  const history = fc.record({
    contacts: fc.array(fc.integer({ min: 0, max: 365 }), { maxLength: 12 }),
    pauses: fc.array(fc.tuple(fc.integer({ min: 0, max: 365 }), fc.constantFrom(1, 3)), { maxLength: 3 }),
    sweepHours: fc.array(fc.integer({ min: 0, max: 365 * 24 }), { minLength: 20, maxLength: 400 }),
  });

  it('never nudges inside quiet hours, within the per-person cap, during a pause, or more than twice a quiet spell', () => {
    fc.assert(
      fc.property(history, ({ contacts, pauses, sweepHours }) => {
        const { nudges, pausedSpans } = simulate(contacts, pauses, sweepHours);
        for (const [i, n] of nudges.entries()) {
          expect(isAllowed('practice', n.at, london)).toBe(true);
          const previous = nudges[i - 1];
          if (previous) expect(n.at.getTime() - previous.at.getTime()).toBeGreaterThanOrEqual(defaultMailBudget.unaskedEveryDays * day);
          for (const [from, until] of pausedSpans) expect(n.at >= from && n.at < until).toBe(false);
          // Between two contacts a link gets at most two nudges before it is at risk, unless 90 days of at-risk pass.
          const since = Math.max(start.getTime(), ...contacts.map((c) => start.getTime() + c * day).filter((c) => c <= n.at.getTime()));
          const inSpell = nudges.filter((m) => m.at.getTime() >= since && m.at <= n.at);
          const spellDays = (n.at.getTime() - since) / day;
          expect(inSpell.length).toBeLessThanOrEqual(2 + 2 * Math.floor(spellDays / policy.atRiskPauseDays));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never nudges a link that has had contact in the last 42 days', () => {
    fc.assert(
      fc.property(history, ({ contacts, sweepHours }) => {
        const { nudges } = simulate(contacts, [], sweepHours);
        for (const n of nudges) {
          const lastSign = Math.max(start.getTime(), ...contacts.map((c) => start.getTime() + c * day).filter((c) => c <= n.at.getTime()));
          expect(n.at.getTime() - lastSign).toBeGreaterThanOrEqual(policy.quietAfterDays * day);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('a takeover offered or planned holds the ladder (docs/contact.md)', () => {
  const now = start;
  /** Quiet for 60 days, with a takeover on `takeoverUntil`. */
  const planned = (takeoverUntil: string | undefined, extra: Partial<Link> = {}): Link => ({
    practiceCode: 'A81001',
    eventShortName: 'bushy',
    status: 'active',
    createdAt: addDays(now, -400).toISOString(),
    createdBy: 'registration',
    initialContact: 'practice',
    lastContactAt: addDays(now, -60).toISOString(),
    ...(takeoverUntil ? { takeoverUntil } : {}),
    ...extra,
  });
  const midday = (isoDay: string) => new Date(`${isoDay}T12:00:00Z`);
  const isoDayOf = (at: Date) => at.toISOString().slice(0, 10);

  it('does not nudge a link quiet for 60 days while its takeover is ahead, and looks again 42 days after the day', () => {
    const day = isoDayOf(addDays(now, 70));
    expect(decide(planned(undefined), { rung: 0 }, now, policy)).toMatchObject({ action: 'nudge', rung: 1 });
    expect(decide(planned(day), { rung: 0 }, now, policy)).toEqual({ action: 'wait', until: addDays(midday(day), 42), why: 'a takeover is offered or planned: not quiet until after its day' });
    expect(nextCheck(planned(day), { rung: 0 }, policy)).toEqual(addDays(midday(day), 42));
  });

  it('holds a link already on the ladder too, and at risk', () => {
    const day = isoDayOf(addDays(now, 20));
    const onRung1 = { rung: 1 as const, rungAt: addDays(now, -14).toISOString() };
    expect(decide(planned(undefined), onRung1, now, policy)).toMatchObject({ action: 'nudge', rung: 2 });
    expect(decide(planned(day), onRung1, now, policy)).toMatchObject({ action: 'wait', until: addDays(midday(day), 42) });
    expect(nextCheck(planned(day), { rung: 3, rungAt: addDays(now, -90).toISOString() }, policy)).toEqual(addDays(midday(day), 42));
  });

  it('nudges 42 days after the takeover day when nothing else was heard, and not a day before', () => {
    const day = isoDayOf(addDays(now, -42));
    const quietAt = addDays(midday(day), 42);
    expect(decide(planned(day), { rung: 0 }, quietAt, policy)).toMatchObject({ action: 'nudge', rung: 1, why: 'no contact for 42 days since the takeover day' });
    expect(decide(planned(day), { rung: 0 }, addDays(quietAt, -1), policy)).toMatchObject({ action: 'wait', until: quietAt });
    // Contact after the day counts from the contact, as ever.
    expect(decide(planned(day, { lastContactAt: addDays(quietAt, -10).toISOString() }), { rung: 0 }, quietAt, policy)).toMatchObject({ action: 'wait', until: addDays(quietAt, 32) });
  });

  it('starts a spell again when a takeover day comes after the last nudge', () => {
    const day = isoDayOf(addDays(now, -5));
    const nudged = { rung: 2 as const, rungAt: addDays(now, -30).toISOString(), quietSince: addDays(now, -44).toISOString() };
    expect(decide(planned(undefined), nudged, now, policy)).toMatchObject({ action: 'at-risk' });
    expect(decide(planned(day), nudged, now, policy)).toMatchObject({ action: 'wait', until: addDays(midday(day), 42) });
  });

  it('never nudges before 42 days after the takeover day, whatever the contact, rung or time (property-based)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -200, max: 200 }),
        fc.integer({ min: -200, max: 120 }),
        fc.constantFrom<0 | 1 | 2 | 3>(0, 1, 2, 3),
        fc.integer({ min: 0, max: 200 }),
        (contactOffset, takeoverOffset, rung, rungDaysAgo) => {
          const takeoverDay = isoDayOf(addDays(now, takeoverOffset));
          const link = planned(takeoverDay, { lastContactAt: addDays(now, Math.min(contactOffset, 0)).toISOString() });
          const state: LadderState = rung === 0 ? { rung } : { rung, rungAt: addDays(now, -rungDaysAgo).toISOString() };
          const decision = decide(link, state, now, policy);
          if (decision.action === 'nudge' || decision.action === 'at-risk') expect(now.getTime()).toBeGreaterThanOrEqual(addDays(midday(takeoverDay), policy.quietAfterDays).getTime());
          const due = nextCheck(link, state, policy)!;
          expect(due.getTime()).toBeGreaterThanOrEqual(addDays(midday(takeoverDay), policy.quietAfterDays).getTime());
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('when a digest may go', () => {
  it('waits the digest interval, but a takeover offer only a week', () => {
    const fortnightly = { ...policy, digestIntervalDays: 16 };
    expect(digestWaitDays(fortnightly, { kind: 'quiet-link' })).toBe(16);
    expect(digestWaitDays(fortnightly, {})).toBe(16);
    expect(digestWaitDays(fortnightly, { kind: 'takeover-proposal' })).toBe(offerDigestAfterDays);
    // Never later than the interval itself.
    expect(digestWaitDays({ ...policy, digestIntervalDays: 3 }, { kind: 'takeover-proposal' })).toBe(3);
  });
});
