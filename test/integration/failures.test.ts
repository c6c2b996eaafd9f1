/**
 * Failures kept and run again, on DynamoDB Local: a real watcher fed by the local stream
 * poller gives up on a record, `npm run cli -- failures list | retry` (AWS mode: the real
 * Lambda SDK against a local stand-in for Lambda's Invoke) shows it and runs it again once
 * the cause is fixed; the failure keeper reads each shape AWS puts in the failure queues,
 * a stream batch's records from DynamoDB Local's own stream; and the local stack's path
 * (the CLI through `POST /dev/failures/replay`, the scheduler's failed runs).
 */
import { StreamReader } from '../support/stream.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { DynamoDBStreamEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock, MovableClock } from '../../functions/adapters/clock.js';
import { GetCommand, PutCommand } from '../../functions/adapters/dynamo/document-client.js';
import { eventItem, keys, registrationItem } from '../../functions/adapters/dynamo/items.js';
import { matchesFilter, newRegistrationFilter, streamConsumerFilters } from '../../functions/adapters/dynamo/stream-filters.js';
import { DynamoStreamRecords } from '../../functions/adapters/dynamo/stream-records.js';
import { createApp } from '../../functions/api/app.js';
import type { MailTransport, OutgoingEmail } from '../../functions/core/ports.js';
import { createFailureKeeper } from '../../functions/watchers/failure-keeper-handler.js';
import { createRegistrationWatcher } from '../../functions/watchers/registration-watcher-handler.js';
import { failureDeps, failureKeeperDeps } from '../../functions/failure-wiring.js';
import { apiDeps, mailDeps, storeDeps } from '../../functions/wiring.js';
import { runCli } from '../../local/cli.js';
import { devReplayRoutes, localFailureKeeping } from '../../local/dev-replay.js';
import { localAwsEnv } from '../../local/dynamodb-local.js';
import { LocalScheduler } from '../../local/scheduler.js';
import { startStreamPoller, type StreamPoller } from '../../local/stream-poller.js';
import { createTestTable } from '../support/dynamo.js';
import { loadEvent } from '../support/events.js';
import { anEvent, registrationBody, workingMonday } from '../support/fixtures.js';
import { mailSettings, RecordingTransport } from '../support/memory-ports.js';

const credentials = { accessKeyId: localAwsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: localAwsEnv.AWS_SECRET_ACCESS_KEY };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function cli(args: string[], env: Record<string, string | undefined>, runtimeFile = '/nonexistent/runtime.json') {
  const lines: string[] = [];
  const code = await runCli(args, { out: (l) => lines.push(l), env, runtimeFile });
  const last = lines.at(-1) ?? '';
  return { code, lines, summary: (last.startsWith('{') ? JSON.parse(last) : undefined) as Record<string, number> | undefined };
}

/** As it travels as JSON (an absent image is left out). */
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** SES refusing every send while `broken`; what got through is in `sent`. */
class SwitchableTransport implements MailTransport {
  broken = true;
  readonly delivered = new RecordingTransport();
  get sent() {
    return this.delivered.sent;
  }
  async send(email: OutgoingEmail) {
    if (this.broken) throw Object.assign(new Error('Sending paused for this account.'), { name: 'AccountSuspendedException' });
    return this.delivered.send(email);
  }
}

/**
 * Lambda's Invoke (`POST /2015-03-31/functions/{name}/invocations`, RequestResponse) over
 * HTTP, running the named handler in-process, so the CLI's LambdaReplay goes through the
 * real SDK: a handler that throws answers as Lambda does, with X-Amz-Function-Error.
 */
async function startFakeLambda(functions: Record<string, (event: unknown) => Promise<unknown>>) {
  const invocations: Array<{ name: string; event: unknown }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url ?? '');
        const name = match ? decodeURIComponent(match[1]!) : '';
        const fn = functions[name];
        if (req.method !== 'POST' || !fn) {
          res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
          res.end(JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }));
          return;
        }
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
        invocations.push({ name, event });
        try {
          const result = await fn(event);
          res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
          res.end(JSON.stringify(result ?? null));
        } catch (error) {
          const e = error as Error;
          res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST', 'x-amz-function-error': 'Unhandled' });
          res.end(JSON.stringify({ errorType: e.name, errorMessage: e.message, trace: [] }));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, invocations };
}

