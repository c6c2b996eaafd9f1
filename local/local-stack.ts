/**
 * The whole product on one machine: DynamoDB Local with the real table, demo data, the
 * HTTP API, the local mailbox standing in for SES, the stream watchers fed from DynamoDB
 * Local's stream, and the local scheduler for the recurring jobs and one-time reminders. `npm start` runs it; end-to-end tests start it on a free port.
 */
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { createApp } from '../functions/api/app.js';
import { loadHeadOfficeConfig, loadWatcherConfig } from '../functions/config.js';
import { MovableClock } from '../functions/adapters/clock.js';
import { TokenKeyring } from '../functions/adapters/token-secret.js';
import type { DynamoCallHook } from '../functions/adapters/dynamo/document-client.js';
import type { WatcherName } from '../functions/adapters/dynamo/stream-filters.js';
import { inProcessStreamReaders, type StreamEventHandler } from '../functions/watchers/stream-router-handler.js';
import { runFeedbackAsks } from '../functions/core/use-cases/attendance-feedback.js';
import { createFirstTimerWatcher } from '../functions/watchers/first-timer-watcher-handler.js';
import { createHeadOfficeWatcher } from '../functions/watchers/head-office-watcher-handler.js';
import { runTakeoverPrompts } from '../functions/core/use-cases/takeover-planning.js';
import { reminderDispatch } from '../functions/jobs/reminder-handler.js';
import { createTakeoverWatcher } from '../functions/watchers/takeover-watcher-handler.js';
import { LocalReminders } from './local-reminders.js';
import { createFreshLinkWatcher } from '../functions/watchers/fresh-link-watcher-handler.js';
import { createHandoverWatcher } from '../functions/watchers/handover-watcher-handler.js';
import { createRegistrationWatcher } from '../functions/watchers/registration-watcher-handler.js';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { runQuietLinkSweep } from '../functions/core/use-cases/quiet-link-sweep.js';
import { weekdayOccurrences } from '../functions/core/policies/event-dates.js';
import { feedbackSchedule, heldMailSchedule, quietLinkSweepSchedule, takeoverPromptSchedule } from '../functions/jobs/schedules.js';
import { releaseHeldMail } from '../functions/core/use-cases/held-mail.js';
import { apiDeps, mailDeps, storeDeps, type StoreDeps } from '../functions/wiring.js';
import { failureDeps } from '../functions/failure-wiring.js';
import { devHomeRoutes } from './dev-home.js';
import { devReplayRoutes, localFailureKeeping } from './dev-replay.js';
import { LocalScheduler } from './scheduler.js';
import { loadDemoData } from './demo-data.js';
import { localAwsEnv, localDocumentClient, localDynamoClient, startDynamoDbLocal, type RunningDynamoDbLocal } from './dynamodb-local.js';
import { Mailbox, mailboxRoutes, sesEndpointRoutes } from './mailbox.js';
import { startStreamPoller, type StreamPoller } from './stream-poller.js';
import { createTable } from './table.js';
import { startReplyInbox, type ReplyInbox } from './reply-inbox.js';
import { receiveReply } from '../functions/core/use-cases/email-reply.js';
import { earliestDue } from '../functions/adapters/dynamo/due-index.js';
import type { DueJob } from '../functions/adapters/dynamo/items.js';

export interface LocalStackOptions {
  /** 0 picks a free port. */
  port: number;
  demoData?: boolean;
  /** Where to tell `npm run cli` how to reach this stack; absent = nowhere. */
  runtimeFile?: string;
  /** Where the local clock starts (default: now). Tests start inside practice hours, where mail is not held. */
  start?: Date;
  /** Sees every call the product makes to DynamoDB: the simulation counts items read through it. */
  instrument?: DynamoCallHook;
  /** For tests: awaited once everything is wired, just before the server starts answering (until then it answers 503). */
  beforeReady?: (url: string) => Promise<void>;
  /** Settings over the environment's for this stack only (functions/config.ts names them), e.g. a story's digest interval. */
  settings?: Record<string, string>;
  /**
   * Run every scheduled run, even those that would find nothing due (the simulation, which
   * counts what each run reads); by default such runs are skipped, so moving the clock weeks
   * on takes seconds.
   */
  everyRun?: boolean;
  /**
   * A DynamoDB Local already running (the test run's, test/support/local-stack.ts) to make
   * the table on, rather than starting one: its owner stops it, and names the table in
   * `settings.TABLE_NAME` when the instance is shared.
   */
  dynamoEndpoint?: string;
  /** The local reply inbox's SMTP port (reply-inbox.ts); default SMTP_PORT, else 2525; 0 picks a free one. */
  smtpPort?: number;
}

