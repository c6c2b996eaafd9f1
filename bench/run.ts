/**
 * `npm run bench [-- <name> [options]]`: benchmarks, one JSON line each (the last line of
 * each benchmark's output), each with a `name`. Figures, not pass/fail: the machine is
 * shared and noisy; the README keeps the latest.
 *
 *   quiet-links [--links N] [--due F]   the quiet-link sweep over N links, a share F due
 *                                       (default: at 10,000 and at 100,000 links, 1% due)
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../functions/adapters/dynamo/document-client.js';
import { localDynamoClient, startDynamoDbLocal } from '../local/dynamodb-local.js';
import { createTable } from '../local/table.js';
import { seedQuietLinks } from './quiet-links-seed.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.LOG_LEVEL ??= 'silent';

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} needs a positive number`);
  return value;
}

function runChild(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(out.trim().split('\n').pop() ?? '') : reject(new Error(`${script} exited ${code}`))));
  });
}

async function quietLinks(links: number, dueShare: number) {
  const dynamo = await startDynamoDbLocal();
  try {
    const client = localDynamoClient(dynamo.endpoint);
    const doc = createDocumentClient(client);
    const tableName = `bench-${randomUUID()}`;
    await createTable(client, tableName);
    const seedStarted = performance.now();
    const { due } = await seedQuietLinks(doc, tableName, links, dueShare);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const sweep = JSON.parse(await runChild('bench/quiet-links-sweep.ts', [dynamo.endpoint, tableName])) as {
      report: { due: number; nudges: number; failed: number };
      itemsRead: number;
      readUnits: number;
      seconds: number;
      peakRssMb: number;
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
    client.destroy();
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
      seedSeconds: Number(seedSeconds.toFixed(1)),
    };
  } finally {
    await dynamo.stop();
  }
}

const [name, ...args] = process.argv.slice(2);
if (name !== undefined && name !== 'quiet-links') {
  console.error(`Unknown benchmark ${name}. Known: quiet-links`);
  process.exit(2);
}
const dueShare = option(args, '--due', 0.01);
const sizes = args.includes('--links') ? [option(args, '--links', 10_000)] : [10_000, 100_000];
const results = [];
for (const links of sizes) {
  const result = await quietLinks(links, dueShare);
  results.push(result);
  console.log(JSON.stringify(result));
}
const [small, large] = results;
if (small && large) {
  console.log(
    JSON.stringify({
      name: 'quiet-link-sweep-scaling',
      peakRssRatio: Number((large.peakRssMb / small.peakRssMb).toFixed(3)),
      itemsReadPerDueAtLargest: large.itemsReadPerDue,
    }),
  );
}