describe('a stream record a watcher gave up on, kept, listed and run again', () => {
  it('is listed with where and why, stays open while still failing, and once fixed runs once and is marked retried', async () => {
    const t = await createTestTable();
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: eventItem(anEvent()) }));
    const clock = new FixedClock(workingMonday);
    const store = storeDeps(t.doc, t.tableName, 'k'.repeat(48), clock);
    const transport = new SwitchableTransport();
    const watcher = createRegistrationWatcher(mailDeps(store, { ...mailSettings }, transport));
    const consumer = (event: DynamoDBStreamEvent) => watcher(event, {} as never);
    const { failures } = failureDeps(t.doc, t.tableName, clock);
    const poller: StreamPoller = startStreamPoller({
      endpoint: t.endpoint,
      region: localAwsEnv.AWS_REGION,
      credentials,
      streamArn: t.streamArn,
      consumers: [{ name: 'registration-watcher', filter: newRegistrationFilter, consumer }],
      maxRetries: 1,
      retryBaseMs: 10,
      pollMs: 20,
      onDeadLetter: localFailureKeeping(failures, clock).onDeadLetter,
    });
    cleanups.push(() => poller.stop());

    // A practice registers while SES refuses every send: the champion's confirmation cannot go.
    const app = createApp(apiDeps(store, { addresses: ['analyst@parkrun.example'] }));
    const registered = await app.request('/api/registrations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(registrationBody()) });
    expect(registered.status).toBe(201);
    await expect.poll(() => poller.deadLetters.length, { timeout: 60_000 }).toBe(1);
    await poller.drain();
    expect(transport.sent).toEqual([]);

    const lambda = await startFakeLambda({ 'registration-watcher': (event) => consumer(event as DynamoDBStreamEvent) });
    const env = { ...localAwsEnv, TABLE_NAME: t.tableName, AWS_ENDPOINT_URL_DYNAMODB: t.endpoint, AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint };

    const listed = await cli(['failures', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.lines).toHaveLength(2);
    const [id, at, where, kind, ...rest] = listed.lines[0]!.split('  ');
    expect({ where, kind, status: rest.at(-1) }).toEqual({ where: 'registration-watcher', kind: 'stream-record', status: 'open' });
    expect(rest.join('  ')).toMatch(/^retries exhausted: registration-watcher reported the record failed/);
    expect(at).toBe(workingMonday.toISOString());
    expect(listed.summary).toEqual({ open: 1, retried: 0 });
    const [kept] = await failures.list();
    const record = asJson(poller.deadLetters[0]!.record);
    expect(record.dynamodb?.NewImage?.entityType).toEqual({ S: 'PendingRegistration' });
    expect(kept).toEqual(expect.objectContaining({ id, attempts: 2, replay: { target: 'registration-watcher', event: { Records: [record] } } }));

    // Still broken: the retry runs it, it fails again, and it stays open with what it said.
    const stillBroken = await cli(['failures', 'retry', '--all'], env);
    expect(stillBroken.code).toBe(1);
    expect(stillBroken.lines[0]).toBe(`${id}  still failing  registration-watcher: reported 1 record failed again (batchItemFailures; its log says why)`);
    expect(stillBroken.summary).toEqual({ retried: 0, stillFailing: 1, skipped: 0, unknown: 0 });
    expect(lambda.invocations).toEqual([{ name: 'registration-watcher', event: { Records: [record] } }]);
    expect(transport.sent).toEqual([]);
    expect((await cli(['failures', 'list'], env)).lines[0]).toMatch(/ open \(last retry \S+: reported 1 record failed again/);
    expect(await failures.list('open')).toEqual([expect.objectContaining({ id, status: 'open', lastRetryError: expect.stringMatching(/failed again/) })]);

    // Fixed: it runs once, the email goes, and it is marked retried.
    transport.broken = false;
    const fixed = await cli(['failures', 'retry', '--all'], env);
    expect(fixed.code).toBe(0);
    expect(fixed.lines[0]).toBe(`${id}  retried  registration-watcher`);
    expect(fixed.summary).toEqual({ retried: 1, stillFailing: 0, skipped: 0, unknown: 0 });
    expect(transport.sent.map((e) => [e.to, e.subject])).toEqual([['jane.smith@nhs.example', 'Confirm your parkrun practice registration']]);
    const afterFix = await cli(['failures', 'list', '--all'], env);
    expect(afterFix.lines[0]).toMatch(new RegExp(`^${id}  .*  retried \\S+$`));
    expect(afterFix.summary).toEqual({ open: 0, retried: 1 });
    expect((await cli(['failures', 'list'], env)).lines).toEqual(['{"open":0,"retried":1}']);

    // Again: nothing is run, nothing more is sent.
    const again = await cli(['failures', 'retry', '--all'], env);
    expect(again.code).toBe(0);
    expect(again.summary).toEqual({ retried: 0, stillFailing: 0, skipped: 1, unknown: 0 });
    expect(lambda.invocations).toHaveLength(2);
    // Named, it runs again (asked for), and the handler's idempotency sends nothing twice.
    const named = await cli(['failures', 'retry', id!, 'no-such-failure'], env);
    expect(named.code).toBe(1);
    expect(named.lines).toContain('no-such-failure  unknown: no failure has this id');
    expect(named.summary).toEqual({ retried: 1, stillFailing: 0, skipped: 0, unknown: 1 });
    expect(lambda.invocations).toHaveLength(3);
    expect(transport.sent).toHaveLength(1);
  });

  it('explains its usage when called wrongly, and says when a function cannot be invoked', async () => {
    expect((await cli(['failures'], {})).code).toBe(2);
    expect((await cli(['failures', 'retry'], {})).code).toBe(2);
    expect((await cli(['failures', 'retry', '--force'], {})).code).toBe(2);
    const wrong = await cli(['failures', 'list', '--open'], {});
    expect(wrong.code).toBe(2);
    expect(wrong.lines[0]).toContain('npm run cli -- failures retry <id>... | --all');

    const t = await createTestTable();
    const { failures } = failureDeps(t.doc, t.tableName);
    await failures.keep({ id: 'f1', at: '2026-11-23T10:00:00.000Z', where: 'arn:aws:lambda:eu-west-2:1:function:gone', kind: 'invocation', why: 'Error: boom', replay: { target: 'arn:aws:lambda:eu-west-2:1:function:gone', event: {} }, status: 'open' });
    await failures.keep({ id: 'f2', at: '2026-11-23T10:00:01.000Z', where: 'throws', kind: 'invocation', why: 'Error: boom', replay: { target: 'throws', event: { job: 'x' } }, status: 'open' });
    const lambda = await startFakeLambda({
      throws: async () => {
        throw Object.assign(new Error('Table not found'), { name: 'ResourceNotFoundException' });
      },
    });
    const out = await cli(['failures', 'retry', 'f1', 'f2'], { ...localAwsEnv, TABLE_NAME: t.tableName, AWS_ENDPOINT_URL_DYNAMODB: t.endpoint, AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint });
    expect(out.code).toBe(1);
    expect(out.lines[0]).toMatch(/^f1  still failing  arn:aws:lambda:eu-west-2:1:function:gone: could not run it: ResourceNotFoundException: Function not found/);
    // The function threw: Lambda's error payload says what.
    expect(out.lines[1]).toBe('f2  still failing  throws: ResourceNotFoundException: Table not found');
    expect(lambda.invocations).toEqual([{ name: 'throws', event: { job: 'x' } }]);
    expect(await failures.list()).toEqual([
      expect.objectContaining({ id: 'f1', status: 'open', lastRetryError: expect.stringMatching(/ResourceNotFoundException: Function not found/) }),
      expect.objectContaining({ id: 'f2', status: 'open', lastRetryError: 'ResourceNotFoundException: Table not found' }),
    ]);
  });
});