export interface LocalStack {
  url: string;
  /** DynamoDB Local's endpoint and the table on it, for tools that look at the data directly. */
  endpoint: string;
  tableName: string;
  mailbox: Mailbox;
  clock: MovableClock;
  /** The same adapters the API uses, for looking at the data. */
  store: StoreDeps;
  /** The stream reader feeding every watcher: one reader, handing the stack's two stream readers (the stream router and the head-office watcher) their filtered batches, as their event source mappings do. */
  watchers: StreamPoller[];
  /** Resolves once every watcher has handled everything written so far. */
  drain(): Promise<void>;
  scheduler: LocalScheduler;
  /** The SMTP server standing in for SES receiving: replies to `reply+…@` addresses (reply-inbox.ts). */
  replies: ReplyInbox;
  stop(): Promise<void>;
  /** For exit handlers: ends the DynamoDB Local process at once. */
  kill(): void;
}

/** Settings for local runs; anything already set in the environment wins. */
const localDefaults = {
  TABLE_NAME: 'parkrun-practice-nudges',
  TOKEN_SECRET: 'local-only-token-secret-never-used-in-aws-0123456789',
  MAIL_FROM: 'parkrun practice nudges <nudges@parkrun-practice.example>',
  MAIL_REPLY_TO: 'health@parkrun-practice.example',
  /** The demo head-office address: sign in with it at /head-office and find the link in /dev/mail. */
  HEAD_OFFICE_ALLOWLIST: 'headoffice@parkrun.example',
  /** Replies to emails about a link go to `reply+<token>@` this, which the local reply inbox takes. */
  MAIL_REPLY_DOMAIN: 'reply.parkrun-practice.example',
};

