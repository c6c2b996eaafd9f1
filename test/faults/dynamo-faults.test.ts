/**
 * DynamoDB refusing calls for capacity, as the product meets it once the SDK's own retries
 * have given up: during a throttling episode every n-th call of a Lambda instance is
 * refused (ProvisionedThroughputExceeded, ThrottlingException, a 500, or a transaction
 * cancelled for throttling), wherever it falls: a read, a ledger claim, a token, the "sent"
 * record, a ladder step, a digest's entries. Each job's first run meets one rate, its retry
 * a lower one, and the runs after that none; the result is compared with a clean run. The
 * stream watchers (behind the stream router, and the head-office watcher on its own mapping)
 * and one-time schedules meet refusals at random (seeded) through the story.
 * Conditional failures from concurrent writers are in concurrent-sweeps.test.ts.
 */
import { describe, it } from 'vitest';
import { told } from './story.js';
import { cleanRun, everyNth, expectSameAsClean, jobOrder, jobSeed, jobWorld, once, outcome, Outbox, seededRate, settle, type JobReport } from './support.js';

/**
 * The jobs' data without the champion of two links: which of the two gets the week's one
 * nudge depends on which the sweep reaches first, and a refused read may rightly change that.
 */
const seed = () => jobSeed().filter((i) => !(i.pk === 'PRACTICE#A00005' && i.sk === 'LINK#cardiff'));

/** The same jobs on the same data at the same time, with nothing going wrong. */
const cleanJobs = once(() => cleanRun(new Outbox(), jobOrder, seed()));

describe.concurrent('DynamoDB throttling under the scheduled jobs', () => {
  it.for([
    [7, 13, 0],
    [5, 11, 3],
  ] as const)('one call in %i refused, then one in %i (offset %i): failed items stay due, reruns finish the work, nothing lost or sent twice, the table is a clean run’s', async ([first, second, offset], { expect }) => {
    const cleaning = cleanJobs();
    const w = await jobWorld(new Outbox(), seed());
    const instance = w.instance();
    const runs: Array<JobReport | Error> = [];
    for (const job of jobOrder) {
      const episode = [everyNth(first, offset), everyNth(second, offset)];
      runs.push(
        ...(await settle(w.clock, (attempt) => {
          instance.dynamo.fault = episode[attempt];
          return instance[job]();
        })),
      );
    }

    // The faults bit: some runs failed items or died, and were run again.
    expect(runs.filter((r) => r instanceof Error || (r.failed ?? 0) > 0).length).toBeGreaterThan(0);
    expect(instance.dynamo.calls).toBeGreaterThan(200);

    const [faulty, clean] = await Promise.all([outcome(w), cleaning]);
    expectSameAsClean(expect, faulty, clean);
  });
});

describe.concurrent('DynamoDB throttling under the stream watchers and one-time schedules', () => {
  it('one call in 25 of the watchers, jobs and reminders refused: records and reminders retried as Lambda and Scheduler do; nothing lost, sent twice or counted twice', async ({ expect }) => {
    const [clean, faulty] = await Promise.all([told({ provider: new Outbox() }), told({ provider: new Outbox(), fault: seededRate(1 / 25, 20261123) })]);
    // The faults bit: records failed and were delivered again. A record a mail watcher failed
    // is reported by the stream router, which Lambda delivers again from that record on (to
    // every watcher with a record there, not only to the one that failed it).
    expect(faulty.stats.failedRecords).toBeGreaterThan(0);
    expect(Object.values(faulty.stats.watcherFailedRecords).reduce((a, b) => a + b)).toBeGreaterThan(0);
    expect(faulty.stats.deliveries).toBeGreaterThan(clean.stats.deliveries);

    expect(faulty.snapshot.figures).toEqual(clean.snapshot.figures);
    expectSameAsClean(expect, faulty, clean);
    expect(faulty.pending).toEqual(clean.pending);
  });
});
