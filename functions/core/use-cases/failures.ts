/**
 * Failures after every retry: kept from what lands in the failure queues (the failure
 * keeper; policies/failure-messages.ts reads the messages) or from the local stack's
 * stream poller and scheduler, listed for a person, and run again once the cause is fixed
 * (`npm run cli -- failures list | retry`).
 */
import { whyOf, type Failure, type FailureLog, type FailureReplay, type StreamRecordImage, type StreamRecords } from '../failure-log.js';
import type { Clock } from '../ports.js';
import { failuresOfStreamBatch, readFailureMessage, UnreadableFailureMessage, type FailureQueueMessage } from '../policies/failure-messages.js';

export interface FailureKeepingDeps {
  failures: FailureLog;
  streams: StreamRecords;
  /** Which stream records the function lets through (its event source mapping's filter); undefined for a function not known to read the stream. */
  consumerOf(functionArn: string): ((record: StreamRecordImage) => boolean) | undefined;
  clock: Clock;
}

/** The failures a failure-queue message holds, a stream batch's records read from the stream. */
export async function failuresOfQueueMessage(deps: Omit<FailureKeepingDeps, 'failures'>, message: FailureQueueMessage): Promise<Failure[]> {
  const read = readFailureMessage(message, deps.clock.now());
  if (read.kind === 'failures') return read.failures;
  const { batch } = read;
  const consumes = deps.consumerOf(batch.where);
  if (!consumes) throw new UnreadableFailureMessage(message.messageId, `${batch.where} is not a known stream consumer, so which of the batch's records are its own is unknown`);
  const records = await deps.streams.read(batch.streamArn, batch.shardId, batch.startSequenceNumber, batch.endSequenceNumber);
  return failuresOfStreamBatch(batch, records, consumes);
}

/** Keeps what a failure-queue message holds; how many failures were new, and how many kept already. */
export async function keepQueueMessage(deps: FailureKeepingDeps, message: FailureQueueMessage): Promise<{ kept: number; already: number }> {
  const result = { kept: 0, already: 0 };
  for (const failure of await failuresOfQueueMessage(deps, message)) {
    if (await deps.failures.keep(failure)) result.kept++;
    else result.already++;
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// Listing and running again

export interface FailureListing {
  failures: Failure[];
  open: number;
  retried: number;
}

/** The open failures (or, with `all`, every one kept), oldest first, and how many there are of each. */
export async function listFailures(deps: { failures: FailureLog }, options: { all?: boolean } = {}): Promise<FailureListing> {
  const every = await deps.failures.list();
  const open = every.filter((f) => f.status === 'open');
  return { failures: options.all ? every : open, open: open.length, retried: every.length - open.length };
}

export type RetryResult =
  | { outcome: 'retried'; failure: Failure }
  | { outcome: 'still-failing'; failure: Failure; why: string }
  | { outcome: 'skipped'; failure: Failure; why: string }
  | { outcome: 'unknown'; id: string };

export interface RetryReport {
  retried: number;
  stillFailing: number;
  /** Retried already and not named: not run again. */
  skipped: number;
  /** Named, but no such failure is kept. */
  unknown: number;
}

export class NothingToRetryError extends Error {
  constructor() {
    super('Name the failures to retry, or ask for all of them');
    this.name = 'NothingToRetryError';
  }
}

/**
 * Runs failures again: the named ones (even if retried already: asked for by name), or with
 * `all` every open one. Each that runs cleanly is marked retried; one that fails again stays
 * open with what it said. Safe to repeat: every handler is idempotent.
 */
export async function retryFailures(
  deps: { failures: FailureLog; replay: FailureReplay; clock: Clock },
  which: { ids?: string[]; all?: boolean },
  onResult: (result: RetryResult) => void = () => undefined,
): Promise<RetryReport> {
  const ids = which.ids ?? [];
  if (ids.length === 0 && !which.all) throw new NothingToRetryError();
  const report: RetryReport = { retried: 0, stillFailing: 0, skipped: 0, unknown: 0 };
  const every = await deps.failures.list();
  const byId = new Map(every.map((f) => [f.id, f]));
  const chosen: Failure[] = [];
  for (const id of new Set(ids)) {
    const failure = byId.get(id);
    if (failure) chosen.push(failure);
    else {
      report.unknown++;
      onResult({ outcome: 'unknown', id });
    }
  }
  if (which.all) {
    for (const failure of every) {
      if (ids.includes(failure.id)) continue;
      if (failure.status === 'open') chosen.push(failure);
      else {
        report.skipped++;
        onResult({ outcome: 'skipped', failure, why: `retried already${failure.retriedAt ? ` at ${failure.retriedAt}` : ''}` });
      }
    }
  }
  for (const failure of chosen) {
    if (!failure.replay) {
      report.stillFailing++;
      onResult({ outcome: 'still-failing', failure, why: 'nothing was kept to run it again with' });
      continue;
    }
    let why: string | undefined;
    try {
      const outcome = await deps.replay.invoke(failure.replay.target, failure.replay.event);
      if (!outcome.ok) why = outcome.why;
    } catch (error) {
      why = `could not run it: ${whyOf(error)}`;
    }
    if (why === undefined) {
      await deps.failures.markRetried(failure.id, deps.clock.now());
      report.retried++;
      onResult({ outcome: 'retried', failure });
    } else {
      await deps.failures.markRetryFailed(failure.id, why, deps.clock.now());
      report.stillFailing++;
      onResult({ outcome: 'still-failing', failure, why });
    }
  }
  return report;
}
