/**
 * A scheduled job killed half way and run again. The Lambda dies at a chosen point: just
 * before one of its DynamoDB calls, or while SES is sending a message; from then on that
 * instance writes and sends nothing (as a dead Lambda does). The schedule's next run (a
 * fresh instance, past the send lease) must finish the work: every message delivered
 * exactly once overall, and the table as a clean run leaves it.
 *
 * The kill points are chosen from a clean run's own calls, among them the awkward ones:
 * between a digest sent and its entries cleared, between the entries cleared and the
 * digest marked done, between a nudge sent and its ladder step. Not among them: the
 * moment between SES accepting a message and the ledger recording it, the one window the
 * mailer documents (SES takes no idempotency key, so no product can close it). A job that
 * sends several messages at once can have another message in that window when it dies:
 * such a message (accepted by SES, never recorded) is the only one allowed a second copy.
 */
import { beforeAll, describe, it, type ExpectStatic } from 'vitest';
import { cleanRun, duplicatesIn, inboxLines, isMarkSent, jobWorld, killed, outcome, Outbox, scanAll, settle, type DynamoCall, type JobName } from './support.js';

type Pick = (log: DynamoCall[]) => number;

/** The index (0-based) of the first call matching `test` after the `nth` call matching `after` (or from the start). */
const firstAfter = (test: (c: DynamoCall) => boolean, after?: (c: DynamoCall) => boolean, nth = 1): Pick => (log) => {
  let from = 0;
  if (after) {
    let seen = 0;
    from = log.findIndex((c) => after(c) && ++seen === nth) + 1;
    if (from === 0) return -1;
  }
  const i = log.slice(from).findIndex(test);
  return i < 0 ? -1 : from + i;
};
const is = (command: string, pk: string | RegExp, sk?: string | RegExp) => (c: DynamoCall) =>
  c.command === command && (typeof pk === 'string' ? c.pk.startsWith(pk) : pk.test(c.pk)) && (sk === undefined || (typeof sk === 'string' ? c.sk.startsWith(sk) : sk.test(c.sk)));

const killPoints: Array<{ job: JobName; before: string; pick: Pick }> = [
  { job: 'sweep', before: 'the ladder step of a nudge already sent', pick: firstAfter(is('UpdateItemCommand', 'PRACTICE#', 'LINK#'), isMarkSent, 3) },
  { job: 'sweep', before: 'putting a link in a director’s digest', pick: firstAfter(is('TransactWriteItemsCommand', 'DIGEST#')) },
  { job: 'sweep', before: 'clearing the entries of a digest already sent', pick: firstAfter(is('DeleteItemCommand', 'DIGEST#')) },
  { job: 'sweep', before: 'marking done a digest sent and cleared', pick: firstAfter(is('UpdateItemCommand', 'DIGEST#', 'HEAD'), is('DeleteItemCommand', 'DIGEST#')) },
  { job: 'prompts', before: 'recording a prompt already sent', pick: firstAfter(is('TransactWriteItemsCommand', 'PRACTICE#', 'TAKEOVER-PROMPT#'), isMarkSent) },
  { job: 'feedback', before: 'recording an ask already sent', pick: firstAfter(is('PutItemCommand', 'PRACTICE#', 'FEEDBACK-ASK#'), isMarkSent) },
  { job: 'feedback', before: 'putting the month’s summary in a digest', pick: firstAfter(is('TransactWriteItemsCommand', 'DIGEST#')) },
  { job: 'feedback', before: 'marking the summary done', pick: firstAfter(is('UpdateItemCommand', 'EVENT#', 'FEEDBACK-SUMMARY#')) },
];