function listen(fetch: (request: Request) => Response | Promise<Response>, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    // This machine only: the mailbox holds working links and /dev moves the clock.
    const server = serve({ fetch, port, hostname: '127.0.0.1' }, () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} is in use; set PORT to another port`) : error),
    );
  });
}

/**
 * What every page and /health answers while the stack is starting: a plain 503 that says
 * to come back, rather than a 500 from a half-wired app. A browser or script polling
 * /health (or a page opened as soon as `npm start` prints its address) sees it.
 */
export const notReadyRetryAfterSeconds = 3;
function notReady(c: Context) {
  return c.text('parkrun practice nudges is starting. Try again in a few seconds.', 503, { 'Retry-After': String(notReadyRetryAfterSeconds), 'Cache-Control': 'no-store' });
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const clock = new MovableClock();
  if (options.start) clock.set(options.start);
  // Stamped by the local clock, so mail sent in moved-on time shows when it was "sent".
  const mailbox = new Mailbox(() => clock.now());
  /**
   * The dev pages, the mailbox pages and the product's app, set once everything is wired;
   * until then every request but SES's gets notReady. The server listens first, so the
   * port answers (and a port in use is reported) before the slow part, DynamoDB Local's start.
   * The SES endpoint answers from the start: the watchers may send mail before the pages are ready.
   * The node server's bindings (its `incoming` request) are handed on, so the app sees the socket's address.
   */
  let ready: Hono | undefined;
  const local = new Hono().route('/', sesEndpointRoutes(mailbox)).all('*', (c) => (ready ? ready.fetch(c.req.raw, c.env) : notReady(c)));
  const server: ServerType = await listen(local.fetch, options.port);
  let dynamo: Pick<RunningDynamoDbLocal, 'endpoint' | 'stop' | 'kill'> | undefined;
  const watchers: StreamPoller[] = [];
  let replies: ReplyInbox | undefined;
  try {
    const lent = options.dynamoEndpoint;
    dynamo = lent ? { endpoint: lent, stop: async () => undefined, kill: () => undefined } : await startDynamoDbLocal();
    const port = (server.address() as AddressInfo).port;
    const url = `http://localhost:${port}`;

    for (const [name, value] of Object.entries(localDefaults)) process.env[name] ??= value;
    Object.assign(process.env, localAwsEnv, {
      // The SDK's own endpoint variables: the same adapters, pointed at local services.
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamo.endpoint,
      AWS_ENDPOINT_URL_SESV2: url,
    });
    // This stack's own address, unless the operator set one (a tunnel): not written to the environment, so a second stack in the process has its own.
    const config = loadWatcherConfig({ ...process.env, PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? url, ...options.settings });
    const client = localDynamoClient(dynamo.endpoint);
    const { streamArn } = await createTable(client, config.tableName);
    const doc = localDocumentClient(dynamo.endpoint, options.instrument);
    if (options.demoData !== false) await loadDemoData(doc, config.tableName, clock.now());
    if (!('secret' in config.tokenSecret)) throw new Error('Locally, set TOKEN_SECRET rather than TOKEN_SECRET_ARN');

    const store = storeDeps(doc, config.tableName, await TokenKeyring.fromSource(config.tokenSecret, clock), clock, config.nudgePolicy, config.limits);
    const api = apiDeps(store, loadHeadOfficeConfig().allowlist);
    const app = createApp(api);
    const withMail = mailDeps(store, config.mail);
    const reminders = new LocalReminders();
    // The same watchers (stream-filters.ts's registry) and handlers as the stack's functions.
    const called = <E, R>(handler: (event: E, context: never) => Promise<R>) => (event: E) => handler(event, {} as never);
    const watcherHandlers: Record<WatcherName, StreamEventHandler> = {
      'registration-watcher': called(createRegistrationWatcher(withMail)),
      'handover-watcher': called(createHandoverWatcher(withMail)),
      'fresh-link-watcher': called(createFreshLinkWatcher({ ...withMail, allowlist: api.allowlist })),
      'takeover-watcher': called(createTakeoverWatcher({ ...withMail, reminders })),
      'first-timer-watcher': called(createFirstTimerWatcher({ ...withMail, reminders })),
      'head-office-watcher': called(createHeadOfficeWatcher(store)),
    };
    // And the same readers of the stream as the stack's mappings: the stream router, running the watchers it feeds in-process, and the head-office watcher.
    const readers = inProcessStreamReaders(watcherHandlers);
    // What fails after its retries is kept in the failure log, as the failure keeper keeps it in AWS (`npm run cli -- failures`).
    const keeping = localFailureKeeping(failureDeps(doc, config.tableName, clock).failures, clock);
    watchers.push(
      startStreamPoller({
        endpoint: dynamo.endpoint,
        region: localAwsEnv.AWS_REGION,
        credentials: { accessKeyId: localAwsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: localAwsEnv.AWS_SECRET_ACCESS_KEY },
        streamArn,
        consumers: readers,
        onDeadLetter: keeping.onDeadLetter,
      }),
    );
    /**
     * Until the stream is quiet. One poller feeds every watcher, and its drain waits for a
     * pass that began with every watcher idle and found nothing: what one watcher writes
     * for another has been read by then, so one round is enough. (A second round, to make
     * sure, cost every drain a pass: a few seconds a simulated week.)
     */
    const drain = () => Promise.all(watchers.map((w) => w.drain())).then(() => undefined);
    /**
     * A run that did something waits for the watchers before the clock moves on, so what it
     * set going (metrics, reminders) happens at its time, as it would in AWS; runs that
     * found nothing due skip the wait, so moving the clock weeks on stays quick.
     */
    const settled = <R extends { due: number }>(run: () => Promise<R>) => async () => {
      const report = await run();
      if (report.due > 0) await drain();
      return report;
    };
    /** Skips the runs of a job before its earliest due work (local/scheduler.ts), unless every run is wanted. */
    const whenDue = (job: DueJob) => (options.everyRun ? {} : { nextWork: () => earliestDue(doc, config.tableName, job) });
    const scheduler = new LocalScheduler(clock, [
      {
        name: quietLinkSweepSchedule.name,
        occurrences: (from, to) => weekdayOccurrences(from, to, quietLinkSweepSchedule.hours, quietLinkSweepSchedule.timeZone),
        run: settled(() => runQuietLinkSweep(withMail)),
        ...whenDue('DUE'),
      },
      {
        name: takeoverPromptSchedule.name,
        occurrences: (from, to) => weekdayOccurrences(from, to, takeoverPromptSchedule.hours, takeoverPromptSchedule.timeZone, takeoverPromptSchedule.days),
        run: settled(() => runTakeoverPrompts(withMail)),
      },
      {
        name: feedbackSchedule.name,
        occurrences: (from, to) => weekdayOccurrences(from, to, feedbackSchedule.hours, feedbackSchedule.timeZone, feedbackSchedule.days),
        run: settled(() => runFeedbackAsks(withMail)),
      },
      {
        name: heldMailSchedule.name,
        occurrences: (from, to) => weekdayOccurrences(from, to, heldMailSchedule.hours, heldMailSchedule.timeZone, heldMailSchedule.days),
        run: settled(() => releaseHeldMail(withMail)),
        ...whenDue('HELD'),
      },
      // One-time reminders fire after a drain, so a plan fixed a moment ago has its reminders.
      reminders.asJob(async (job, payload, name) => {
        await drain();
        return reminderDispatch(withMail)(job, payload, name);
      }, clock),
    ], keeping.onJobFailed, drain);
    scheduler.start();
    const replyDomain = config.mail.replyDomain;
    if (!replyDomain) throw new Error('Locally, set MAIL_REPLY_DOMAIN (the local reply inbox takes mail for it)');
    const inbox = await startReplyInbox({
      port: options.smtpPort ?? Number(process.env.SMTP_PORT ?? 2525),
      replyDomain,
      clock,
      receive: (reply) => receiveReply({ ...withMail, replyDomain, headOfficeEmail: config.mail.replyTo }, reply),
    });
    replies = inbox;
    if (options.runtimeFile) {
      mkdirSync(dirname(options.runtimeFile), { recursive: true });
      writeFileSync(
        options.runtimeFile,
        JSON.stringify({ url, endpoint: dynamo.endpoint, tableName: config.tableName, tokenSecret: config.tokenSecret.secret, pid: process.pid }, null, 2),
      );
    }

    await options.beforeReady?.(url);
    // The mailbox and dev pages answer first; anything else goes to the product's own app.
    const devHome = devHomeRoutes({ store, clock, scheduler, drain });
    // `npm run cli -- failures retry` runs a kept failure's consumer or job here, by its local name.
    // A reader's name runs what its mapping would (the router: every watcher the records are for); a watcher's name, that watcher alone.
    const replayTargets = new Map<string, (event: unknown) => Promise<unknown>>([
      ...readers.map(({ name, consumer }) => [name, (event: unknown) => consumer(event as never)] as const),
      ...Object.entries(watcherHandlers).map(([name, handler]) => [name, (event: unknown) => handler(event as never)] as const),
    ]);
    const devReplay = devReplayRoutes((name) => replayTargets.get(name) ?? (scheduler.jobNames().includes(name) ? () => scheduler.runNow(name) : undefined));
    ready = new Hono()
      .route('/dev', mailboxRoutes(mailbox, { smtpPort: inbox.port }))
      .route('/', devReplay)
      .route('/', devHome)
      .all('*', (c) => app.fetch(c.req.raw, c.env));
    const started = dynamo;
    return {
      url,
      endpoint: dynamo.endpoint,
      tableName: config.tableName,
      mailbox,
      clock,
      store,
      watchers,
      scheduler,
      replies: inbox,
      drain,
      kill: () => {
        if (options.runtimeFile) rmSync(options.runtimeFile, { force: true });
        started.kill();
      },
      async stop() {
        if (options.runtimeFile) rmSync(options.runtimeFile, { force: true });
        await scheduler.stop();
        await inbox.stop();
        await Promise.all(watchers.map((w) => w.stop()));
        await new Promise<void>((resolve) => server.close(() => resolve()));
        client.destroy();
        await started.stop();
      },
    };
  } catch (error) {
    await replies?.stop();
    await Promise.all(watchers.map((w) => w.stop()));
    server.close();
    await dynamo?.stop();
    throw error;
  }
}
