/**
 * A simulated year of the programme on this machine: the whole local stack (the real API,
 * stream watchers, jobs and one-time reminders on DynamoDB Local, the local mailbox for
 * SES) with its clock moved day by day, and simulated people who register, read their
 * email and answer it (or not) through the real pages. Returns everything the report needs.
 */
import type { DocumentClient, DynamoCallHook } from '../functions/adapters/dynamo/document-client.js';
import { batchWriteAll } from '../functions/adapters/dynamo/batch-write.js';
import { batchGetAll } from '../functions/adapters/dynamo/batch-get.js';
import { forEachAtMost } from '../functions/core/concurrency.js';
import { eventItem, gsi1, keys } from '../functions/adapters/dynamo/items.js';
import { queryAll } from '../functions/adapters/dynamo/query-all.js';
import { tableDefinition } from '../functions/adapters/dynamo/table-definition.js';
import type { Link } from '../functions/core/model.js';
import { localDocumentClient } from '../local/dynamodb-local.js';
import { startLocalStack } from '../local/local-stack.js';
import type { MailboxMessage } from '../local/mailbox.js';
import { DynamoTableScan } from '../local/table-scan.js';
import { answer, type AnswerOutcome } from './answering.js';
import { contradictoryNudges, helloAsks, isUnasked, type Contradiction, type TakeoverRecord } from './measures.js';
import type { SimulationOptions } from './options.js';
import { People, type PlannedAnswer } from './people.js';
import { buildWorld, seededRandom, worldPart, type World } from './world.js';
import { defaultAbuseLimits } from '../functions/core/policies/abuse-limits.js';

/** A Monday, so the launch wave starts a working week; fixed, so a seed replays exactly. */
export const simulationStart = new Date('2027-01-04T00:00:00Z');
const day = 86_400_000;
const hour = 3_600_000;
/** How many simulated people act at the same moment. */
const peopleAtOnce = 16;

export interface WeekFigures {
  week: number;
  /** Monday of the simulated week, YYYY-MM-DD. */
  from: string;
  wallSeconds: number;
  itemsRead: number;
  /** Requests to the table (DynamoDB Local's work, which is most of the wall time). */
  requests: number;
  emails: number;
  /** Of which unasked (tagged `budget: unasked`: nudges, prompts, feedback asks, digests, directors' introductions, round-ups). */
  unaskedEmails: number;
  /** Asks for a hello read this week (once per email and link) about a link with a takeover offered or planned then (see measures.contradictoryNudges). */
  contradictoryNudges: number;
  links: number;
  /** Share of links with contact recorded in the 90 days before the week's end. */
  contactShare90d: number;
  atRisk: number;
}

export interface SimulationResult {
  options: SimulationOptions;
  startedAt: Date;
  endedAt: Date;
  weeks: WeekFigures[];
  messages: MailboxMessage[];
  /** Every address the simulation knows, with its role. */
  people: World['people'];
  /** Directors of events with at least one practice, and every champion. */
  directors: string[];
  champions: string[];
  answers: Record<string, Record<AnswerOutcome, number>>;
  /** Refused answers by kind and HTTP status (`takeover-outcome 409`): why people's clicks failed. */
  refusedWith: Record<string, number>;
  /**
   * What the product made of the replies by email the reply inbox took (`reply` answers):
   * `contact` (relayed, and recorded as contact on the link), `relayed` (relayed only: the
   * link was already in touch that day), `stopped`, `forwarded`, `ignored <reason>`, `failed`.
   */
  replyOutcomes: Record<string, number>;
  errors: string[];
  /** Every nudge or digest entry that asked for a hello about a link taken up by a takeover at the time. */
  contradictions: Contradiction[];
  /** Asks for a hello checked against the takeovers (once per email and link), of which `contradictions` contradicted one. */
  helloAsksChecked: number;
  /** Messages the outbox ledger records as sent: more delivered than this means a double send. */
  ledgerSent: number;
  takeovers: Record<string, number>;
  feedbackReports: number;
  feedbackAsked: number;
  registrations: { accepted: number; refused: number };
  wallSeconds: number;
}

