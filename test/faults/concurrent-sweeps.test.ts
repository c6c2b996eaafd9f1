/**
 * Two runs at once, as two Lambda instances (each its own DynamoDB client and mail chain)
 * on one table: what one instance claims, the other finds in flight or done, and every
 * conditional write refuses the loser. Two quiet-link sweeps, two takeover-prompt runs and
 * two feedback runs, started together or a moment apart; and two head-office watchers
 * counting the same changes at once. Afterwards: every email once, the table a clean run's,
 * the figures what the data says.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, it } from 'vitest';
import { DynamoTableScan } from '../../local/table-scan.js';
import { headOfficeFilter } from '../../functions/adapters/dynamo/stream-filters.js';
import { linkItem } from '../../functions/adapters/dynamo/items.js';
import { rebuildMetrics } from '../../functions/core/use-cases/head-office-metrics.js';
import { createHeadOfficeWatcher } from '../../functions/watchers/head-office-watcher-handler.js';
import { storeDeps } from '../../functions/wiring.js';
import { readStream } from '../support/stream.js';
import { aLink } from '../support/sweep-world.js';
import { MovableClock } from '../../functions/adapters/clock.js';
import { createTestTable } from '../support/dynamo.js';
import { FixedClock } from '../support/memory-ports.js';
import { cleanRun, expectSameAsClean, FaultyDynamo, isMarkSent, jobOrder, jobSeed, jobWorld, once, outcome, Outbox, putItems, settle, snapshot, T, tokenSecret, type JobReport } from './support.js';

/** The same jobs on the same data at the same time, with nothing going wrong. */
const cleanJobs = once(() => cleanRun());

const settledOf = (r: PromiseSettledResult<JobReport>) => (r.status === 'fulfilled' ? r.value : r.reason instanceof Error ? r.reason : new Error(String(r.reason)));

describe.concurrent('two scheduled runs at once', () => {
  it('of each job, started together on two instances: every email once, and the table a clean run’s', async ({ expect }) => {
    const cleaning = cleanJobs();
    const w = await jobWorld(new Outbox());
    const [a, b] = [w.instance(), w.instance()];
    const reports: Array<JobReport | Error> = [];
    for (const job of jobOrder) {
      const both = await Promise.allSettled([a[job](), b[job]()]);
      reports.push(...both.map(settledOf));
      // What either left to the other (in flight, or changed under it) is due for the next run.
      await settle(w.clock, () => a[job]());
    }
    // Both instances did work: neither simply found everything done.
    expect(a.dynamo.calls).toBeGreaterThan(100);
    expect(b.dynamo.calls).toBeGreaterThan(100);
    expect(reports.filter((r) => r instanceof Error)).toEqual([]);

    const [faulty, clean] = await Promise.all([outcome(w), cleaning]);
    expectSameAsClean(expect, faulty, clean);
  });
});

describe.concurrent('two sweeps meeting on one digest', () => {
  it('the one that finds it sent by the other leaves it done, not due again a week on', async ({ expect }) => {
    // Compared with a sweep alone (the feedback job would put Sarah's digest due next week anyway).
    const sweptCleaning = cleanRun(new Outbox(), ['sweep']);
    const w = await jobWorld(new Outbox());
    const [a, b] = [w.instance(), w.instance()];
    const sarah = 'sarah@parkrun.example';
    const signal = () => {
      let fire!: () => void;
      const promise = new Promise<void>((resolve) => (fire = resolve));
      return { promise, fire };
    };
    const [aSent, bReadEntries, aCompleted] = [signal(), signal(), signal()];
    // The interleaving: A sends Sarah's digest; B reads her digest (head and entries) as it
    // was; A completes it; only then does B try to send it, and finds it sent.
    a.dynamo.done = (call) => {
      if (isMarkSent(call) && call.pk.startsWith(`MESSAGE#digest#${sarah}`)) aSent.fire();
      if (call.command === 'UpdateItemCommand' && call.pk === `DIGEST#${sarah}` && call.sk === 'HEAD') aCompleted.fire();
    };
    a.dynamo.gate = (call) => (call.command === 'DeleteItemCommand' && call.pk === `DIGEST#${sarah}` ? bReadEntries.promise : undefined);
    b.dynamo.done = (call) => {
      if (call.command === 'QueryCommand' && call.pk === `DIGEST#${sarah}`) bReadEntries.fire();
    };
    b.dynamo.gate = (call) => {
      if (call.command === 'QueryCommand' && call.pk === 'DUE#3') return aSent.promise;
      if (call.command === 'PutItemCommand' && call.pk.startsWith(`MESSAGE#digest#${sarah}`)) return aCompleted.promise;
      return undefined;
    };
    const [ra, rb] = await Promise.all([a.sweep(), b.sweep()]);
    expect(ra).toMatchObject({ failed: 0 });
    expect(rb).toMatchObject({ failed: 0 });
    await settle(w.clock, () => a.sweep());

    const [faulty, sweptClean] = await Promise.all([outcome(w), sweptCleaning]);
    expect(faulty.inbox).toEqual(sweptClean.inbox);
    expect(faulty.ledger).toEqual(sweptClean.ledger);
    expect(faulty.snapshot).toEqual(sweptClean.snapshot);
  });
});

