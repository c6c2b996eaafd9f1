/**
 * Fault injection for test/faults. The product runs on its real adapters over DynamoDB
 * Local and sends through the real SES adapter, and faults go in where production meets them:
 *  - DynamoDB: a middleware on each "Lambda instance's" client sees every call before the
 *    SDK's own retries and may refuse it (throttling, a transaction cancelled for
 *    throttling), as if those retries had given up; or, once the instance is "killed",
 *    refuses everything, as a Lambda that died mid-run writes nothing more;
 *  - SES: SESv2Client mocked by aws-sdk-client-mock, refusing the calls a plan names
 *    (throttling, 5xx) and recording every message it accepted;
 *  - what a run leaves: a normalised snapshot of the whole table, head office's figures
 *    and the mail accepted, to compare a run under faults with a clean run from the same
 *    data and clock.
 */
import { ProvisionedThroughputExceededException, ThrottlingException, TransactionCanceledException, InternalServerError } from '@aws-sdk/client-dynamodb';
import {
  InternalServiceErrorException,
  SendEmailCommand,
  SESv2Client,
  SESv2ServiceException,
  TooManyRequestsException,
  type SendEmailCommandInput,
} from '@aws-sdk/client-sesv2';
import { BatchWriteCommand, ScanCommand, type DocumentClient } from '../../functions/adapters/dynamo/document-client.js';
import type { CallObserver } from '../support/table-calls.js';
import { mockClient } from 'aws-sdk-client-mock';
import { MovableClock } from '../../functions/adapters/clock.js';
import { dueShard, eventItem, gsi1, keys, linkItem, practiceItem } from '../../functions/adapters/dynamo/items.js';
import { SesMailTransport } from '../../functions/adapters/ses-mail-transport.js';
import { sendLeaseMs } from '../../functions/core/mailer.js';
import type { FeedbackReport, Link, ParkrunEvent } from '../../functions/core/model.js';
import { digestEntryId, type DigestEntry, type MailTransport, type OutgoingEmail } from '../../functions/core/ports.js';
import { runFeedbackAsks } from '../../functions/core/use-cases/attendance-feedback.js';
import { runQuietLinkSweep } from '../../functions/core/use-cases/quiet-link-sweep.js';
import { runTakeoverPrompts } from '../../functions/core/use-cases/takeover-planning.js';
import { mailDeps, storeDeps, type MailDeps } from '../../functions/wiring.js';
import { localDocumentClient } from '../../local/dynamodb-local.js';
import { createTestTable } from '../support/dynamo.js';
import { anEvent } from '../support/fixtures.js';
import { FixedClock, mailSettings } from '../support/memory-ports.js';
import { aLink, aPractice, day } from '../support/sweep-world.js';
import { vi, type ExpectStatic } from 'vitest';

// Each test runs a clean world and a faulty one on DynamoDB Local: quick alone, but npm test
// runs every file at once on two cores, so give each test room beyond the usual 30 s.
vi.setConfig({ testTimeout: 180_000 });

/** The first Tuesday of December 2026, 10:00 in London: the sweep, the takeover prompts and the month's feedback asks are all due. */
export const T = new Date('2026-12-01T10:00:00Z');
export const tokenSecret = 'k'.repeat(48);
/** How far a rerun comes after the run before it: past the send lease, as the next scheduled run or retry would. */
export const rerunAfterMs = sendLeaseMs + 60_000;

// ---------------------------------------------------------------------------------------
// DynamoDB

export interface DynamoCall {
  /** 1-based, per client. */
  n: number;
  command: string;
  /** Key of the item the call is about (the first item of a transaction), when it has one. */
  pk: string;
  sk: string;
  input: Record<string, unknown>;
}

export type DynamoFault = (call: DynamoCall) => Error | undefined;

/** Document-client inputs reach the middleware unmarshalled, low-level ones marshalled: read either. */
const plain = (v: unknown): string => (v && typeof v === 'object' && 'S' in v ? String((v as { S: unknown }).S) : v === undefined ? '' : String(v));

