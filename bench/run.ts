/**
 * `npm run bench [-- <name> [options]]`: benchmarks, one JSON line each (the last line of
 * each benchmark's output), each with a `name`. With no name, every benchmark runs, in
 * the order below. Figures, not pass/fail: the machine is shared and noisy; docs/benchmarks.md
 * keeps the latest.
 *
 *   quiet-links [--links N] [--due F]   the quiet-link sweep over N links, a share F due
 *                                       (default: at 10,000 and at 100,000 links, 1% due)
 *   dashboard [--links N] [--renders R] the head-office dashboard page: items read and the
 *                                       median of R renders (default 15), signed in, for
 *                                       the whole country and for a region (default: at
 *                                       1,000 and at 50,000 links, then whether the items
 *                                       read are equal, and within 1 + 7 × 52 for a
 *                                       dashboard)
 *   mail-rate [--rate N] [--messages M] [--senders S]
 *                                       M messages (default 1,000) through the production
 *                                       mail chain, SES mocked at 50 ms a send, against
 *                                       the configured maximum (SEND_RATE_PER_SECOND,
 *                                       default 10, or N); S senders sharing the mailer
 *                                       (default 4, as the feedback job sends: core/concurrency.ts)
 *   lambda-cold-import [--runs N] [--only TEXT]
 *                                       every Lambda the stack deploys: bundle size, and the
 *                                       median and p90 cold import over N fresh processes
 *                                       each (default 10), against 150 ms; a table, then
 *                                       the JSON line (bench/lambda-cold-import.ts)
 *   import [--scale N]                  the three go-live imports (events feed, teams,
 *                                       practices) through the CLI into an empty table: the
 *                                       seconds each takes and the heap held (default: at
 *                                       the real size, 700 events, 1,500 directors and 2,000
 *                                       practices, then every file 4 times larger over the
 *                                       same events, and their ratios)
 *
 *   dynamodb-local-aging [--tables N] [--items I]
 *                                       DynamoDB Local's JVM CPU and time for one stream
 *                                       workload, fresh and after N tables of I items
 *                                       (default 25 of 400), in its own memory store and
 *                                       in the indexed store (bench/dynamodb-local-aging.ts)
 *
 * Each benchmark on DynamoDB Local starts its own, and measures in a child process.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeImportFiles } from './import-files.js';
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '../functions/adapters/dynamo/document-client.js';
import type { DocumentClient } from '../functions/adapters/dynamo/document-client.js';
import { localDocumentClient, localDynamoClient, startDynamoDbLocal } from '../local/dynamodb-local.js';
import { createTable } from '../local/table.js';
import { seedDashboard } from './dashboard-seed.js';
import { seedQuietLinks } from './quiet-links-seed.js';
import { sendersPerJob } from '../functions/core/concurrency.js';
import { dynamoDbLocalAging } from './dynamodb-local-aging.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.LOG_LEVEL ??= 'silent';

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} needs a positive number`);
  return value;
}

function runChild(script: string, args: string[], nodeFlags: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(out.trim().split('\n').pop() ?? '') : reject(new Error(`${script} exited ${code}`))));
  });
}

/** A fresh table on a DynamoDB Local of its own, stopped afterwards whatever happens. */
async function withTable<T>(use: (endpoint: string, doc: DocumentClient, tableName: string) => Promise<T>): Promise<T> {
  const dynamo = await startDynamoDbLocal();
  try {
    const client = localDynamoClient(dynamo.endpoint);
    const doc = localDocumentClient(dynamo.endpoint);
    const tableName = `bench-${randomUUID()}`;
    await createTable(client, tableName);
    try {
      return await use(dynamo.endpoint, doc, tableName);
    } finally {
      client.destroy();
    }
  } finally {
    await dynamo.stop();
  }
}

function quietLinks(links: number, dueShare: number) {
  return withTable(async (endpoint, doc, tableName) => {
    const seedStarted = performance.now();
    const { due } = await seedQuietLinks(doc, tableName, links, dueShare);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const sweep = JSON.parse(await runChild('bench/quiet-links-sweep.ts', [endpoint, tableName], ['--expose-gc'])) as {
      report: { due: number; nudges: number; failed: number };
      itemsRead: number;
      readUnits: number;
      seconds: number;
      peakRssMb: number;
      peakRetainedHeapMb: number;
      messages: number;
    };
    // The baseline: what reading the whole table would cost, measured the same way.
    let scanReadUnits = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ReturnConsumedCapacity: 'TOTAL', Select: 'COUNT' }));
      scanReadUnits += out.ConsumedCapacity?.CapacityUnits ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return {
      name: 'quiet-link-sweep',
      links,
      due,
      swept: sweep.report.due,
      nudges: sweep.report.nudges,
      failed: sweep.report.failed,
      itemsRead: sweep.itemsRead,
      itemsReadPerDue: Number((sweep.itemsRead / due).toFixed(3)),
      readUnits: Number(sweep.readUnits.toFixed(1)),
      scanReadUnits: Number(scanReadUnits.toFixed(1)),
      seconds: sweep.seconds,
      peakRssMb: sweep.peakRssMb,
      peakRetainedHeapMb: sweep.peakRetainedHeapMb,
      seedSeconds: Number(seedSeconds.toFixed(1)),
    };
  });
}

