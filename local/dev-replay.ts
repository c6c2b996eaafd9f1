/**
 * Failures on the local stack, kept and run again as in AWS. What the stream poller sets
 * aside after its retries and a scheduled job run that failed are kept in the same failure
 * log the failure keeper fills in AWS (`where` and the replay target are the consumer's or
 * job's local name: `stream-router` for a record the router set aside, as in AWS), and
 * `POST /dev/failures/replay` runs a named consumer (a reader of the stream, or one watcher)
 * or job in-process with an event, for `npm run cli -- failures retry` (LocalReplay posts
 * to it). Local only.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { Hono } from 'hono';
import { outcomeOfResult, whyOf, type Failure, type FailureLog, type FailureReplay, type ReplayOutcome } from '../functions/core/failure-log.js';
import type { Clock } from '../functions/core/ports.js';
import { failureId } from '../functions/core/policies/failure-messages.js';

/** Runs what a local name stands for with an event: a stream consumer (`{ Records }`), or a job (which takes none). */
export type LocalReplayTarget = (event: unknown) => Promise<unknown>;

export const replayPath = '/dev/failures/replay';

/** `POST /dev/failures/replay` `{ target, event }`: `{ ok: true }`, or `{ ok: false, why }` (404 for a name nothing answers to). */
export function devReplayRoutes(targetOf: (name: string) => LocalReplayTarget | undefined) {
  return new Hono().post(replayPath, async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as { target?: unknown; event?: unknown } | undefined;
    if (typeof body?.target !== 'string' || body.target === '') return c.json({ ok: false, why: 'Send JSON {"target": <consumer or job name>, "event": ...}' } satisfies ReplayOutcome, 400);
    const run = targetOf(body.target);
    if (!run) return c.json({ ok: false, why: `No local consumer or job named ${body.target}` } satisfies ReplayOutcome, 404);
    try {
      return c.json(outcomeOfResult(await run(body.event ?? {})));
    } catch (error) {
      return c.json({ ok: false, why: whyOf(error) } satisfies ReplayOutcome);
    }
  });
}

/** The CLI's way to run a failure again on the local stack: through its replay endpoint. */
export class LocalReplay implements FailureReplay {
  constructor(private readonly baseUrl: string) {}

  async invoke(target: string, event: unknown): Promise<ReplayOutcome> {
    const res = await fetch(`${this.baseUrl}${replayPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ target, event }) });
    const answer = (await res.json().catch(() => undefined)) as Partial<ReplayOutcome> | undefined;
    if (answer?.ok === true) return { ok: true };
    if (answer?.ok === false && 'why' in answer && typeof answer.why === 'string') return { ok: false, why: answer.why };
    throw new Error(`The local stack's ${replayPath} answered ${res.status} without an outcome`);
  }
}

/**
 * The local stack's hooks that keep failures: one per stream record set aside (as the
 * failure keeper keeps a failed batch's records), one per failed run of a job.
 */
export function localFailureKeeping(failures: FailureLog, clock: Clock) {
  const keep = async (failure: Failure) => {
    await failures.keep(failure);
  };
  return {
    onDeadLetter: async (consumer: string, records: DynamoDBRecord[], error: unknown, attempts: number) => {
      const why = error === undefined ? `retries exhausted: ${consumer} reported the record failed (batchItemFailures; its log says why)` : `retries exhausted: ${whyOf(error)}`;
      for (const [i, record] of records.entries()) {
        await keep({
          id: failureId(consumer, record.eventID ?? `${record.dynamodb?.SequenceNumber ?? i}`),
          at: clock.now().toISOString(),
          where: consumer,
          kind: 'stream-record',
          why,
          attempts,
          replay: { target: consumer, event: { Records: [record] } },
          status: 'open',
        });
      }
    },
    onJobFailed: async (job: string, error: unknown, at: Date) => {
      await keep({
        id: failureId(job, at.toISOString()),
        at: at.toISOString(),
        where: job,
        kind: 'invocation',
        why: whyOf(error),
        attempts: 1,
        replay: { target: job, event: {} },
        status: 'open',
      });
    },
  };
}