function describeCall(n: number, command: string, input: Record<string, unknown>): DynamoCall {
  const first = (input.TransactItems as Array<Record<string, Record<string, unknown>>> | undefined)?.[0];
  const target = first ? Object.values(first)[0] : input;
  const key = ((target?.Key ?? target?.Item) as Record<string, unknown> | undefined) ?? {};
  const values = (input.ExpressionAttributeValues as Record<string, unknown> | undefined) ?? {};
  return { n, command, pk: plain(key.pk ?? values[':pk'] ?? values[':s'] ?? values[':p']), sk: plain(key.sk), input };
}

/**
 * One Lambda instance's DynamoDB client, with a hook that may refuse any call. The hook
 * wraps the client's retries, so a refusal reaches the product's code as it would once
 * the retries had given up.
 */
export class FaultyDynamo {
  calls = 0;
  readonly log: DynamoCall[] = [];
  fault: DynamoFault | undefined;
  /** Holds a call back until the promise it returns settles: to order two instances' calls. */
  gate: ((call: DynamoCall) => Promise<void> | undefined) | undefined;
  /** Told of each call that succeeded. */
  done: ((call: DynamoCall) => void) | undefined;
  /** A killed instance refuses every call from then on: the Lambda died, and wrote nothing more. */
  killed = false;
  readonly doc: DocumentClient;

  /** `observe` sees every call before it is made (or refused): for holding calls to what IAM grants. */
  constructor(endpoint: string, options: { record?: boolean; observe?: CallObserver } = {}) {
    this.doc = localDocumentClient(endpoint, async ({ operation, input }, next) => {
      options.observe?.(operation, input);
      const call = describeCall(++this.calls, `${operation}Command`, input);
      if (options.record) this.log.push(call);
      await this.gate?.(call);
      if (this.killed) throw killed();
      const error = this.fault?.(call);
      if (error) throw error;
      const result = await next();
      this.done?.(call);
      return result;
    });
  }
}

export const killed = () => Object.assign(new Error('Lambda killed: Task timed out after 900.00 seconds'), { name: 'LambdaKilled' });

/** DynamoDB refusing a call for capacity, in the shapes it uses: per item, per account, and a cancelled transaction. */
function dynamoThrottle(call: DynamoCall, turn: number): Error {
  const $metadata = { httpStatusCode: 400, requestId: `fault-${call.n}` };
  if (call.command === 'TransactWriteItemsCommand') {
    const items = (call.input.TransactItems as unknown[]).length;
    return new TransactionCanceledException({
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [ThrottlingError]',
      $metadata,
      CancellationReasons: Array.from({ length: items }, (_, i) => ({ Code: i === items - 1 ? 'ThrottlingError' : 'None' })),
    });
  }
  if (turn % 3 === 1) return new ThrottlingException({ message: 'Throughput exceeds the current capacity of your table or index.', $metadata });
  if (turn % 3 === 2) return new InternalServerError({ message: 'Internal server error', $metadata: { ...$metadata, httpStatusCode: 500 } });
  return new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded.', $metadata });
}

/** Refuses every `every`-th call (counting per client) with a throttling error. */
export function everyNth(every: number, offset = 0): DynamoFault {
  let turn = 0;
  return (call) => ((call.n + offset) % every === 0 ? dynamoThrottle(call, turn++) : undefined);
}

/** Refuses calls at random with probability `p`, from a seeded generator: the same calls each time the same run is made, and no period for a retry to fall into step with. */
export function seededRate(p: number, seed: number): DynamoFault {
  let state = seed >>> 0;
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  let turn = 0;
  return (call) => (next() < p ? dynamoThrottle(call, turn++) : undefined);
}

