/**
 * A story that wakes every stream watcher and both kinds of one-time schedule, told the
 * same way in every world so that worlds can be compared: two practices register, a
 * director names a first-timer contact who confirms, a champion says patients are coming,
 * a takeover is offered, goes into the directors' digest and is fixed, the champion hands
 * over and the successor accepts, a director asks for a fresh link, and the newcomer notice and the takeover's four
 * reminders fire at their times.
 *
 * What varies between worlds is how the machinery behaves: each stream batch delivered
 * once, twice, or again later; each schedule fired once, twice, or twice at once; faults
 * on the watchers' DynamoDB client or on SES; a watcher's function failing outright. The
 * stream is DynamoDB Local's own, read as Lambda would get it, by the stream's two readers
 * as the stack has them (inProcessStreamReaders, as the local stack runs them): the stream
 * router, which hands each of the five mail watchers its own records of a batch and reports
 * the union of their failures, and the head-office watcher on its own mapping. Each reader's
 * records come in its mapping's batch size, in stream order; a batch whose records fail is
 * delivered again to that reader from the first failed record on, as Lambda does with
 * partial batch responses, so a record one routed watcher failed reaches the other routed
 * watchers it matches again too.
 */
import { StreamReader } from '../support/stream.js';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createApp } from '../../functions/api/app.js';
import { MovableClock } from '../../functions/adapters/clock.js';
import { eventItem } from '../../functions/adapters/dynamo/items.js';
import { streamWatchers, type WatcherName } from '../../functions/adapters/dynamo/stream-filters.js';
import { MessageInFlightError } from '../../functions/core/errors.js';
import type { OutgoingEmail, ReminderRequest } from '../../functions/core/ports.js';
import { runQuietLinkSweep } from '../../functions/core/use-cases/quiet-link-sweep.js';
import { runTakeoverPrompts } from '../../functions/core/use-cases/takeover-planning.js';
import { reminderDispatch } from '../../functions/jobs/reminder-handler.js';
import { createFirstTimerWatcher } from '../../functions/watchers/first-timer-watcher-handler.js';
import { createFreshLinkWatcher } from '../../functions/watchers/fresh-link-watcher-handler.js';
import { createHandoverWatcher } from '../../functions/watchers/handover-watcher-handler.js';
import { createHeadOfficeWatcher } from '../../functions/watchers/head-office-watcher-handler.js';
import { confirmationIn } from '../support/registrations.js';
import { createRegistrationWatcher } from '../../functions/watchers/registration-watcher-handler.js';
import { createTakeoverWatcher } from '../../functions/watchers/takeover-watcher-handler.js';
import { inProcessStreamReaders, type StreamEventHandler } from '../../functions/watchers/stream-router-handler.js';
import { ConsumerFunctionError } from '../../functions/adapters/lambda-invoke.js';
import { TooManyRequestsException } from '@aws-sdk/client-lambda';
import { apiDeps, headOfficeWatchDeps, mailDeps, storeDeps } from '../../functions/wiring.js';
import type { FunctionName } from '../../infra/table-access.js';
import { localDocumentClient } from '../../local/dynamodb-local.js';
import { asFunction, observingHook, type CallObserver } from '../support/table-calls.js';
import { LocalReminders } from '../../local/local-reminders.js';
import { matchesFilter } from '../../local/stream-filter.js';
import { createTestTable } from '../support/dynamo.js';
import { anEvent, registrationBody } from '../support/fixtures.js';
import { linksIn, pathOf } from '../support/magic-links.js';
import { FixedClock, mailSettings } from '../support/memory-ports.js';
import { defaultMailBudget } from '../../functions/core/policies/mail-budget.js';
import { FaultyDynamo, inboxLines, ledger, putItems, rerunAfterMs, settle, snapshot, tokenSecret, type DynamoFault, type Provider } from './support.js';
import { analystOnly } from '../support/memory-ports.js';

/** Monday 23 November 2026, 10:00 in London. */
export const storyStart = new Date('2026-11-23T10:00:00Z');

