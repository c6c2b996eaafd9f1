import { marshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { Context, DynamoDBRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { log, redactPath } from '../../functions/log.js';
import { metricsNamespace } from '../../functions/metric-names.js';
import { observed, telemetry } from '../../functions/observability.js';
import { processNewImages } from '../../functions/watchers/stream-batch.js';

// As Lambda sets it for an on-demand instance, before the logger is made: what cold start detection reads.
vi.hoisted(() => {
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
});

/** Every line written to stdout or stderr while `act` runs, parsed, with the stream it went to. */
async function written(act: () => unknown): Promise<Array<{ stream: 'stdout' | 'stderr'; line: Record<string, unknown> }>> {
  const chunks: Array<{ stream: 'stdout' | 'stderr'; text: string }> = [];
  const grab = (stream: 'stdout' | 'stderr') => (chunk: unknown) => (chunks.push({ stream, text: String(chunk) }), true);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(grab('stdout') as never);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(grab('stderr') as never);
  try {
    await act();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return chunks.flatMap(({ stream, text }) => text.split('\n').filter((l) => l.trim()).map((l) => ({ stream, line: JSON.parse(l) as Record<string, unknown> })));
}

const lambdaContext = (awsRequestId: string): Context => ({
  awsRequestId,
  functionName: 'parkrun-nudges-QuietLinkSweep',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:parkrun-nudges-QuietLinkSweep',
  memoryLimitInMB: '512',
  logGroupName: '/aws/lambda/parkrun-nudges-QuietLinkSweep',
  logStreamName: '2026/11/23/[$LATEST]abc',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

describe('paths in logs', () => {
  it('never keep a token', () => {
    const token = 'LpPwenBXCCP_IJTfZ9cxLGYXXws8CdaLSet26zCwLX4';
    expect(redactPath(`/links/A81001.bushy/in-touch/${token}`)).toBe('/links/A81001.bushy/in-touch/[redacted]');
    expect(redactPath(`/unsubscribe/${token}`)).toBe('/unsubscribe/[redacted]');
    expect(redactPath(`/fresh-links/${token}/more`)).toBe('/fresh-links/[redacted]/more');
  });
  it('keep ordinary paths readable', () => {
    expect(redactPath('/api/registrations')).toBe('/api/registrations');
    expect(redactPath('/links/A81001.hackney-marshes/pause/x')).toBe('/links/A81001.hackney-marshes/pause/x');
  });
});

describe('the logger', () => {
  beforeEach(() => {
    vi.stubEnv('LOG_LEVEL', 'info');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('writes a warning as level WARN and an error as ERROR, with its fields, the service and the error', async () => {
    const lines = await written(() => {
      log.warn('Held mail: nothing to release', { held: 0 });
      log.error('Stream record failed', new TypeError('no new image'), { sequenceNumber: '7' });
    });
    expect(lines.map((l) => l.line)).toEqual([
      expect.objectContaining({ level: 'WARN', message: 'Held mail: nothing to release', held: 0, service: 'parkrun-practice-nudges' }),
      expect.objectContaining({ level: 'ERROR', message: 'Stream record failed', sequenceNumber: '7', error: expect.objectContaining({ name: 'TypeError', message: 'no new image' }) }),
    ]);
  });

  it('writes nothing when LOG_LEVEL is silent, in whatever case, set after it was made', async () => {
    vi.stubEnv('LOG_LEVEL', 'silent');
    expect(await written(() => log.error('Unhandled error', new Error('boom')))).toEqual([]);
    vi.stubEnv('LOG_LEVEL', 'WARN');
    expect((await written(() => (log.info('dropped'), log.warn('kept')))).map((l) => l.line.message)).toEqual(['kept']);
  });

  it('under the middleware, puts the request id and cold start on each line: true on the first invocation only', async () => {
    const handler = observed(middy<unknown, void>().handler(async () => log.info('Quiet-link sweep finished', { due: 0 })));
    const first = await written(() => handler({}, lambdaContext('req-1')));
    const second = await written(() => handler({}, lambdaContext('req-2')));
    expect(first.map((l) => l.line)).toEqual([
      expect.objectContaining({ level: 'INFO', message: 'Quiet-link sweep finished', function_request_id: 'req-1', cold_start: true, function_name: 'parkrun-nudges-QuietLinkSweep' }),
    ]);
    expect(second.map((l) => l.line)).toEqual([expect.objectContaining({ function_request_id: 'req-2', cold_start: false })]);
  });

  it('names the stream record being handled on each of its lines, and on no line after', async () => {
    const record = (eventID: string, image?: Record<string, unknown>): DynamoDBRecord => ({
      eventID,
      eventName: 'INSERT',
      dynamodb: { SequenceNumber: eventID, ...(image ? { NewImage: marshall(image) as never } : {}) },
    });
    const lines = await written(async () => {
      await processNewImages({ Records: [record('ev-1', { id: 'r1' }), record('ev-2')] }, async (image) => log.info('Handled', { id: image.id }));
      log.info('Batch done');
    });
    expect(lines.map((l) => l.line)).toEqual([
      expect.objectContaining({ message: 'Handled', id: 'r1', eventID: 'ev-1' }),
      expect.objectContaining({ level: 'ERROR', message: 'Stream record failed; reported for retry', eventID: 'ev-2', sequenceNumber: 'ev-2' }),
      expect.not.objectContaining({ eventID: expect.anything() }),
    ]);
  });
});

describe('the metrics', () => {
  const emf = (lines: Awaited<ReturnType<typeof written>>) => lines.map((l) => l.line).filter((l) => '_aws' in l);
  const definition = (doc: Record<string, unknown>) => (doc._aws as { CloudWatchMetrics: unknown[] }).CloudWatchMetrics[0];

  it('write each email sent as EMF: EmailsSent by template, in the namespace, with the service, when the invocation ends', async () => {
    const handler = observed(
      middy<unknown, void>().handler(async () => {
        telemetry.emailSent('quiet-link-nudge');
        telemetry.emailSent('quiet-link-nudge');
        telemetry.emailSent('fresh-link');
        telemetry.nudged(2);
        telemetry.answerRecorded('in-touch');
      }),
    );
    const docs = emf(await written(() => handler({}, lambdaContext('req-3'))));
    expect(docs.map(definition)).toEqual([
      { Namespace: metricsNamespace, Dimensions: [['service', 'template']], Metrics: [{ Name: 'EmailsSent', Unit: 'Count' }] },
      { Namespace: 'ParkrunPracticeNudges', Dimensions: [['service', 'template']], Metrics: [{ Name: 'EmailsSent', Unit: 'Count' }] },
      { Namespace: 'ParkrunPracticeNudges', Dimensions: [['service', 'rung']], Metrics: [{ Name: 'Nudges', Unit: 'Count' }] },
      { Namespace: 'ParkrunPracticeNudges', Dimensions: [['service', 'kind']], Metrics: [{ Name: 'Answers', Unit: 'Count' }] },
    ]);
    expect(docs.map(({ _aws, ...values }) => values)).toEqual([
      { service: 'parkrun-practice-nudges', template: 'quiet-link-nudge', EmailsSent: [1, 1] },
      { service: 'parkrun-practice-nudges', template: 'fresh-link', EmailsSent: 1 },
      { service: 'parkrun-practice-nudges', rung: '2', Nudges: 1 },
      { service: 'parkrun-practice-nudges', kind: 'in-touch', Answers: 1 },
    ]);
  });

  it('write nothing, not even a warning, for an invocation that counted nothing', async () => {
    const handler = observed(middy<unknown, void>().handler(async () => undefined));
    expect(await written(() => handler({}, lambdaContext('req-4')))).toEqual([]);
  });
});