/**
 * A benchmark at two sizes (or the one `--links` asks for): one line per size, then a
 * line comparing the two, for the figures whose target is how they scale.
 */
async function atSizes<R>(args: string[], sizes: [number, number], run: (links: number) => Promise<R>, compare: (small: R, large: R) => Record<string, unknown>) {
  const chosen = args.includes('--links') ? [option(args, '--links', sizes[0])] : sizes;
  const results: R[] = [];
  for (const links of chosen) {
    const result = await run(links);
    results.push(result);
    console.log(JSON.stringify(result));
  }
  const [small, large] = results;
  if (small && large) console.log(JSON.stringify(compare(small, large)));
}

function quietLinksBench(args: string[]) {
  const dueShare = option(args, '--due', 0.01);
  return atSizes(args, [10_000, 100_000], (links) => quietLinks(links, dueShare), (small, large) => ({
    name: 'quiet-link-sweep-scaling',
    // The target (flat within 10%) is on what the sweep holds; peak RSS also counts
    // garbage V8 has not yet collected, which grows with the nudges sent.
    peakRetainedHeapRatio: Number((large.peakRetainedHeapMb / small.peakRetainedHeapMb).toFixed(3)),
    peakRssRatio: Number((large.peakRssMb / small.peakRssMb).toFixed(3)),
    itemsReadPerDueAtLargest: large.itemsReadPerDue,
  }));
}

interface ScopeFigures {
  linksInScope: number;
  itemsRead: number;
  dashboardItemsRead: number;
  renderMsMedian: number;
  renderMsMax: number;
  loadMsMedian: number;
  pageKb: number;
}

async function dashboard(links: number, renders: number) {
  return withTable(async (endpoint, doc, tableName) => {
    const seedStarted = performance.now();
    const { days } = await seedDashboard(doc, tableName, links);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const measured = JSON.parse(await runChild('bench/dashboard-render.ts', [endpoint, tableName, String(renders)])) as {
      all: ScopeFigures;
      region: ScopeFigures;
      peakRssMb: number;
    };
    return {
      name: 'head-office-dashboard',
      links,
      seededDays: days,
      renders,
      // The whole country's page: the session, the scope's totals and its days of 52 weeks.
      itemsRead: measured.all.itemsRead,
      dashboardItemsRead: measured.all.dashboardItemsRead,
      renderMsMedian: measured.all.renderMsMedian,
      renderMsMax: measured.all.renderMsMax,
      loadMsMedian: measured.all.loadMsMedian,
      pageKb: measured.all.pageKb,
      // One region's page (London): the region's figures and the whole country's totals too.
      regionLinks: measured.region.linksInScope,
      regionItemsRead: measured.region.itemsRead,
      regionDashboardItemsRead: measured.region.dashboardItemsRead,
      regionRenderMsMedian: measured.region.renderMsMedian,
      regionLoadMsMedian: measured.region.loadMsMedian,
      peakRssMb: measured.peakRssMb,
      seedSeconds: Number(seedSeconds.toFixed(1)),
    };
  });
}

function dashboardBench(args: string[]) {
  const renders = option(args, '--renders', 15);
  return atSizes(args, [1_000, 50_000], (links) => dashboard(links, renders), (small, large) => ({
    name: 'head-office-dashboard-scaling',
    itemsReadEqual: small.itemsRead === large.itemsRead && small.regionItemsRead === large.regionItemsRead,
    itemsRead: [small.itemsRead, large.itemsRead],
    regionItemsRead: [small.regionItemsRead, large.regionItemsRead],
    // loadDashboard alone, as test/integration/head-office.test.ts checks it at 20 and 200
    // links: the same at both sizes, and within the scope's totals and one item per day of
    // the 52 weeks (1 + 7 × 52), whatever the number of links.
    dashboardItemsRead: [small.dashboardItemsRead, large.dashboardItemsRead],
    regionDashboardItemsRead: [small.regionDashboardItemsRead, large.regionDashboardItemsRead],
    dashboardItemsReadEqual: small.dashboardItemsRead === large.dashboardItemsRead && small.regionDashboardItemsRead === large.regionDashboardItemsRead,
    dashboardItemsReadWithinYear: Math.max(small.dashboardItemsRead, large.dashboardItemsRead) <= 1 + 7 * 52,
    renderMsMedianRatio: Number((large.renderMsMedian / small.renderMsMedian).toFixed(2)),
  }));
}