describe('failure keeper', () => {
  const registrationFunction = 'arn:aws:lambda:eu-west-2:123456789012:function:ParkrunNudges-WatchersRegistrationWatcher-Ab12Cd34';

  /** Where DynamoDB Local's stream holds each record written so far: its shard and the record as Lambda delivers it. */
  const streamRecords = (t: Awaited<ReturnType<typeof createTestTable>>) => new StreamReader(t.streams, t.streamArn).nextWithShards();

  const registration = (id: string) =>
    registrationItem({
      id,
      practice: { code: 'A81001', name: 'Riverside Surgery', postcode: 'TW11 0AA', champion: { name: 'Dr Jane Smith', role: 'GP', email: 'jane.smith@nhs.example' } },
      eventShortNames: ['bushy'],
      contactedEventTeam: false,
      submittedAt: '2026-11-22T10:00:00.000Z',
    });

  async function setup() {
    const t = await createTestTable();
    // A failed batch is a range of the shard: two registrations with a token between them, which the watcher never saw.
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: registration('r-1') }));
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { ...keys.token('abc'), entityType: 'Token', purpose: 'contact' } }));
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: registration('r-2') }));
    const written = await streamRecords(t);
    expect(written.map((w) => w.record.eventName)).toEqual(['INSERT', 'INSERT', 'INSERT']);
    expect(new Set(written.map((w) => w.shardId)).size).toBe(1);
    const clock = new FixedClock(workingMonday);
    const streams = new DynamoStreamRecords({ endpoint: t.endpoint, region: localAwsEnv.AWS_REGION, credentials });
    const deps = failureKeeperDeps(t.doc, t.tableName, { 'ParkrunNudges-WatchersRegistrationWatcher-Ab12Cd34': 'registration-watcher' }, streams, clock);
    const keeper = createFailureKeeper(deps);
    const keep = (records: SQSRecord[]) => keeper({ Records: records } satisfies SQSEvent, {} as never);

    const message = (scenario: string) => loadEvent<SQSEvent>('sqs', scenario).Records[0]!;
    const streamMessage = message('stream-batch-failure');
    const batch = JSON.parse(streamMessage.body) as { DDBStreamBatchInfo: Record<string, unknown> };
    Object.assign(batch.DDBStreamBatchInfo, {
      streamArn: t.streamArn,
      shardId: written[0]!.shardId,
      startSequenceNumber: written[0]!.record.dynamodb!.SequenceNumber,
      endSequenceNumber: written[2]!.record.dynamodb!.SequenceNumber,
      batchSize: 2,
    });
    streamMessage.body = JSON.stringify(batch);
    const messages = { stream: streamMessage, invocation: message('invocation-failure'), scheduler: message('scheduler-dead-letter'), rule: message('rule-dead-letter') };
    return { t, deps, keep, messages, written };
  }

  it('keeps one failure per stream record (read from the stream) and per invocation, from each of the four shapes', async () => {
    const { t, deps, keep, messages, written } = await setup();
    expect(await keep(Object.values(messages))).toEqual({ batchItemFailures: [] });

    const kept = await deps.failures.list();
    const byWhere = (where: string) => kept.filter((f) => f.where === where);
    // The stream batch: the two registrations, whole, as the watcher would get them; not the token.
    const stream = byWhere(registrationFunction);
    expect(stream).toHaveLength(2);
    expect(new Set(stream.map((f) => JSON.stringify(f.replay?.event)))).toEqual(new Set([written[0], written[2]].map((w) => JSON.stringify({ Records: [w!.record] }))));
    for (const f of stream) {
      expect(f).toMatchObject({ kind: 'stream-record', at: '2026-11-22T10:05:00.000Z', why: 'RetryAttemptsExhausted', attempts: 6, status: 'open', replay: { target: registrationFunction } });
    }
    // The Scheduler's dead letter (sent 2026-11-22) is the older of the reminder function's two.
    expect(byWhere('arn:aws:lambda:eu-west-2:123456789012:function:ParkrunNudges-RemindersReminder-Ef56Gh78')).toEqual([
      expect.objectContaining({
        kind: 'invocation',
        at: new Date(1795320300000).toISOString(),
        why: expect.stringMatching(/^AWS\.Lambda\.AccessDeniedException: User is not authorized to perform: lambda:InvokeFunction \(schedule arn:aws:scheduler:.*newcomers-A81001-bushy-2026-12-05 could not deliver it\)$/),
        attempts: 3,
        replay: { target: expect.stringContaining('RemindersReminder'), event: JSON.parse(messages.scheduler.body) },
      }),
      {
        id: expect.stringMatching(/^[0-9a-f]{16}$/),
        at: '2026-11-23T09:00:41.000Z',
        where: 'arn:aws:lambda:eu-west-2:123456789012:function:ParkrunNudges-RemindersReminder-Ef56Gh78',
        kind: 'invocation',
        why: 'TooManyRequestsException: Maximum sending rate exceeded.',
        attempts: 3,
        replay: {
          target: 'arn:aws:lambda:eu-west-2:123456789012:function:ParkrunNudges-RemindersReminder-Ef56Gh78',
          event: { job: 'takeover-reminder', name: 'takeover-t-123-week-before', payload: { takeoverId: 't-123', reminder: 'week-before' } },
        },
        status: 'open',
      },
    ]);
    expect(byWhere('arn:aws:lambda:eu-west-2:123456789012:function:ParkrunNudges-MailFeedbackHandler-Mn34Op56')).toEqual([
      expect.objectContaining({
        kind: 'invocation',
        why: expect.stringMatching(/^NO_PERMISSIONS: EventBridge does not have permissions to invoke the target \(rule arn:aws:events:/),
        attempts: 1,
        replay: { target: 'arn:aws:lambda:eu-west-2:123456789012:function:ParkrunNudges-MailFeedbackHandler-Mn34Op56', event: JSON.parse(messages.rule.body) },
      }),
    ]);
    expect(kept).toHaveLength(5);

    // Kept 90 days, and no stream consumer is woken by a failure.
    const item = (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: keys.failure(stream[0]!.id) }))).Item!;
    expect(item.expiresAt).toBe(Math.floor(workingMonday.getTime() / 1000) + 90 * 86_400);
    const failureRecords = (await streamRecords(t)).map((w) => w.record).filter((r) => (r.dynamodb?.NewImage?.entityType as { S?: string } | undefined)?.S === 'Failure');
    expect(failureRecords).toHaveLength(5);
    for (const [name, filter] of Object.entries(streamConsumerFilters)) for (const r of failureRecords) expect(matchesFilter(filter, r), name).toBe(false);
  });

  it('keeps nothing new when the same messages come again', async () => {
    const { deps, keep, messages } = await setup();
    await keep(Object.values(messages));
    const before = await deps.failures.list();
    await deps.failures.markRetryFailed(before[0]!.id, 'still broken', workingMonday);
    const changed = await deps.failures.list();
    expect(await keep(Object.values(messages).reverse())).toEqual({ batchItemFailures: [] });
    expect(await deps.failures.list()).toEqual(changed);
    expect(changed).toHaveLength(5);
  });

  it('reports each message it cannot keep, and keeps the others', async () => {
    const { deps, keep, messages } = await setup();
    const notJson = { ...messages.rule, messageId: 'not-json', body: 'oops', messageAttributes: {} };
    const noShard = { ...messages.stream, messageId: 'no-shard', body: messages.stream.body.replace(/"shardId": ?"[^"]*",?/, '') };
    const unknownWatcher = { ...messages.stream, messageId: 'unknown-watcher', body: messages.stream.body.replace('RegistrationWatcher-Ab12Cd34', 'SomethingElse-Zz99') };
    const noTarget = { ...messages.scheduler, messageId: 'no-target', messageAttributes: { SCHEDULE_ARN: messages.scheduler.messageAttributes.SCHEDULE_ARN! } };
    expect(noShard.body).not.toContain('shardId');
    const response = await keep([notJson, messages.invocation, noShard, unknownWatcher, noTarget]);
    expect(response).toEqual({ batchItemFailures: ['not-json', 'no-shard', 'unknown-watcher', 'no-target'].map((itemIdentifier) => ({ itemIdentifier })) });
    expect((await deps.failures.list()).map((f) => f.why)).toEqual(['TooManyRequestsException: Maximum sending rate exceeded.']);
  });

  it('keeps a batch whose records have left the stream as one failure that cannot be run again', async () => {
    const { t, deps, keep, messages } = await setup();
    const gone = { ...messages.stream, messageId: 'gone', body: messages.stream.body.replace(/"shardId": ?"[^"]*"/, '"shardId":"shardId-00000000000000000000-00000000"') };
    expect(await keep([gone])).toEqual({ batchItemFailures: [] });
    const [failure] = await deps.failures.list();
    expect(failure).toMatchObject({ where: registrationFunction, kind: 'stream-record', why: expect.stringMatching(/^RetryAttemptsExhausted; its records .* had left the stream before they could be kept: nothing to run again$/) });
    expect(failure!.replay).toBeUndefined();
    const lambda = await startFakeLambda({});
    const out = await cli(['failures', 'retry', '--all'], { ...localAwsEnv, TABLE_NAME: t.tableName, AWS_ENDPOINT_URL_DYNAMODB: t.endpoint, AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint });
    expect(out.lines[0]).toBe(`${failure!.id}  still failing  ${registrationFunction}: nothing was kept to run it again with`);
    expect(out.code).toBe(1);
    expect(lambda.invocations).toEqual([]);
  });
});

