/** The quiet-link sweep's counts for CloudWatch, through the Lambdas' wiring (mailDeps with a Telemetry), against DynamoDB Local. */
import { describe, expect, it } from 'vitest';
import { runQuietLinkSweep } from '../../functions/core/use-cases/quiet-link-sweep.js';
import { mailDeps } from '../../functions/wiring.js';
import { mailSettings } from '../support/memory-ports.js';
import { aLink, aPractice, day, sweepWorld, tuesdayMorning } from '../support/sweep-world.js';
import { recordingTelemetry } from '../support/telemetry.js';

const plus = (days: number) => new Date(tuesdayMorning.getTime() + days * day);

describe('the sweep, counted', () => {
  it('counts each step up the ladder by rung once it is written, and each email by template; a dry run or a repeat counts nothing', async () => {
    const w = await sweepWorld({ practices: [aPractice('A00001')], links: [aLink('A00001', 'bushy', tuesdayMorning, 42)] });
    const { counts, telemetry } = recordingTelemetry();
    const deps = mailDeps({ ...w.store, telemetry }, { ...mailSettings }, w.recording);
    const sweep = (dryRun = false) => runQuietLinkSweep(deps, { dryRun });

    expect(await sweep(true)).toMatchObject({ nudges: 1 });
    expect(counts).toEqual([]);
    await sweep();
    await sweep();
    // The first nudge, and a digest to each director (this run or the next: they are due at once).
    expect(counts.filter((c) => !c.includes('digest'))).toEqual(['email:quiet-link-nudge', 'nudge:1']);
    expect(counts.filter((c) => c.includes('digest'))).toEqual(['email:event-director-digest', 'email:event-director-digest']);

    // The second nudge; the directors' next digests wait out the 21 days since their last.
    counts.length = 0;
    for (const days of [14, 14.05, 14.1]) {
      w.clock.set(plus(days));
      await sweep();
    }
    expect(counts).toEqual(['email:quiet-link-nudge', 'nudge:2']);
    counts.length = 0;
    for (const days of [21, 21.05, 21.1]) {
      w.clock.set(plus(days));
      await sweep();
    }
    expect(counts).toEqual(['email:event-director-digest', 'email:event-director-digest']);

    counts.length = 0;
    w.clock.set(plus(28));
    expect(await sweep()).toMatchObject({ atRisk: 1 });
    expect(counts).toEqual(['nudge:3']);
  });
});