async function mailRateBench(args: string[]) {
  const messages = option(args, '--messages', 1_000);
  const senders = option(args, '--senders', sendersPerJob);
  // Absent, the child reads SEND_RATE_PER_SECOND (default 10) as the functions do.
  const rate = args.includes('--rate') ? String(option(args, '--rate', 10)) : '';
  const result = await withTable(async (endpoint, _doc, tableName) =>
    JSON.parse(await runChild('bench/mail-rate-send.ts', [endpoint, tableName, String(messages), String(senders), rate])) as {
      messages: number;
      outcomes: Record<string, number>;
      configuredPerSecond: number;
      seconds: number;
      wallSeconds: number;
      maxInAnySecond: number;
      windowsOver: number;
      minGapMs: number;
      medianGapMs: number;
      p90GapMs: number;
      maxGapMs: number;
      gapsOverPaceShare: number;
      dynamoCallsPerMessage: number;
      dynamoMsPerMessage: number;
      medianSendMs: number;
    },
  );
  const achievedPerSecond = result.messages / result.seconds;
  const ratio = achievedPerSecond / result.configuredPerSecond;
  console.log(
    JSON.stringify({
      name: 'mail-rate',
      sending: senders === sendersPerJob ? `${senders} at a time through one mailer, as the feedback job sends` : `${senders} at a time through one mailer`,
      senders,
      messages: result.messages,
      outcomes: result.outcomes,
      configuredPerSecond: result.configuredPerSecond,
      // messages / (last send start − first send start)
      achievedPerSecond: Number(achievedPerSecond.toFixed(3)),
      ratio: Number(ratio.toFixed(4)),
      maxInAnySecond: result.maxInAnySecond,
      windowsOverMax: result.windowsOver,
      minGapMs: result.minGapMs,
      medianGapMs: result.medianGapMs,
      p90GapMs: result.p90GapMs,
      maxGapMs: result.maxGapMs,
      gapsOverPaceShare: result.gapsOverPaceShare,
      // The mailer's own table work per message (claim, opt-out check, tokens, markSent): with
      // one sender, it and SES's 50 ms must fit in 1 / configured seconds for the pace to hold.
      dynamoCallsPerMessage: result.dynamoCallsPerMessage,
      dynamoMsPerMessage: result.dynamoMsPerMessage,
      medianSendMs: result.medianSendMs,
      seconds: result.seconds,
      withinFivePercent: ratio >= 0.95,
      neverAboveMax: result.maxInAnySecond <= result.configuredPerSecond,
    }),
  );
}

/** bench/lambda-cold-import.ts: loaded only when it runs (it brings esbuild and TypeScript). */
async function lambdaColdImport(args: string[]) {
  const { lambdaColdImportBench } = await import('./lambda-cold-import.js');
  console.log(JSON.stringify(await lambdaColdImportBench(args)));
}

async function goLiveImport(scale: number) {
  const dir = await mkdtemp(join(tmpdir(), 'bench-import-'));
  const files = await writeImportFiles(dir, scale);
  return withTable(async (endpoint, _doc, tableName) => {
    const measured = JSON.parse(await runChild('bench/import-run.ts', [endpoint, tableName, files.events, files.regions, files.teams, files.practices], ['--expose-gc'])) as {
      events: { seconds: number; summary: Record<string, number> };
      teams: { seconds: number; summary: Record<string, number> };
      practices: { seconds: number; summary: Record<string, number> };
      seconds: number;
      peakRetainedHeapMb: number;
      peakRssMb: number;
    };
    return {
      name: 'go-live-import',
      scale,
      files: files.counts,
      fileMb: Number((files.counts.bytes / 1048576).toFixed(1)),
      eventsSeconds: measured.events.seconds,
      teamsSeconds: measured.teams.seconds,
      practicesSeconds: measured.practices.seconds,
      seconds: measured.seconds,
      events: measured.events.summary,
      teams: measured.teams.summary,
      practices: measured.practices.summary,
      peakRetainedHeapMb: measured.peakRetainedHeapMb,
      peakRssMb: measured.peakRssMb,
      underAMinute: measured.seconds < 60,
    };
  });
}

async function importBench(args: string[]) {
  const scales = args.includes('--scale') ? [option(args, '--scale', 1)] : [1, 4];
  const results = [];
  for (const scale of scales) {
    const result = await goLiveImport(scale);
    results.push(result);
    console.log(JSON.stringify(result));
  }
  const [small, large] = results;
  if (small && large) {
    console.log(
      JSON.stringify({
        name: 'go-live-import-scaling',
        fileSizeRatio: Number((large.files.bytes / small.files.bytes).toFixed(2)),
        peakRetainedHeapRatio: Number((large.peakRetainedHeapMb / small.peakRetainedHeapMb).toFixed(3)),
        secondsRatio: Number((large.seconds / small.seconds).toFixed(2)),
      }),
    );
  }
}

const benchmarks: Record<string, (args: string[]) => Promise<void>> = {
  'quiet-links': quietLinksBench,
  dashboard: dashboardBench,
  'mail-rate': mailRateBench,
  'lambda-cold-import': lambdaColdImport,
  import: importBench,
  'dynamodb-local-aging': async (args) => console.log(JSON.stringify(await dynamoDbLocalAging(option(args, '--tables', 25), option(args, '--items', 400)))),
};

const [name, ...args] = process.argv.slice(2);
if (name !== undefined && !(name in benchmarks)) {
  console.error(`Unknown benchmark ${name}. Known: ${Object.keys(benchmarks).join(', ')}`);
  process.exit(2);
}
for (const [each, run] of Object.entries(benchmarks)) {
  if (name === undefined || name === each) await run(name === undefined ? [] : args);
}