interface TableCounter {
  items: number;
  requests: number;
  /**
   * Requests by operation and the key prefix they touch (`GetItem PRACTICE`), with the
   * milliseconds they took in all: with SIMULATION_PROFILE=1 only.
   */
  byKind?: Map<string, { requests: number; ms: number }>;
}

/** `PRACTICE` from `PRACTICE#A81001`: which kind of item a request is about, for the profile. */
function kindOf(input: Record<string, unknown>): string {
  // The hook sees the wire form: { S: 'PRACTICE#A81001' }.
  const prefix = (v: unknown) => String((v as { S?: unknown } | undefined)?.S ?? v ?? '?').split('#')[0] ?? '';
  const key = (input.Key ?? input.Item) as { pk?: unknown } | undefined;
  if (key) return prefix(key.pk);
  const values = input.ExpressionAttributeValues as Record<string, unknown> | undefined;
  if (input.KeyConditionExpression) return `${String(input.IndexName ?? 'table')} ${prefix(values?.[':pk'] ?? Object.values(values ?? {})[0])}`;
  const requests = Object.values((input.RequestItems ?? {}) as Record<string, { Keys?: Array<{ pk?: unknown }> } | Array<Record<string, { Key?: { pk?: unknown }; Item?: { pk?: unknown } }>>>)[0];
  if (Array.isArray(requests)) {
    const first = Object.values(requests[0] ?? {})[0];
    return `${prefix((first?.Key ?? first?.Item)?.pk)} x${requests.length}`;
  }
  if (requests?.Keys) return `${prefix(requests.Keys[0]?.pk)} x${requests.Keys.length}`;
  const items = input.TransactItems as Array<Record<string, { Key?: { pk?: unknown }; Item?: { pk?: unknown } }>> | undefined;
  if (items) return items.map((i) => Object.keys(i)[0] + ':' + prefix(Object.values(i)[0]?.Key?.pk ?? Object.values(i)[0]?.Item?.pk)).join(',');
  return '?';
}

/** Counts the requests made and the items every read returns, whoever reads: jobs, watchers, the API. */
function countItemsRead(counter: TableCounter): DynamoCallHook {
  return async (call, next) => {
    counter.requests++;
    const started = performance.now();
    const out = (await next()) as { Item?: unknown; Items?: unknown[]; Responses?: Record<string, unknown[]> | Array<{ Item?: unknown }> };
    counter.items += (out.Item ? 1 : 0) + (out.Items?.length ?? 0);
    if (Array.isArray(out.Responses)) counter.items += out.Responses.filter((r) => r.Item).length;
    else if (out.Responses) counter.items += Object.values(out.Responses).reduce((sum, items) => sum + items.length, 0);
    if (counter.byKind) {
      const kind = `${call.operation} ${kindOf(call.input as Record<string, unknown>)}`;
      const sum = counter.byKind.get(kind) ?? { requests: 0, ms: 0 };
      counter.byKind.set(kind, { requests: sum.requests + 1, ms: sum.ms + performance.now() - started });
    }
    return out;
  };
}

/** Which part of the world this run simulates (see worldPart): the whole, unless split. */
export interface Part {
  index: number;
  of: number;
}