export interface StoryOptions {
  provider: Provider;
  /** Each stream batch reaches its watcher once, twice in a row, or once and again at the next delivery (after the story's next step). */
  delivery?: 'once' | 'twice' | 'late';
  /** Each one-time schedule fires once, twice in a row, or twice at once (two invocations). */
  firing?: 'once' | 'twice' | 'concurrently';
  /** Refusals on the watchers', jobs' and reminders' DynamoDB client; people's clicks go through a healthy one. */
  fault?: DynamoFault;
  /** Told of every call each function makes to the table (run inside asFunction), for holding them to its grant. */
  observe?: CallObserver;
  /**
   * Whether a watcher's function fails outright on its n-th invocation (1-based, per
   * watcher), as the router's invoke of it would: 'before' it runs (the invoke refused,
   * throttled), or 'after' it has done its work (timed out before it answered).
   */
  failInvocation?: (watcher: WatcherName, n: number) => 'before' | 'after' | undefined;
}

export const watcherNames = Object.keys(streamWatchers) as WatcherName[];

type Handler = (event: DynamoDBStreamEvent, context: never) => Promise<DynamoDBBatchResponse | void>;

export async function storyWorld(options: StoryOptions) {
  const { provider } = options;
  const t = await createTestTable();
  const cardiff = anEvent({ shortName: 'cardiff', name: 'Cardiff parkrun', country: 'Wales', region: 'Wales', eventDirectors: [{ name: 'Rhys Evans', email: 'rhys@parkrun.example' }] });
  await putItems(t.doc, t.tableName, [eventItem(anEvent()), eventItem(cardiff)]);
  const clock = new MovableClock(new FixedClock(storyStart));
  /** People's side (the API) and the test's own setting up: a healthy client. */
  const people = storeDeps(t.doc, t.tableName, tokenSecret, clock);
  const apiStore = options.observe ? storeDeps(localDocumentClient(t.endpoint, observingHook(options.observe)), t.tableName, tokenSecret, clock) : people;
  const api = createApp(apiDeps(apiStore, { addresses: ['analyst@parkrun.example'] }));
  /** The API, as its Lambda function. */
  const app = { request: (...args: Parameters<typeof api.request>) => asFunction('api', async () => api.request(...args)) };
  const worker = new FaultyDynamo(t.endpoint, options.observe ? { observe: options.observe } : {});
  worker.fault = options.fault;
  const store = storeDeps(worker.doc, t.tableName, tokenSecret, clock);
  // The weekly budget of unasked email, without the monthly count: the story's November is
  // busier than any director's would be (two introductions, a digest and a takeover in a
  // week), and the monthly count has its own tests (mail-budget).
  const deps = mailDeps(store, { ...mailSettings, budget: { ...defaultMailBudget, unaskedPerMonth: 31 } }, provider.transport());
  const reminders = new LocalReminders();
  /** Each watcher's own function: its handler, run as that function (for the grants), on its own copy of the event (Lambda's invoke serialises it). */
  const functions: Record<WatcherName, { fn: FunctionName; handler: Handler }> = {
    'registration-watcher': { fn: 'registrationWatcher', handler: createRegistrationWatcher(deps) as Handler },
    'handover-watcher': { fn: 'handoverWatcher', handler: createHandoverWatcher(deps) as Handler },
    'fresh-link-watcher': { fn: 'freshLinkWatcher', handler: createFreshLinkWatcher({ ...deps, allowlist: analystOnly }) as Handler },
    'takeover-watcher': { fn: 'takeoverWatcher', handler: createTakeoverWatcher({ ...deps, reminders }) as Handler },
    'first-timer-watcher': { fn: 'firstTimerWatcher', handler: createFirstTimerWatcher({ ...deps, reminders }) as Handler },
    'head-office-watcher': { fn: 'headOfficeWatcher', handler: createHeadOfficeWatcher(headOfficeWatchDeps(worker.doc, t.tableName, clock)) as Handler },
  };
  const stats = {
    /** Deliveries to a reader of the stream (the stream router, or the head-office watcher's own mapping), retries included. */
    deliveries: 0,
    redeliveries: 0,
    /** Records a reader reported failed (the router: the union of what its watchers failed), each time. */
    failedRecords: 0,
    firings: 0,
    inFlight: 0,
    /** Invocations of each watcher's function, whichever reader it came through. */
    invocations: Object.fromEntries(watcherNames.map((name) => [name, 0])) as Record<WatcherName, number>,
    /** Records each watcher failed: reported in its response, or all it was given when it failed outright. */
    watcherFailedRecords: Object.fromEntries(watcherNames.map((name) => [name, 0])) as Record<WatcherName, number>,
    /** Invocations made to fail outright by `failInvocation`. */
    failedInvocations: 0,
  };
  const watcherHandlers = Object.fromEntries(
    watcherNames.map((name) => {
      const { fn, handler } = functions[name];
      const invoke: StreamEventHandler = async (event) => {
        const n = ++stats.invocations[name];
        const failing = options.failInvocation?.(name, n);
        try {
          // The invoke refused before the function ran, as Lambda throttles it.
          if (failing === 'before') throw new TooManyRequestsException({ message: 'Rate Exceeded.', $metadata: { httpStatusCode: 429 }, Type: 'User', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
          const response = await asFunction(fn, () => handler(structuredClone(event), {} as never));
          // The function did its work and timed out before answering: the router's invoke reads a FunctionError.
          if (failing === 'after') throw new ConsumerFunctionError(name, 'Unhandled', 'Sandbox.Timedout', 'Task timed out after 60.00 seconds');
          stats.watcherFailedRecords[name] += response?.batchItemFailures?.length ?? 0;
          return response;
        } catch (error) {
          if (failing) stats.failedInvocations++;
          stats.watcherFailedRecords[name] += event.Records.length;
          throw error;
        }
      };
      return [name, invoke];
    }),
  ) as Record<WatcherName, StreamEventHandler>;
  /** The stream's readers as the stack has them: the stream router (feeding the five mail watchers) and the head-office watcher's own mapping. */
  const readers = inProcessStreamReaders(watcherHandlers);
  type Reader = (typeof readers)[number];

  /** One batch to one reader, with Lambda's retries: from the first failed record on, until none fail. */
  async function deliver(reader: Reader, records: DynamoDBRecord[]) {
    let remaining = records;
    for (let attempt = 0; remaining.length > 0; attempt++) {
      if (attempt === 30) throw new Error(`${reader.name}: records still failing after 30 deliveries`);
      // Lambda retries at once, then with backoff: later ones come past the send lease a
      // failed attempt may have left behind (a message still "sending").
      if (attempt >= 3) clock.advance(rerunAfterMs);
      stats.deliveries++;
      // A reader that failed outright (the head-office watcher's own function) fails its whole batch.
      const whole = () => ({ batchItemFailures: remaining.map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })) });
      const response = await reader.consumer({ Records: structuredClone(remaining) }).catch(whole);
      const failures = response?.batchItemFailures ?? [];
      stats.failedRecords += failures.length;
      if (failures.length === 0) return;
      const first = remaining.findIndex((r) => r.dynamodb?.SequenceNumber === failures[0]!.itemIdentifier);
      remaining = remaining.slice(Math.max(first, 0));
    }
  }

  /**
   * A reader's share of what is new, as its mapping hands it out: what its filter lets
   * through, in its mapping's batch size, in stream order, one batch after another. Not in
   * its mapping's parallel lanes (the stream router's four): the story's outcome rests on
   * the order of items (a director's weekly budget of unasked email goes to whichever
   * practice's introduction comes first), and worlds compare only if it is the same in each.
   * The local stream poller runs the lanes (test/integration/stream-poller.test.ts).
   */
  function batchesOf(reader: Reader, records: DynamoDBRecord[]): DynamoDBRecord[][] {
    const own = records.filter((record) => matchesFilter(reader.filter, record));
    const { batchSize } = reader.mapping;
    return Array.from({ length: Math.ceil(own.length / batchSize) }, (_, i) => own.slice(i * batchSize, (i + 1) * batchSize));
  }

  /** The stream read on from where the last read stopped, per shard, as Lambda's poller does. */
  const streamReader = new StreamReader(t.streams, t.streamArn);
  const readNew = () => streamReader.next();

  const seen = new Set<string>();
  let late: Array<{ reader: Reader; records: DynamoDBRecord[] }> = [];
  /**
   * Delivers what the stream holds that no reader has had yet (and, when late, the last
   * step's batches again), until nothing new comes. The two readers read at once, as their
   * two mappings do.
   */
  async function pump() {
    const again = late;
    late = [];
    for (const { reader, records } of again) {
      stats.redeliveries++;
      await deliver(reader, records);
    }
    for (let round = 0; round < 20; round++) {
      const fresh = (await readNew()).filter((r) => !seen.has(r.eventID!));
      if (fresh.length === 0) return;
      for (const r of fresh) seen.add(r.eventID!);
      await Promise.all(
        readers.map(async (reader) => {
          for (const batch of batchesOf(reader, fresh)) {
            await deliver(reader, batch);
            if (options.delivery === 'twice') {
              stats.redeliveries++;
              await deliver(reader, batch);
            }
            if (options.delivery === 'late') late.push({ reader, records: batch });
          }
        }),
      );
    }
    throw new Error('The stream did not come to rest');
  }

  const dispatchAny = reminderDispatch(deps);
  const dispatch = (...args: Parameters<typeof dispatchAny>) => asFunction('reminder', () => dispatchAny(...args));
  /** One invocation, with EventBridge Scheduler's retries: a message another invocation is sending is retried once that one is done. */
  async function invoke(reminder: ReminderRequest) {
    for (let attempt = 0; ; attempt++) {
      try {
        stats.firings++;
        return await dispatch(reminder.job, reminder.payload, reminder.name);
      } catch (error) {
        if (error instanceof MessageInFlightError) stats.inFlight++;
        if (attempt === 19) throw error;
        if (attempt >= 2) clock.advance(rerunAfterMs);
      }
    }
  }

  /** Fires every reminder due by now, in time order, as the schedules would; each is deleted once it has run. */
  async function fireDue() {
    const due = [...reminders.pending.values()].filter((r) => r.at <= clock.now()).sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const reminder of due) {
      if (options.firing === 'concurrently') {
        // Two invocations at once; one may find the other sending and fail, to be retried.
        const outcomes = await Promise.allSettled([dispatch(reminder.job, reminder.payload, reminder.name), dispatch(reminder.job, reminder.payload, reminder.name)]);
        stats.firings += 2;
        for (const o of outcomes) {
          if (o.status === 'rejected') {
            if (o.reason instanceof MessageInFlightError) stats.inFlight++;
            await invoke(reminder);
          }
        }
      } else {
        await invoke(reminder);
        if (options.firing === 'twice') await invoke(reminder);
      }
      reminders.pending.delete(reminder.name);
    }
    return due.length;
  }

  const form = (fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
    return {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
      body: body.toString(),
    };
  };
  const post = async (url: string, fields: Record<string, string | string[]> = {}) => {
    const response = await app.request(`http://localhost${pathOf(url)}`, form(fields));
    if (response.status >= 300) throw new Error(`POST ${pathOf(url)}: ${response.status} ${(await response.text()).slice(0, 300)}`);
    return response;
  };
  const latest = (to: string, subject: RegExp): OutgoingEmail => {
    const found = [...provider.accepted].reverse().find((e) => e.to === to && subject.test(e.subject));
    if (!found) throw new Error(`no email to ${to} matching ${subject}`);
    return found;
  };
  const link = (email: OutgoingEmail, label: string) => {
    const url = linksIn(email)[label];
    if (!url) throw new Error(`no "${label}" in "${email.subject}"`);
    return url;
  };
  const register = async (body: Record<string, unknown>) => {
    const response = await app.request('/api/registrations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(registrationBody(body)) });
    if (response.status !== 201) throw new Error(`registration: ${response.status} ${await response.text()}`);
  };
  const at = (iso: string) => clock.set(new Date(iso));

  /** The story, step by step; each step's stream records are delivered before the next. */
  async function tell() {
    at('2026-11-23T10:00:00Z');
    await register({ events: ['bushy', 'cardiff'] });
    await register({ practiceCode: 'B82002', practiceName: 'Lea Bridge Practice', champion: { name: 'Ann Lee', role: 'Practice nurse', email: 'ann@nhs.example' } });
    await pump();
    // Each champion confirms from the email asking them to: Jane at once, Ann within the hour.
    const confirm = async (champion: string) => {
      const { registrationId, token } = confirmationIn(latest(champion, /^Confirm your parkrun practice registration$/));
      await post(`http://localhost/registrations/${registrationId}/confirm/${token}`);
    };
    await confirm('jane.smith@nhs.example');
    await pump();

    // Ann confirms as Sarah names a first-timer contact: one batch of the stream router's
    // holds both (Ann's registration, then the naming), for the registration watcher and the
    // first-timer watcher, so a record one of them fails is retried to the other as well.
    at('2026-11-23T11:00:00Z');
    await confirm('ann@nhs.example');
    const introToSarah = latest('sarah@parkrun.example', /^Riverside Surgery has linked with Bushy parkrun/);
    await post(link(introToSarah, 'Name a first-timer contact, so practices can tell patients whom to ask for'), {
      firstName: 'Sam',
      whereToFind: 'by the start funnel in a pink First Timers vest at 08:50',
      email: 'sam@runners.example',
    });
    await pump();
    at('2026-11-23T12:00:00Z');
    await post(link(latest('sam@runners.example', /first-timer contact\?$/), 'Confirm, or say no'), { action: 'confirm' });
    await pump();

    at('2026-11-23T13:00:00Z');
    const introToJane = latest('jane.smith@nhs.example', /^Meet your parkrun team/);
    await post(link(introToJane, 'Patients planning to come? Tell the event team'), { action: 'plan', date: '2026-12-05', count: '2' });
    await pump();

    // A week on (so the directors' budget of unasked email, spent on Monday's introductions, is free
    // again for their digest): a takeover: the prompt (made due now), an offer of two Saturdays,
    // the directors' digest, a day fixed.
    at('2026-11-30T14:00:00Z');
    const prompt = (await people.takeovers.getPromptState({ practiceCode: 'A81001', eventShortName: 'bushy' }))!;
    await people.takeovers.savePromptState({ ...prompt, dueAt: clock.now().toISOString() });
    await settle(clock, () => asFunction('takeoverPrompts', () => runTakeoverPrompts(deps)));
    const choices = [...latest('jane.smith@nhs.example', /take over Bushy parkrun one Saturday/).text.matchAll(/^Saturday \d+ \w+: (\S+)$/gm)].map((m) => m[1]!);
    const dates = choices.slice(0, 2).map((u) => new URL(u).searchParams.get('date')!);
    await post(choices[0]!, { dates });
    await pump();
    at('2026-11-30T15:00:00Z');
    await settle(clock, () => asFunction('quietLinkSweep', () => runQuietLinkSweep(deps)));
    await pump();
    at('2026-11-30T16:00:00Z');
    await post(link(latest('sarah@parkrun.example', /would like to take over/), 'Choose a date or say no'), { date: dates[0]! });
    await pump();

    at('2026-11-30T17:00:00Z');
    await post(link(introToJane, 'Someone else at the practice should be the contact? Hand over to them'), { name: 'Nadia Rahman', role: 'Practice nurse', email: 'nadia@nhs.example' });
    await pump();
    // Nadia accepts from the offer, and is welcomed.
    await post(link(latest('nadia@nhs.example', /would like to hand over to you/), 'Accept the hand-over'), {});
    await pump();

    // Thursday before the Saturday: the newcomer notice.
    at('2026-12-03T10:00:00Z');
    const notices = await fireDue();
    await pump();

    // Tom's link from the introduction has expired: he asks for a fresh one.
    at('2026-12-08T10:00:00Z');
    const expired = link(latest('tom@parkrun.example', /^Riverside Surgery has linked with Bushy parkrun/), 'Record what you have done or planned');
    const asked = await app.request(`http://localhost/fresh-links/${expired.split('/').pop()}`, form({}));
    if (asked.status !== 202) throw new Error(`fresh link: ${asked.status}`);
    await pump();

    // The takeover's countdown, each reminder at its time.
    let countdown = 0;
    for (const reminder of [...reminders.pending.values()].sort((a, b) => a.at.getTime() - b.at.getTime())) {
      clock.set(reminder.at);
      countdown += await fireDue();
      await pump();
    }
    await pump();
    return { notices, countdown, takeoverDate: dates[0]! };
  }

  return {
    t,
    clock,
    worker,
    reminders,
    stats,
    tell,
    deps,
    pump,
    at,
    latest,
    inbox: () => inboxLines(provider.accepted),
    snapshot: () => snapshot(t.doc, t.tableName),
    ledger: () => ledger(t.doc, t.tableName),
  };
}

/** What a told story left: the mail, the ledger, the table (figures included) and the schedules still pending. */
export async function told(options: StoryOptions) {
  const w = await storyWorld(options);
  const story = await w.tell();
  return { story, stats: w.stats, worker: w.worker, inbox: w.inbox(), ledger: await w.ledger(), snapshot: await w.snapshot(), pending: [...w.reminders.pending.keys()].sort() };
}