const clean: Partial<Record<JobName, { outcome: Awaited<ReturnType<typeof cleanRun>>; log: DynamoCall[] }>> = {};
beforeAll(async () => {
  await Promise.all(
    (['sweep', 'prompts', 'feedback'] as const).map(async (job) => {
      // A clean run that also records the calls its first run makes, to choose kill points from.
      const w = await jobWorld(new Outbox());
      const recording = w.instance({ record: true });
      let firstRunCalls = 0;
      await settle(w.clock, async (attempt) => {
        const report = await recording[job]();
        if (attempt === 0) firstRunCalls = recording.dynamo.calls;
        return report;
      });
      clean[job] = { outcome: await outcome(w), log: recording.dynamo.log.slice(0, firstRunCalls) };
    }),
  );
});

/**
 * The killed run, then the schedule's runs on a fresh instance until the work is done.
 * `window`: what SES accepted from the dying instance that the ledger never heard of (a
 * send in flight beside the one the Lambda died in, when a job sends several at once):
 * the window the mailer documents, where the next run sends again after the lease.
 */
async function killedAndRunAgain(job: JobName, kill: { atCall?: number; atSend?: number }) {
  const outbox = new Outbox();
  const w = await jobWorld(outbox);
  const dying = w.instance();
  const die = () => {
    dying.dynamo.killed = true;
    return killed();
  };
  if (kill.atCall !== undefined) dying.dynamo.fault = (call) => (call.n === kill.atCall ? die() : undefined);
  if (kill.atSend !== undefined) outbox.fault = (attempt) => (attempt === kill.atSend ? die() : undefined);
  const fresh = w.instance();
  let window: string[] = [];
  const runs = await settle(w.clock, async (attempt) => {
    if (attempt > 0) return fresh[job]();
    try {
      return await dying[job]();
    } finally {
      const unrecorded = new Set((await scanAll(w.t.doc, w.t.tableName)).filter((i) => i.entityType === 'Message' && i.status === 'sending').map((i) => String(i.to)));
      window = inboxLines(dying.accepted.filter((e) => unrecorded.has(e.to)));
    }
  });
  return { runs, dying, window, result: await outcome(w) };
}

/** Every message once, but for those caught in the documented window: at most twice. */
function expectOnceEach(expect: ExpectStatic, result: Awaited<ReturnType<typeof outcome>>, expected: Awaited<ReturnType<typeof outcome>>, window: string[]) {
  const twice = duplicatesIn(result.inbox);
  expect(twice.filter((line) => !window.includes(line))).toEqual([]);
  expect(duplicatesIn(twice)).toEqual([]);
  expect([...new Set(result.inbox)]).toEqual([...new Set(expected.inbox)]);
  expect(result.ledger).toEqual(expected.ledger);
  expect(result.snapshot).toEqual(expected.snapshot);
}

describe.concurrent('a job killed half way and run again', () => {
  it.for(killPoints)('$job, killed just before $before: every message once, the table a clean run’s', async ({ job, pick }, { expect }) => {
    const { log, outcome: expected } = clean[job]!;
    const index = pick(log);
    expect(index, 'the kill point is in the clean run').toBeGreaterThanOrEqual(0);
    expect(isMarkSent(log[index]!)).toBe(false);
    const { runs, dying, window, result } = await killedAndRunAgain(job, { atCall: index + 1 });

    // It died there, and the run said so; the next run picked the work up.
    expect(dying.dynamo.killed).toBe(true);
    const first = runs[0]!;
    expect(first instanceof Error || (first.failed ?? 0) > 0).toBe(true);
    expectOnceEach(expect, result, expected, window);
  });

  it.for([
    ['sweep', 6],
    ['prompts', 2],
    ['feedback', 3],
  ] as const)('%s, killed while SES sends its message no. %i: that message and the rest go once, on the next run', async ([job, n], { expect }) => {
    const expected = clean[job]!.outcome;
    const { runs, dying, window, result } = await killedAndRunAgain(job, { atSend: n });
    expect(dying.dynamo.killed).toBe(true);
    // At most n - 1 went before the kill; the rest came on later runs.
    expect(dying.accepted.length).toBeLessThan(n);
    expect(runs.length).toBeGreaterThan(1);
    expectOnceEach(expect, result, expected, window);
  });
});