export async function simulate(
  options: SimulationOptions,
  progress: (week: number, of: number, figures: WeekFigures) => void,
  part: Part = { index: 0, of: 1 },
): Promise<SimulationResult> {
  const started = performance.now();
  const { policy } = options;
  Object.assign(process.env, {
    TABLE_NAME: `simulation-${options.seed}-${part.index}`,
    NUDGE_QUIET_AFTER_DAYS: String(policy.quietAfterDays),
    NUDGE_RUNG_SPACING_DAYS: String(policy.rungSpacingDays),
    NUDGE_AT_RISK_PAUSE_DAYS: String(policy.atRiskPauseDays),
    UNASKED_EMAIL_EVERY_DAYS: String(options.budget.unaskedEveryDays),
    UNASKED_EMAILS_PER_MONTH: String(options.budget.unaskedPerMonth),
    NUDGE_DIGEST_INTERVAL_DAYS: String(policy.digestIntervalDays),
    // SES's quota is real time; a simulated year in minutes sends far faster, by design.
    SEND_RATE_PER_SECOND: '1000',
    // Every simulated person answers from this one machine's address: per-source limits would
    // count a county's practices as one stranger. The other limits stand as deployed.
    ABUSE_LIMITS: JSON.stringify(Object.fromEntries(Object.keys(defaultAbuseLimits).map((action) => [action, { perSource: { count: 100_000, hours: 1 } }]))),
  });
  const counter: TableCounter = { items: 0, requests: 0, ...(process.env.SIMULATION_PROFILE ? { byKind: new Map() } : {}) };
  // Every hourly run, as in AWS, so the reads it counts are what a year would cost there.
  const stack = await startLocalStack({ port: 0, demoData: false, start: simulationStart, instrument: countItemsRead(counter), everyRun: true, smtpPort: 0 });
  try {
    // The whole world is drawn first, so a seed gives the same people however it is split.
    const world = worldPart(buildWorld(options, options.behaviour, options.seed), part.index, part.of);
    const random = seededRandom(options.seed + 1 + part.index);
    const people = new People(world, options.behaviour, random, stack.url);
    // The simulation's own look at the table, outside the counted reads.
    const doc = localDocumentClient(stack.endpoint);
    await batchWriteAll(doc, stack.tableName, world.events.map(eventItem));

    const answers: SimulationResult['answers'] = {};
    const refusedWith: SimulationResult['refusedWith'] = {};
    const errors: string[] = [];
    const contradictions: Contradiction[] = [];
    let helloAsksChecked = 0;
    const registrations = { accepted: 0, refused: 0 };
    const registered: Array<{ code: string; event: string }> = [];
    let queue: PlannedAnswer[] = [];
    let read = 0;
    const weeks: WeekFigures[] = [];
    let weekStarted = performance.now();
    let weekItems = counter.items;
    let weekRequests = counter.requests;
    let weekMessages = 0;
    let weekContradictions = 0;

    /**
     * Each email that asks for a hello is checked, as it is read, against the takeovers of
     * the links it names, read from the table then: nobody answers between an email's
     * sending and its reading, so the records are as they were when it went, or one job's
     * change on (measures.takeoverHeldAt reads them back to the moment it was sent).
     */
    const checkHelloAsks = async (asking: MailboxMessage[]) => {
      const asks = asking.map((m) => new Set(helloAsks(m).map((a) => a.link)));
      helloAsksChecked += asks.reduce((n, links) => n + links.size, 0);
      const links = [...new Set(asks.flatMap((l) => [...l]))];
      const takeovers = new Map<string, TakeoverRecord[]>();
      await forEachAtMost(links, peopleAtOnce, async (link) => {
        takeovers.set(link, await readTakeovers(doc, stack.tableName, link));
      });
      contradictions.push(...contradictoryNudges(asking, (link) => takeovers.get(link) ?? []));
    };
    const readNewMail = async (today: number) => {
      const asking: MailboxMessage[] = [];
      for (; read < stack.mailbox.messages.length; read++) {
        const message = stack.mailbox.messages[read]!;
        queue.push(...people.read(message, today));
        if (helloAsks(message).length > 0) asking.push(message);
        // A year is some 60,000 emails: the measures need the text, not the HTML.
        message.html = '';
      }
      if (asking.length > 0) await checkHelloAsks(asking);
    };
    const act = async (today: number, actors: Set<string>) => {
      const isDue = (a: PlannedAnswer) => a.onDay <= today && actors.has(a.actor);
      const due = queue.filter(isDue);
      queue = queue.filter((a) => !isDue(a));
      // People answer independently of each other, so several at once, as they would.
      await forEachAtMost(due, peopleAtOnce, async (planned) => {
        const result = await answer(planned, stack.replies.port);
        const tally = (answers[planned.kind] ??= { answered: 0, left: 0, refused: 0, error: 0 });
        tally[result.outcome]++;
        if (result.outcome === 'refused') refusedWith[`${planned.kind} ${result.status}`] = (refusedWith[`${planned.kind} ${result.status}`] ?? 0) + 1;
        if (result.outcome === 'error') errors.push(`${planned.kind} ${result.status}: ${result.detail}`);
      });
      return due.length;
    };

    for (let d = 0; d < options.weeks * 7; d++) {
      const midnight = simulationStart.getTime() + d * day;
      const weekday = new Date(midnight).getUTCDay();
      const working = weekday >= 1 && weekday <= 5;
      const workingDayIndex = Math.floor(d / 7) * 5 + (weekday - 1);

      // Late morning: practices register and champions answer.
      await stack.scheduler.advance(midnight + 11 * hour - stack.clock.now().getTime());
      await readNewMail(d);
      let wrote = 0;
      if (working) {
        const registering = world.practices.filter((p) => p.registersOnDay === workingDayIndex);
        await forEachAtMost(registering, peopleAtOnce, async (practice) => {
          const response = await fetch(`${stack.url}/api/registrations`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              practiceCode: practice.code,
              practiceName: practice.name,
              postcode: practice.postcode,
              champion: practice.champion,
              events: [practice.eventShortName],
              contactedEventTeam: random() < 0.3 ? 'yes' : 'no',
            }),
          });
          if (response.status === 201) {
            registrations.accepted++;
            registered.push({ code: practice.code, event: practice.eventShortName });
          } else {
            registrations.refused++;
            errors.push(`registration ${practice.code} ${response.status}: ${(await response.text()).slice(0, 200)}`);
          }
        });
        wrote += registering.length;
        // The confirmation requests are in their inboxes at once: most champions confirm there and then.
        if (registering.length > 0) {
          await stack.drain();
          await readNewMail(d);
        }
        wrote += await act(d, new Set(['champion']));
      }
      if (wrote > 0) await stack.drain();

      // Evening: directors and volunteers answer, any day of the week.
      await stack.scheduler.advance(midnight + 20 * hour - stack.clock.now().getTime());
      await readNewMail(d);
      if ((await act(d, new Set(['event-director', 'volunteer']))) > 0) await stack.drain();

      if (weekday === 0) {
        const end = new Date(midnight + day);
        const links = await readLinks(doc, stack.tableName, registered);
        const contacted = links.filter((l) => l.lastContactAt && end.getTime() - Date.parse(l.lastContactAt) <= 90 * day).length;
        const figures: WeekFigures = {
          week: weeks.length + 1,
          from: new Date(midnight - 6 * day).toISOString().slice(0, 10),
          wallSeconds: Number(((performance.now() - weekStarted) / 1000).toFixed(2)),
          itemsRead: counter.items - weekItems,
          requests: counter.requests - weekRequests,
          emails: stack.mailbox.messages.length - weekMessages,
          unaskedEmails: stack.mailbox.messages.slice(weekMessages).filter(isUnasked).length,
          contradictoryNudges: contradictions.length - weekContradictions,
          links: links.length,
          contactShare90d: links.length ? Number((contacted / links.length).toFixed(4)) : 0,
          atRisk: links.filter((l) => l.status === 'at-risk').length,
        };
        weeks.push(figures);
        progress(weeks.length, options.weeks, figures);
        weekStarted = performance.now();
        weekItems = counter.items;
        weekRequests = counter.requests;
        weekMessages = stack.mailbox.messages.length;
        weekContradictions = contradictions.length;
      }
    }
    await stack.drain();
    if (counter.byKind) {
      const top = [...counter.byKind].sort((a, b) => b[1].ms - a[1].ms).slice(0, 40);
      const line = ([k, { requests, ms }]: [string, { requests: number; ms: number }]) => `${String(requests).padStart(8)} ${String(Math.round(ms)).padStart(8)} ms  ${k}`;
      process.stderr.write(`Requests by kind, slowest in all first (part ${part.index}):\n${top.map(line).join('\n')}\n`);
    }

    const readingLedger = performance.now();
    // Its own client: a page deep into a year's table can take DynamoDB Local longer than the
    // 10 s the product's client waits (a default year died here twice), and four segments at
    // once load it less than eight.
    const scan = new DynamoTableScan(localDocumentClient(stack.endpoint, undefined, 180_000), stack.tableName, 4);
    let ledgerSent = 0;
    let feedbackAsked = 0;
    let feedbackReports = 0;
    let takeovers: Record<string, number> = {};
    // The final read of the whole table: on a busy machine DynamoDB Local can take longer
    // than the client waits for one page (a year's run died here, its summary lost), so a
    // read that times out starts again, up to three times, rather than end the run.
    for (let attempt = 1; ; attempt++) {
      try {
        ledgerSent = feedbackAsked = feedbackReports = 0;
        takeovers = {};
        for await (const page of scan.entities(['Message', 'Takeover', 'FeedbackReport'])) {
          for (const item of page) {
            if (item.entityType === 'Message' && item.status === 'sent') {
              ledgerSent++;
              if (String(item.idempotencyKey).startsWith('feedback-ask#')) feedbackAsked++;
            }
            if (item.entityType === 'Takeover') takeovers[String(item.status)] = (takeovers[String(item.status)] ?? 0) + 1;
            if (item.entityType === 'FeedbackReport') feedbackReports++;
          }
        }
        break;
      } catch (error) {
        if (attempt >= 3 || (error as { code?: string }).code !== 'ETIMEDOUT') throw error;
        process.stderr.write(`Reading the ledger timed out (attempt ${attempt} of 3); reading it again\n`);
      }
    }
    if (counter.byKind) process.stderr.write(`Ledger read (part ${part.index}): ${((performance.now() - readingLedger) / 1000).toFixed(1)} s\n`);
    const linkedEvents = new Set(registered.map((r) => r.event));
    const replyOutcomes: Record<string, number> = {};
    for (const { result } of stack.replies.received) {
      const key =
        result.outcome === 'relayed' ? (result.contactRecorded ? 'contact' : 'relayed') : result.outcome === 'ignored' ? `ignored ${result.reason}` : result.outcome;
      replyOutcomes[key] = (replyOutcomes[key] ?? 0) + 1;
    }
    return {
      options,
      startedAt: simulationStart,
      endedAt: new Date(simulationStart.getTime() + options.weeks * 7 * day),
      weeks,
      messages: stack.mailbox.messages,
      people: world.people,
      directors: world.events.filter((e) => linkedEvents.has(e.shortName)).flatMap((e) => e.eventDirectors.map((d) => d.email)),
      champions: world.practices.map((p) => p.champion.email),
      answers,
      refusedWith,
      replyOutcomes,
      errors,
      contradictions,
      helloAsksChecked,
      ledgerSent,
      takeovers,
      feedbackReports,
      feedbackAsked,
      registrations,
      wallSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    };
  } finally {
    await stack.stop();
  }
}

/** The links as they stand. */
async function readLinks(doc: DocumentClient, tableName: string, registered: Array<{ code: string; event: string }>): Promise<Link[]> {
  // Only confirmed registrations have links: one never confirmed has none.
  return (await batchGetAll(doc, tableName, registered.map((r) => keys.link(r.code, r.event)))) as unknown as Link[];
}

/** A link's takeovers (`A81001.bushy`), by the practice's history in the first index: what takeoverHeldAt needs of each. */
async function readTakeovers(doc: DocumentClient, tableName: string, link: string): Promise<TakeoverRecord[]> {
  const dot = link.indexOf('.');
  return queryAll<TakeoverRecord>(doc, {
    TableName: tableName,
    IndexName: tableDefinition.gsi1.indexName,
    KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :sk)',
    ExpressionAttributeValues: { ':pk': gsi1.practiceHistory(link.slice(0, dot)), ':sk': `TAKEOVER#${link.slice(dot + 1)}#` },
    ProjectionExpression: '#status, #date, previousDate, createdAt, updatedAt',
    ExpressionAttributeNames: { '#status': 'status', '#date': 'date' },
  });
}
