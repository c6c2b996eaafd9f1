/**
 * What lands in the failure queues, read into failures: pure, no I/O (use-cases/failures.ts
 * keeps, lists and runs them again).
 *
 * The four shapes AWS puts in the failure queues (infra/constructs/*):
 *  - a stream event source mapping's on-failure record: `requestContext` (functionArn,
 *    condition, approximateInvokeCount), `responseContext`, and `DDBStreamBatchInfo` (the
 *    stream, shard and first and last sequence numbers): a pointer, so the records are read
 *    from the stream while it still has them (24 hours) and kept whole, one failure each;
 *  - a Lambda asynchronous invocation's on-failure destination record (the jobs, the
 *    reminder, mail feedback): `requestContext` (requestId, functionArn, condition,
 *    approximateInvokeCount), `requestPayload`, `responseContext.functionError` and
 *    `responsePayload` (errorType, errorMessage);
 *  - an EventBridge Scheduler dead-letter message: the body is the target's input, the
 *    message attributes ERROR_CODE, ERROR_MESSAGE, SCHEDULE_ARN, TARGET_ARN, RETRY_ATTEMPTS;
 *  - an EventBridge rule target's dead-letter message: the body is the event, the message
 *    attributes ERROR_CODE, ERROR_MESSAGE, RULE_ARN, TARGET_ARN, RETRY_ATTEMPTS.
 */
import { createHash } from 'node:crypto';
import * as z from '../zod.js';
import type { Failure, StreamRecordImage } from '../failure-log.js';

/** The same failure (what failed, and which record, request or message) always has the same id. */
export function failureId(where: string, key: string): string {
  return createHash('sha256').update(`${where}\n${key}`).digest('hex').slice(0, 16);
}

/** A function's ARN without `:$LATEST` (what an asynchronous invocation record names), so both shapes name it alike. */
const functionOf = (arn: string) => arn.replace(/:\$LATEST$/, '');

// ---------------------------------------------------------------------------------------
// What lands in the failure queues

/** One message of a failure queue, as Lambda's SQS event carries it. */
export interface FailureQueueMessage {
  messageId: string;
  body: string;
  messageAttributes?: Record<string, { stringValue?: string } | undefined>;
  attributes?: { SentTimestamp?: string };
}

/** A message that is none of the four shapes, or is missing what its shape needs. */
export class UnreadableFailureMessage extends Error {
  constructor(messageId: string, problem: string) {
    super(`Failure message ${messageId} cannot be read: ${problem}`);
    this.name = 'UnreadableFailureMessage';
  }
}

const requestContext = z.object({
  requestId: z.optional(z.string()),
  functionArn: z.string().check(z.minLength(1)),
  condition: z.optional(z.string()),
  approximateInvokeCount: z.optional(z.number()),
});
const responseContext = z.optional(z.nullable(z.object({ functionError: z.optional(z.nullable(z.string())) })));

const streamBatchRecord = z.object({
  requestContext,
  responseContext,
  timestamp: z.optional(z.string()),
  DDBStreamBatchInfo: z.object({
    shardId: z.string().check(z.minLength(1)),
    startSequenceNumber: z.string().check(z.minLength(1)),
    endSequenceNumber: z.string().check(z.minLength(1)),
    streamArn: z.string().check(z.minLength(1)),
    batchSize: z.optional(z.number()),
  }),
});

const invocationRecord = z.object({
  requestContext: z.extend(requestContext, { requestId: z.string().check(z.minLength(1)) }),
  responseContext,
  timestamp: z.optional(z.string()),
  requestPayload: z.unknown(),
  responsePayload: z.optional(z.nullable(z.unknown())),
});

const errorPayload = z.object({ errorType: z.optional(z.string()), errorMessage: z.optional(z.string()) });

/** A stream batch the on-failure record points at: its records are still to be read. */
export interface FailedStreamBatch {
  where: string;
  at: string;
  why: string;
  attempts?: number;
  streamArn: string;
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
}

export type ReadFailureMessage = { kind: 'failures'; failures: Failure[] } | { kind: 'stream-batch'; batch: FailedStreamBatch };

const attribute = (message: FailureQueueMessage, name: string) => message.messageAttributes?.[name]?.stringValue;

function parseJson(message: FailureQueueMessage): unknown {
  try {
    return JSON.parse(message.body);
  } catch {
    return undefined;
  }
}

const isoOr = (at: string | undefined, fallback: Date) => (at && !Number.isNaN(Date.parse(at)) ? new Date(at).toISOString() : fallback.toISOString());

/** When the message was sent (SQS's SentTimestamp, epoch milliseconds), else `now`. */
function sentAt(message: FailureQueueMessage, now: Date): string {
  const ms = Number(message.attributes?.SentTimestamp);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : now.toISOString();
}

function conditionWhy(condition: string | undefined, functionError: string | null | undefined): string {
  const why = condition ?? 'Failed';
  return functionError ? `${why} (functionError: ${functionError})` : why;
}

/**
 * What a failure-queue message says failed, without reading anything: the failures
 * themselves, or for a stream batch, where its records are. Throws UnreadableFailureMessage.
 */