/** The mailer's "sent" write for a message SES has accepted: killing the Lambda just before it is the one window the mailer names (providers offer no idempotency key). */
export const isMarkSent = (call: DynamoCall) =>
  call.command === 'UpdateItemCommand' && call.pk.startsWith('MESSAGE#') && plain((call.input.ExpressionAttributeValues as Record<string, unknown>)?.[':status']) === 'sent';

// ---------------------------------------------------------------------------------------
// Mail

/** What reached the provider: every accepted message, from whichever Lambda instance. */
export interface Provider {
  accepted: OutgoingEmail[];
  /** A transport for one Lambda instance. */
  transport(): MailTransport;
}

/** A provider that accepts everything, unless `fault` says otherwise for an attempt. */
export class Outbox implements Provider {
  accepted: OutgoingEmail[] = [];
  attempts = 0;
  fault: ((attempt: number, email: OutgoingEmail) => Error | undefined) | undefined;
  transport(): MailTransport {
    return {
      send: async (email) => {
        const error = this.fault?.(++this.attempts, email);
        if (error) throw error;
        this.accepted.push(email);
        return { messageId: `m-${this.accepted.length}` };
      },
    };
  }
}

/** SES refusing a send, in the shapes RetryingTransport must ride out: 429 throttling and 5xx. */
export function sesRefusal(turn: number): Error {
  const $metadata = { requestId: `ses-fault-${turn}` };
  switch (turn % 4) {
    case 0:
      return new TooManyRequestsException({ message: 'Maximum sending rate exceeded.', $metadata: { ...$metadata, httpStatusCode: 429 } });
    case 1:
      return new InternalServiceErrorException({ message: 'Internal service error', $metadata: { ...$metadata, httpStatusCode: 500 } });
    case 2:
      return new SESv2ServiceException({ name: 'ServiceUnavailable', $fault: 'server', message: 'Service unavailable', $metadata: { ...$metadata, httpStatusCode: 503 } });
    default:
      return new SESv2ServiceException({ name: 'BadGateway', $fault: 'server', message: 'Bad gateway', $metadata: { ...$metadata, httpStatusCode: 502 } });
  }
}

const emailOf = (input: SendEmailCommandInput): OutgoingEmail => ({
  to: input.Destination?.ToAddresses?.[0] ?? '',
  from: input.FromEmailAddress ?? '',
  replyTo: input.ReplyToAddresses?.[0] ?? '',
  subject: input.Content?.Simple?.Subject?.Data ?? '',
  text: input.Content?.Simple?.Body?.Text?.Data ?? '',
  html: input.Content?.Simple?.Body?.Html?.Data ?? '',
  headers: (input.Content?.Simple?.Headers ?? []).map((h) => ({ name: h.Name ?? '', value: h.Value ?? '' })),
  tags: (input.EmailTags ?? []).map((t) => ({ name: t.Name ?? '', value: t.Value ?? '' })),
});

/**
 * SES v2 behind the real SesMailTransport, mocked with aws-sdk-client-mock: `refuse`
 * decides per SendEmail call (1-based, across every Lambda instance); what is not refused
 * is accepted and recorded. One mocked client per MockSes, so tests can run side by side.
 */