describe('failures on the local stack', () => {
  async function localStack(t: Awaited<ReturnType<typeof createTestTable>>, targets: Record<string, (event: unknown) => Promise<unknown>>, clock: MovableClock) {
    const app = new Hono().get('/dev/clock', (c) => c.json({ now: clock.now().toISOString() })).route('/', devReplayRoutes((name) => targets[name]));
    const server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const runtimeFile = join(await mkdtemp(join(tmpdir(), 'failures-')), 'runtime.json');
    await writeFile(runtimeFile, JSON.stringify({ url, endpoint: t.endpoint, tableName: t.tableName, tokenSecret: 'k'.repeat(48) }));
    return { runtimeFile };
  }

  it('keeps a failed scheduled run, lists it by the local clock, and runs the job again through POST /dev/failures/replay', async () => {
    const t = await createTestTable();
    const clock = new MovableClock();
    clock.set(workingMonday);
    const { failures } = failureDeps(t.doc, t.tableName, clock);
    let broken = true;
    let runs = 0;
    const scheduler = new LocalScheduler(
      clock,
      [
        {
          name: 'held-mail',
          occurrences: (from, to) => (from < new Date(workingMonday.getTime() + 3_600_000) && to >= new Date(workingMonday.getTime() + 3_600_000) ? [new Date(workingMonday.getTime() + 3_600_000)] : []),
          run: async () => {
            runs++;
            if (broken) throw Object.assign(new Error('The table said no'), { name: 'ProvisionedThroughputExceededException' });
            return { due: 0 };
          },
        },
      ],
      localFailureKeeping(failures, clock).onJobFailed,
    );
    await scheduler.advance(2 * 3_600_000);
    expect(runs).toBe(1);
    const [kept] = await failures.list();
    expect(kept).toMatchObject({ where: 'held-mail', kind: 'invocation', why: 'ProvisionedThroughputExceededException: The table said no', at: '2026-11-23T11:00:00.000Z', replay: { target: 'held-mail', event: {} } });

    const consumerEvents: unknown[] = [];
    const { runtimeFile } = await localStack(
      t,
      {
        'held-mail': () => scheduler.runNow('held-mail'),
        'registration-watcher': async (event) => {
          consumerEvents.push(event);
          return { batchItemFailures: [] };
        },
      },
      clock,
    );
    const listed = await cli(['failures', 'list'], {}, runtimeFile);
    expect(listed.lines[0]).toMatch(new RegExp(`^${kept!.id}  2026-11-23T11:00:00.000Z  held-mail  invocation  ProvisionedThroughputExceededException: The table said no  open$`));

    const still = await cli(['failures', 'retry', '--all'], {}, runtimeFile);
    expect(still.code).toBe(1);
    expect(still.lines[0]).toBe(`${kept!.id}  still failing  held-mail: ProvisionedThroughputExceededException: The table said no`);
    broken = false;
    const fixed = await cli(['failures', 'retry', kept!.id], {}, runtimeFile);
    expect(fixed.code).toBe(0);
    expect(fixed.summary).toMatchObject({ retried: 1, stillFailing: 0 });
    expect(runs).toBe(3);
    // Marked by the local clock, which may have been moved on.
    expect(await failures.list()).toEqual([expect.objectContaining({ id: kept!.id, status: 'retried', retriedAt: expect.stringMatching(/^2026-11-23T12:00/) })]);

    // A stream record set aside locally goes back to its consumer by name.
    const record = loadEvent<DynamoDBStreamEvent>('dynamodb', 'registration-insert').Records[0]!;
    await localFailureKeeping(failures, clock).onDeadLetter('registration-watcher', [record], undefined, 6);
    const consumerRun = await cli(['failures', 'retry', '--all'], {}, runtimeFile);
    expect(consumerRun.code).toBe(0);
    expect(consumerEvents).toEqual([{ Records: [record] }]);
  });
});