describe.concurrent('two head-office watchers at once', () => {
  it('count every change once, whichever gets there first: the figures are what the data says, and what one watcher counts', async ({ expect }) => {
    const t = await createTestTable();
    const seed = jobSeed();
    const more = Array.from({ length: 8 }, (_, i) => linkItem(aLink(`B${String(i).padStart(5, '0')}`, i % 3 ? 'bushy' : 'cardiff', T, 10 + i, i % 4 === 0 ? { status: 'quiet', ladder: { rung: 1 } } : {})));
    await putItems(t.doc, t.tableName, [...seed, ...more]);
    const records = (await readStream(t.streams, t.streamArn, headOfficeFilter)) as DynamoDBRecord[];
    expect(records.length).toBeGreaterThan(25);

    const clock = new MovableClock(new FixedClock(T));
    const watcher = () => createHeadOfficeWatcher(storeDeps(new FaultyDynamo(t.endpoint).doc, t.tableName, tokenSecret, clock));
    const [one, two] = [watcher(), watcher()];
    // Two consumers with the same records, one in stream order and one backwards, and each batch twice.
    const responses = await Promise.all([
      one({ Records: structuredClone(records) }, {} as never),
      two({ Records: structuredClone(records).reverse() }, {} as never),
      one({ Records: structuredClone(records) }, {} as never),
    ]);
    // Any record that lost every retry to the other is reported, and Lambda delivers it again.
    for (const response of responses) {
      const failed = new Set((response ?? { batchItemFailures: [] }).batchItemFailures.map((f) => f.itemIdentifier));
      if (failed.size) expect(await one({ Records: records.filter((r) => failed.has(r.dynamodb!.SequenceNumber!)) }, {} as never)).toEqual({ batchItemFailures: [] });
    }

    const store = storeDeps(t.doc, t.tableName, tokenSecret, clock);
    const check = await rebuildMetrics({ metrics: store.metrics, scan: new DynamoTableScan(t.doc, t.tableName), lists: store.lists, clock }, { dryRun: true });
    expect(check.drift).toEqual([]);
    const { current } = await store.metrics.read('ALL', '9999', '9999');
    expect(current).toMatchObject({ links: seed.filter((i) => i.entityType === 'Link').length + more.length, events: 2 });

    // The same records through one watcher on a fresh table give the same figures.
    const single = await createTestTable();
    await putItems(single.doc, single.tableName, [...seed, ...more]);
    const singleRecords = (await readStream(single.streams, single.streamArn, headOfficeFilter)) as DynamoDBRecord[];
    const lone = createHeadOfficeWatcher(storeDeps(single.doc, single.tableName, tokenSecret, clock));
    expect(await lone({ Records: singleRecords }, {} as never)).toEqual({ batchItemFailures: [] });
    expect((await snapshot(t.doc, t.tableName)).figures).toEqual((await snapshot(single.doc, single.tableName)).figures);
  });
});