export class MockSes implements Provider {
  accepted: OutgoingEmail[] = [];
  calls = 0;
  refused = 0;
  refuse: ((call: number, email: OutgoingEmail) => Error | undefined) | undefined;
  private readonly client = new SESv2Client({ region: 'eu-west-2', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  private readonly mock = mockClient(this.client);

  constructor() {
    this.mock.on(SendEmailCommand).callsFake(async (input: SendEmailCommandInput) => {
      const email = emailOf(input);
      const error = this.refuse?.(++this.calls, email);
      if (error) {
        this.refused++;
        throw error;
      }
      this.accepted.push(email);
      return { MessageId: `ses-${this.accepted.length}`, $metadata: { httpStatusCode: 200 } };
    });
  }

  transport(): MailTransport {
    return new SesMailTransport(this.client, 'nudges');
  }
}

/** A fifth of SES calls refused, in turn 429, 500, 503 and 502: every fifth call, so no message meets more than one refusal in a row. */
export const aFifthRefused = (call: number) => (call % 5 === 0 ? sesRefusal(call / 5) : undefined);

/** The mail as people received it: one line per message, sorted. */
export const inboxLines = (accepted: OutgoingEmail[]) => accepted.map((e) => `${e.to} | ${e.subject}`).sort();

export const duplicatesIn = (lines: string[]) => lines.filter((l, i) => lines.indexOf(l) !== i);

/**
 * What every fault suite asks of a run with faults: no email twice, and the same inbox,
 * ledger and table as the clean run. `expect` is the test's own (the suites run
 * concurrently).
 */
export function expectSameAsClean(
  expect: ExpectStatic,
  run: { inbox: string[]; ledger: unknown; snapshot: unknown },
  clean: { inbox: string[]; ledger: unknown; snapshot: unknown },
): void {
  expect(duplicatesIn(run.inbox)).toEqual([]);
  expect(run.inbox).toEqual(clean.inbox);
  expect(run.ledger).toEqual(clean.ledger);
  expect(run.snapshot).toEqual(clean.snapshot);
}

// ---------------------------------------------------------------------------------------
// The state a run leaves

const isoInstant = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z/g;
const randomId = /[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}/g;
/** Attributes that name an attempt, not an outcome: who claimed, when exactly, leases, versions, expiry instants. */
const volatileAttributes = new Set(['rev', 'claimId', 'claimedAt', 'leaseUntil', 'finishedAt', 'providerMessageId', 'expiresAt']);

/** Instants become their day (reruns come minutes later, on the same day) and random ids become `<id>`. */
function normalise(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(isoInstant, (m) => m.slice(0, 10)).replace(randomId, '<id>');
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    // A held message's due shard is a hash of its key, which names a random registration id.
    const heldShard = (value as { entityType?: unknown }).entityType === 'HeldMessage';
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !(heldShard && k === 'dueShard'))
        .filter(([k]) => !volatileAttributes.has(k))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, normalise(v)]),
    );
  }
  return value;
}