export function readFailureMessage(message: FailureQueueMessage, now: Date): ReadFailureMessage {
  // The dead-letter messages of EventBridge Scheduler and of an EventBridge rule target: the body is what was to be delivered.
  const scheduleArn = attribute(message, 'SCHEDULE_ARN');
  const ruleArn = attribute(message, 'RULE_ARN');
  if (scheduleArn || ruleArn) {
    const target = attribute(message, 'TARGET_ARN');
    if (!target) throw new UnreadableFailureMessage(message.messageId, 'a dead-letter message without TARGET_ARN');
    const code = attribute(message, 'ERROR_CODE') ?? 'Error';
    const detail = attribute(message, 'ERROR_MESSAGE');
    const retries = Number(attribute(message, 'RETRY_ATTEMPTS'));
    const body = parseJson(message);
    const where = functionOf(target);
    return {
      kind: 'failures',
      failures: [
        {
          id: failureId(where, message.messageId),
          at: sentAt(message, now),
          where,
          kind: 'invocation',
          why: `${code}${detail ? `: ${detail}` : ''} (${scheduleArn ? `schedule ${scheduleArn}` : `rule ${ruleArn}`} could not deliver it)`,
          ...(Number.isInteger(retries) && retries >= 0 ? { attempts: retries + 1 } : {}),
          // An empty input is how Scheduler invokes a job that takes none.
          replay: { target: where, event: body ?? (message.body.trim() === '' ? {} : message.body) },
          status: 'open',
        },
      ],
    };
  }
  const body = parseJson(message);
  if (typeof body !== 'object' || body === null) throw new UnreadableFailureMessage(message.messageId, 'its body is not a JSON object, and it has no dead-letter attributes');
  if ('DDBStreamBatchInfo' in body) {
    const parsed = streamBatchRecord.safeParse(body);
    if (!parsed.success) throw new UnreadableFailureMessage(message.messageId, `a stream batch record ${z.prettifyError(parsed.error)}`);
    const { requestContext: request, responseContext: response, timestamp, DDBStreamBatchInfo: info } = parsed.data;
    return {
      kind: 'stream-batch',
      batch: {
        where: functionOf(request.functionArn),
        at: isoOr(timestamp, now),
        why: conditionWhy(request.condition, response?.functionError),
        ...(request.approximateInvokeCount !== undefined ? { attempts: request.approximateInvokeCount } : {}),
        streamArn: info.streamArn,
        shardId: info.shardId,
        startSequenceNumber: info.startSequenceNumber,
        endSequenceNumber: info.endSequenceNumber,
      },
    };
  }
  if ('requestPayload' in body) {
    const parsed = invocationRecord.safeParse(body);
    if (!parsed.success) throw new UnreadableFailureMessage(message.messageId, `an invocation record ${z.prettifyError(parsed.error)}`);
    const { requestContext: request, responseContext: response, timestamp, requestPayload, responsePayload } = parsed.data;
    const error = errorPayload.safeParse(responsePayload).data;
    const why = error?.errorType || error?.errorMessage ? [error.errorType, error.errorMessage].filter(Boolean).join(': ') : conditionWhy(request.condition, response?.functionError);
    const where = functionOf(request.functionArn);
    return {
      kind: 'failures',
      failures: [
        {
          id: failureId(where, request.requestId),
          at: isoOr(timestamp, now),
          where,
          kind: 'invocation',
          why,
          ...(request.approximateInvokeCount !== undefined ? { attempts: request.approximateInvokeCount } : {}),
          replay: { target: where, event: requestPayload ?? {} },
          status: 'open',
        },
      ],
    };
  }
  throw new UnreadableFailureMessage(message.messageId, 'none of the failure shapes (stream batch, invocation record, Scheduler or rule dead letter)');
}

/**
 * A stream batch's failures, one per record: each kept whole, so it can be run again after
 * the stream has forgotten it. Records the function's filter would not have let through
 * (the batch is a range of the shard, which holds every change) are not its failures.
 * When none is left to keep (the records have left the stream), the batch is kept as one
 * failure that says so and cannot be run again.
 */
export function failuresOfStreamBatch(batch: FailedStreamBatch, records: StreamRecordImage[], consumes: (record: StreamRecordImage) => boolean): Failure[] {
  const own = records.filter(consumes);
  const common = { at: batch.at, where: batch.where, kind: 'stream-record' as const, ...(batch.attempts !== undefined ? { attempts: batch.attempts } : {}), status: 'open' as const };
  if (own.length === 0) {
    const range = `${batch.shardId} ${batch.startSequenceNumber}..${batch.endSequenceNumber}`;
    return [
      {
        ...common,
        id: failureId(batch.where, range),
        why: `${batch.why}; its records (stream ${batch.streamArn}, shard ${range}) ${records.length === 0 ? 'had left the stream' : 'are none this function takes'} before they could be kept: nothing to run again`,
      },
    ];
  }
  return own.map((record, i) => ({
    ...common,
    id: failureId(batch.where, record.eventID ?? `${batch.shardId}/${record.dynamodb?.SequenceNumber ?? i}`),
    why: batch.why,
    replay: { target: batch.where, event: { Records: [record] } },
  }));
}
