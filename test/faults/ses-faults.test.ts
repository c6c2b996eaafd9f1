/**
 * SES refusing sends, through the real SesMailTransport over an SESv2Client mocked with
 * aws-sdk-client-mock. The scheduled jobs (quiet-link sweep, takeover prompts, feedback
 * asks) run on DynamoDB Local with the wiring's chain (paced, retrying); the result is
 * compared with a clean run of the same data at the same time: the same mail, once each,
 * and the same table.
 */
import { MessageRejected, SendingPausedException } from '@aws-sdk/client-sesv2';
import { describe, it } from 'vitest';
import {
  aFifthRefused,
  cleanRun,
  expectSameAsClean,
  inboxLines,
  jobOrder,
  jobWorld,
  MockSes,
  once,
  Outbox,
  outcome,
  sesRefusal,
  settle,
  type JobReport,
} from './support.js';
import { told } from './story.js';

/** The same jobs on the same data at the same time, with nothing going wrong. */
const cleanJobs = once(() => cleanRun());

describe.concurrent('SES throttling and 5xx on a fifth of sends', () => {
  it('are ridden out by the retrying transport: every job’s mail goes once, nothing fails, and the table is a clean run’s', async ({ expect }) => {
    const cleaning = cleanJobs();
    const ses = new MockSes();
    ses.refuse = aFifthRefused;
    const w = await jobWorld(ses);
    const instance = w.instance();
    const runs: Array<JobReport | Error> = [];
    for (const job of jobOrder) runs.push(...(await settle(w.clock, () => instance[job]())));

    // The faults happened: one call in five refused, each kind in turn.
    expect(ses.refused).toBe(Math.floor(ses.calls / 5));
    expect(ses.refused).toBeGreaterThanOrEqual(3);
    expect(ses.calls).toBe(ses.accepted.length + ses.refused);
    // No run failed an item or threw: each refused call was retried within its send.
    expect(runs.filter((r) => r instanceof Error || (r.failed ?? 0) > 0)).toEqual([]);

    const [faulty, clean] = await Promise.all([outcome(w), cleaning]);
    expectSameAsClean(expect, faulty, clean);
  });
});

describe.concurrent('SES refusing beyond the retries', () => {
  it('records the message failed, keeps its work due, and the next run delivers it once', async ({ expect }) => {
    const cleaning = cleanJobs();
    const ses = new MockSes();
    // In each job's first run, sending is paused for two champions (not retryable); Tom's
    // digest meets a 503 on every attempt of its first send; a fifth of the rest are refused as well.
    let firstRun = true;
    let tomRefusals = 4;
    ses.refuse = (call, email) => {
      if (firstRun && (email.to === 'a00002@nhs.example' || email.to === 'a00003@nhs.example')) {
        return new SendingPausedException({ message: 'Email sending is disabled for your account.', $metadata: { httpStatusCode: 400 } });
      }
      if (email.to === 'tom@parkrun.example' && tomRefusals-- > 0) return sesRefusal(2);
      return aFifthRefused(call);
    };
    const w = await jobWorld(ses);
    const instance = w.instance();
    const failed: Record<string, number> = {};
    const notSent = new Set<string>();
    for (const job of jobOrder) {
      const runs = await settle(w.clock, async (attempt) => {
        firstRun = attempt === 0;
        const report = await instance[job]();
        for (const line of await w.ledger()) if (!line.startsWith('sent ')) notSent.add(line);
        return report;
      });
      failed[job] = runs.reduce((n, r) => n + (r instanceof Error ? 1000 : (r.failed ?? 0)), 0);
    }

    // Each such message failed once, was said to, and was recorded as failed (not left
    // claimed), so the next run could claim it at once.
    expect(failed).toEqual({ sweep: 3, prompts: 1, feedback: 1 });
    expect([...notSent].sort()).toEqual([
      'failed digest#tom@parkrun.example#2026-12-01',
      'failed feedback-ask#A00002.bushy#2026-11',
      'failed nudge#A00002.cardiff#2026-11-29#rung1',
      'failed nudge#A00003.cardiff#2026-11-28#rung1',
      'failed takeover-prompt#A00003.bushy#2026-12-01',
    ]);

    const [faulty, clean] = await Promise.all([outcome(w), cleaning]);
    expectSameAsClean(expect, faulty, clean);
  });

  it('costs an address SES always rejects its own mail only: every job still sends everyone else’s, and records the rejects', async ({ expect }) => {
    const cleaning = cleanJobs();
    const ses = new MockSes();
    const rejected = 'a00012@nhs.example';
    ses.refuse = (call, email) =>
      email.to === rejected ? new MessageRejected({ message: 'Email address is not verified.', $metadata: { httpStatusCode: 400 } }) : aFifthRefused(call);
    const w = await jobWorld(ses);
    const instance = w.instance();
    // Each job as its schedule would run it: the run, and the retry that follows a failure.
    for (const job of jobOrder) {
      for (let run = 0; run < 2; run++) {
        await instance[job]().catch(() => undefined);
        w.clock.advance(6 * 60_000);
      }
    }
    const [faulty, clean] = await Promise.all([outcome(w), cleaning]);
    expect(faulty.inbox).toEqual(clean.inbox.filter((line) => !line.startsWith(rejected)));
    expect(faulty.ledger.filter((l) => l.includes('A00012'))).toEqual(['failed nudge#A00012.cardiff#2026-11-23#rung1', 'failed takeover-prompt#A00012.cardiff#2026-12-01']);
    expect(inboxLines(ses.accepted)).toEqual(faulty.inbox);
  });
});

describe.concurrent('SES throttling and 5xx under the stream watchers and one-time schedules', () => {
  it('on a fifth of sends: every introduction, welcome, fresh link, takeover notice and reminder goes once, and the table is a clean story’s', async ({ expect }) => {
    const ses = new MockSes();
    ses.refuse = aFifthRefused;
    const [clean, faulty] = await Promise.all([told({ provider: new Outbox() }), told({ provider: ses })]);
    expect(ses.refused).toBeGreaterThanOrEqual(4);
    expect(faulty.stats.failedRecords).toBe(0);
    expect(Object.values(faulty.stats.watcherFailedRecords).every((n) => n === 0)).toBe(true);

    expectSameAsClean(expect, faulty, clean);
    expect(faulty.pending).toEqual(clean.pending);
  });
});