export async function scanAll(doc: DocumentClient, tableName: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

export interface Snapshot {
  /** Every item but tokens and counted-change markers, normalised, sorted. */
  items: string[];
  /**
   * Which links were issued to whom, as a set: a token issued for an attempt whose send then
   * failed was never mailed (only its hash is kept, so nobody holds it) and TTL removes it.
   */
  grants: string[];
  /** The links that were used, and how: exactly. */
  used: string[];
  /** Head office's counters, exactly: `METRIC#<scope> <CURRENT|DAY#…>` and their values. */
  figures: Record<string, Record<string, number>>;
}

/** The whole table, as a clean run and a faulty run should agree on it (test tooling: the product never scans). */
export async function snapshot(doc: DocumentClient, tableName: string): Promise<Snapshot> {
  const items: string[] = [];
  const grants = new Set<string>();
  const used: string[] = [];
  const figures: Snapshot['figures'] = {};
  for (const item of await scanAll(doc, tableName)) {
    switch (item.entityType) {
      case 'Token': {
        const grant = JSON.stringify(normalise({ purpose: item.purpose, subject: item.subject, recipient: item.recipient, role: item.role, detail: item.detail }));
        grants.add(grant);
        if (Number(item.uses ?? 0) > 0) used.push(`${grant} uses=${String(item.uses)}${item.usedAt ? ' spent' : ''}`);
        continue;
      }
      // Keyed by stream record ids, which differ from table to table; what they guard is in the figures.
      case 'MetricApplied':
        continue;
      case 'AuditEntry': {
        // Its id names the token (a hash); the entry is who did what, when.
        const { id: _id, sk, gsi1sk, ...rest } = item;
        items.push(JSON.stringify(normalise({ ...rest, sk: String(sk).split('#')[0], gsi1sk: String(gsi1sk).split('#')[0] })));
        continue;
      }
    }
    if (String(item.pk).startsWith('METRIC#')) {
      const { pk, sk, ...counters } = item;
      figures[`${String(pk)} ${String(sk)}`] = Object.fromEntries(Object.entries(counters).filter(([, v]) => typeof v === 'number' && v !== 0)) as Record<string, number>;
      continue;
    }
    items.push(JSON.stringify(normalise(item)));
  }
  return { items: items.sort(), grants: [...grants].sort(), used: used.sort(), figures };
}

/** The messages the ledger holds, as `<status> <normalised key>`: what was sent, once each, and nothing left "sending" or "failed". */
export async function ledger(doc: DocumentClient, tableName: string): Promise<string[]> {
  return (await scanAll(doc, tableName))
    .filter((i) => i.entityType === 'Message')
    .map((i) => `${String(i.status)} ${String(normalise(i.idempotencyKey))}`)
    .sort();
}

// ---------------------------------------------------------------------------------------
// A world for the scheduled jobs

const cardiff = (): ParkrunEvent =>
  anEvent({ shortName: 'cardiff', name: 'Cardiff parkrun', country: 'Wales', region: 'Wales', eventDirectors: [{ name: 'Rhys Evans', email: 'rhys@parkrun.example' }] });

const ago = (days: number) => new Date(T.getTime() - days * day).toISOString();

/**
 * Links placed so that one run of each job at T has work of every kind: first nudges (each
 * into Rhys's digest), a second nudge into his digest, a link going at risk, a paused link
 * and one not yet quiet (deferred), a champion of two links (the per-person cap), two
 * directors' digests already due, takeover prompts, feedback asks (to live links; quiet
 * links' asks are put off) and a month's summary for the directors.
 *
 * Every link nudged at T is Cardiff's, and Rhys had a digest a week ago, so what the nudges
 * put in his digest waits out his digest interval: no digest is written while a link it
 * would name is still being nudged (the sweep goes through the due index a few items at a
 * time, and a digest due in the same run would name whichever of them it found queued), and
 * a nudge that fails and goes on a later run lands in the same digest as it would have.
 */
export function jobSeed() {
  const events = [anEvent(), cardiff()];
  const codes = Array.from({ length: 13 }, (_, i) => `A${String(i + 1).padStart(5, '0')}`);
  // A00005's champion is A00010's too: one person, two quiet links.
  const practices = codes.map((c) => aPractice(c, c === 'A00005' ? 'a00010@nhs.example' : undefined));
  const links: Link[] = [
    // Live links with contact ten and twenty days ago: not due for weeks, so asked this month.
    ...['A00001', 'A00002', 'A00004'].map((c) => aLink(c, 'bushy', T, 10)),
    aLink('A00003', 'bushy', T, 20),
    // Quiet: the first nudge, and into Rhys's digest.
    ...['A00002', 'A00003', 'A00011'].map((c, i) => aLink(c, 'cardiff', T, 44 + i)),
    aLink('A00012', 'cardiff', T, 50),
    // Nudged once 15 days ago: the second nudge, and into Rhys's digest.
    aLink('A00007', 'cardiff', T, 71, { status: 'quiet', ladder: { rung: 1, rungAt: ago(15), quietSince: ago(29) } }),
    // Nudged twice: at risk now.
    aLink('A00008', 'bushy', T, 85, { status: 'quiet', ladder: { rung: 2, rungAt: ago(15), quietSince: ago(43) } }),
    // Paused, and a link with recent contact, both looked at by the sweep and put off.
    aLink('A00009', 'bushy', T, 50, { pausedUntil: new Date(T.getTime() + 20 * day).toISOString(), dueAt: ago(0.05) }),
    aLink('A00013', 'cardiff', T, 5, { dueAt: ago(0.05) }),
    // One champion, two quiet links: one nudge this week, the other waits for the cap.
    aLink('A00010', 'cardiff', T, 45),
    aLink('A00005', 'cardiff', T, 47),
    // In Sarah's and Tom's digests, due now (second nudge sent last week); the link itself is not due.
    aLink('A00006', 'bushy', T, 80, { status: 'quiet', ladder: { rung: 2, rungAt: ago(7), quietSince: ago(38) } }),
  ];
  const digestItems: Array<Record<string, unknown>> = ['sarah@parkrun.example', 'tom@parkrun.example'].flatMap((email) => {
    const head = keys.digestHead(email);
    const entry: DigestEntry = { kind: 'quiet-link', practiceCode: 'A00006', eventShortName: 'bushy', addedAt: ago(7) };
    return [
      { ...head, entityType: 'DigestHead', email, name: email.startsWith('sarah') ? 'Sarah Okafor' : 'Tom Whitley', eventShortName: 'bushy', timeZone: 'Europe/London', dueAt: ago(0.05), dueShard: dueShard(head.pk, head.sk), rev: 1 },
      { ...keys.digestEntry(email, digestEntryId(entry)), entityType: 'DigestEntry', ...entry },
    ];
  });
  // Rhys's digest went a week ago: nothing in it now, and the next one waits out his interval.
  digestItems.push({ ...keys.digestHead('rhys@parkrun.example'), entityType: 'DigestHead', email: 'rhys@parkrun.example', name: 'Rhys Evans', eventShortName: 'cardiff', timeZone: 'Europe/London', lastSentAt: ago(7), rev: 1 });
  const report: FeedbackReport = { practiceCode: 'A00004', eventShortName: 'bushy', period: '2026-10', suggested: 5, attended: 2, staff: { walked: true, ran: false, volunteered: false }, answeredAt: ago(20) };
  const feedbackItems = [
    { ...keys.feedbackReport(report.practiceCode, report.eventShortName, report.period), gsi1pk: gsi1.eventFeedback('bushy'), gsi1sk: `FEEDBACK#2026-10#A00004`, entityType: 'FeedbackReport', ...report },
    (() => {
      const key = keys.feedbackSummary('bushy', '2026-10');
      return { ...key, entityType: 'FeedbackSummary', eventShortName: 'bushy', period: '2026-10', dueAt: ago(0.05), dueShard: dueShard(key.pk, key.sk, 'FEEDBACK') };
    })(),
    // Asked about November: three live links, and two quiet ones, not asked (their champions are nudged instead).
    ...['A00001', 'A00002', 'A00004', 'A00007', 'A00011'].map((c) => {
      const event = c === 'A00007' || c === 'A00011' ? 'cardiff' : 'bushy';
      const key = keys.feedbackAsk(c, event);
      return { ...key, entityType: 'FeedbackAsk', practiceCode: c, eventShortName: event, dueAt: T.toISOString(), dueShard: dueShard(key.pk, key.sk, 'FEEDBACK'), rev: 1 };
    }),
  ];
  const promptItems = [
    ['A00003', 'bushy'],
    ['A00012', 'cardiff'],
  ].map(([c, e]) => {
    const key = keys.takeoverPrompt(c!, e!);
    return { ...key, entityType: 'TakeoverPrompt', practiceCode: c, eventShortName: e, planned: false, dueAt: T.toISOString(), dueShard: dueShard(key.pk, key.sk, 'PROMPT'), rev: 1 };
  });
  return [...events.map(eventItem), ...practices.map((p) => practiceItem(p, ago(200))), ...links.map(linkItem), ...digestItems, ...feedbackItems, ...promptItems];
}

export async function putItems(doc: DocumentClient, tableName: string, items: Array<Record<string, unknown>>) {
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length) {
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
}

export interface JobReport {
  due?: number;
  failed?: number;
}

/** One Lambda instance: its own DynamoDB client (with its fault hook) and mail chain (paced, retrying) over the provider. */
export interface Instance {
  dynamo: FaultyDynamo;
  deps: MailDeps;
  /** What the provider accepted from this instance. */
  accepted: OutgoingEmail[];
  sweep(): Promise<JobReport>;
  prompts(): Promise<JobReport>;
  feedback(): Promise<JobReport>;
}

export async function jobWorld(provider: Provider, items: Array<Record<string, unknown>> = jobSeed()) {
  const t = await createTestTable();
  await putItems(t.doc, t.tableName, items);
  const clock = new MovableClock(new FixedClock(T));
  const instance = (options: { record?: boolean } = {}): Instance => {
    const dynamo = new FaultyDynamo(t.endpoint, options);
    const wire = provider.transport();
    const accepted: OutgoingEmail[] = [];
    // A killed instance sends nothing more either.
    const transport: MailTransport = {
      send: async (email) => {
        if (dynamo.killed) throw killed();
        const out = await wire.send(email);
        accepted.push(email);
        return out;
      },
    };
    // No budget of unasked email here: these suites put faults on each job's own sends, which
    // must all reach SES at the moment they run; the budget has its own tests (mail-budget).
    const deps = mailDeps(storeDeps(dynamo.doc, t.tableName, tokenSecret, clock), { ...mailSettings, budget: { unaskedEveryDays: 0, unaskedPerMonth: Number.MAX_SAFE_INTEGER } }, transport);
    return {
      dynamo,
      deps,
      accepted,
      sweep: () => runQuietLinkSweep(deps),
      prompts: () => runTakeoverPrompts(deps),
      feedback: () => runFeedbackAsks(deps),
    };
  };
  return { t, clock, instance, provider, snapshot: () => snapshot(t.doc, t.tableName), ledger: () => ledger(t.doc, t.tableName) };
}

export type JobWorld = Awaited<ReturnType<typeof jobWorld>>;
export type JobName = 'sweep' | 'prompts' | 'feedback';
export const jobOrder: JobName[] = ['sweep', 'prompts', 'feedback'];

/**
 * Runs a job the way its schedule and retries do: again, each time past the send lease
 * (a message left "sending" by a dead or failed run is free again), until a run finds
 * nothing due and nothing failed. `run` is told which attempt it is (0 first).
 */
export async function settle(clock: MovableClock, run: (attempt: number) => Promise<JobReport>, maxRuns = 12): Promise<Array<JobReport | Error>> {
  const outcomes: Array<JobReport | Error> = [];
  for (let attempt = 0; attempt < maxRuns; attempt++) {
    if (attempt > 0) clock.advance(rerunAfterMs);
    try {
      const report = await run(attempt);
      outcomes.push(report);
      if (!report.due && !report.failed) return outcomes;
    } catch (error) {
      outcomes.push(error as Error);
    }
  }
  throw new Error(`Job did not settle in ${maxRuns} runs: ${outcomes.map((o) => (o instanceof Error ? o.message : JSON.stringify(o))).join('; ')}`);
}

/** A result made once, on first use: a file's clean run, made alongside its first faulty run rather than before all of them. */
export function once<R>(make: () => Promise<R>): () => Promise<R> {
  let made: Promise<R> | undefined;
  return () => (made ??= make());
}

/** What a world holds after the jobs ran: to compare with another world. */
export async function outcome(w: JobWorld) {
  return { inbox: inboxLines(w.provider.accepted), ledger: await w.ledger(), snapshot: await w.snapshot() };
}

/** The clean run: each job, in order, on a healthy instance, settled. */
export async function cleanRun(provider: Provider = new Outbox(), jobs: JobName[] = jobOrder, items: Array<Record<string, unknown>> = jobSeed()) {
  const w = await jobWorld(provider, items);
  const healthy = w.instance();
  for (const job of jobs) await settle(w.clock, () => healthy[job]());
  return outcome(w);
}
