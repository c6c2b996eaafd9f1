/**
 * What failed after its retries, kept so a person can see it and, once the cause is
 * fixed, run it again (`npm run cli -- failures list | retry`). Every handler is
 * idempotent, so running a failure again is safe however often it is done.
 *
 * A stream record is kept whole (its images), not as a pointer into the stream: the
 * stream forgets it after 24 hours, and the fix may take longer than that.
 */

export interface Failure {
  /** Deterministic (see failureId): keeping the same failure twice keeps one. */
  id: string;
  /** When it failed (ISO), as the failure's own record says, else when it was kept. */
  at: string;
  /** What failed: a function's ARN in AWS, a local consumer's or job's name locally. */
  where: string;
  kind: 'stream-record' | 'invocation';
  /** The error's type and message, or the condition, as whatever gave up reported them. */
  why: string;
  /** How many times it was tried before it was given up on, when known. */
  attempts?: number;
  /**
   * What to run it again with: invoke `target` with `event` (for a stream record
   * `{ Records: [record] }`, for an invocation its original payload). Absent when what
   * failed could not be kept (a stream batch whose records had already left the stream).
   */
  replay?: { target: string; event: unknown };
  status: 'open' | 'retried';
  /** When a retry last succeeded. */
  retriedAt?: string;
  /** What the last retry that failed said, and when. */
  lastRetryError?: string;
  lastRetryAt?: string;
}

export interface FailureLog {
  /** Keeps a failure; false if it was kept already (the same id), which is then left as it is. */
  keep(failure: Failure): Promise<boolean>;
  /** Every failure kept (that has not expired), or those with `status`, oldest first. */
  list(status?: Failure['status']): Promise<Failure[]>;
  markRetried(id: string, at: Date): Promise<void>;
  markRetryFailed(id: string, why: string, at: Date): Promise<void>;
}

export type ReplayOutcome = { ok: true } | { ok: false; why: string };

/** Runs a failure's target again with its event: the Lambda function in AWS, the local consumer or job locally. */
export interface FailureReplay {
  invoke(target: string, event: unknown): Promise<ReplayOutcome>;
}

/**
 * One stream record, as Lambda hands it to a function (attribute values as DynamoDB's
 * JSON). Only the fields the failure log reads are named.
 */
export interface StreamRecordImage {
  eventID?: string;
  dynamodb?: { SequenceNumber?: string };
}

/** The records of one stream shard, from one sequence number to another, both included. */
export interface StreamRecords {
  read(streamArn: string, shardId: string, startSequenceNumber: string, endSequenceNumber: string): Promise<StreamRecordImage[]>;
}

/**
 * What a handler's answer means for a replay: a stream or queue handler reports records it
 * could not handle in `batchItemFailures`, which is a failure even though it returned.
 */
export function outcomeOfResult(result: unknown): ReplayOutcome {
  const failures = (result as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures;
  if (Array.isArray(failures) && failures.length > 0) {
    return { ok: false, why: `reported ${failures.length} record${failures.length > 1 ? 's' : ''} failed again (batchItemFailures; its log says why)` };
  }
  return { ok: true };
}

/** An error as a failure's `why`: its type and message. */
export function whyOf(error: unknown): string {
  if (error instanceof Error) return error.message ? `${error.name}: ${error.message}` : error.name;
  return String(error);
}
