/**
 * `npm run cli -- <command>`: operations by hand.
 *
 *   sweep quiet-links [--dry-run] [--at <ISO time>]
 *       Runs the quiet-link sweep now, or with --dry-run prints for each link what it
 *       would do (who, which rung, why) and changes and sends nothing.
 *
 *   metrics rebuild [--dry-run]
 *       Recomputes the head-office figures the data can give (links by status, contact,
 *       activities, events, takeovers fixed, feedback totals, suppressed addresses) by
 *       reading the whole table, prints every figure that had drifted, and corrects it
 *       (with --dry-run, only prints). Nudges and answers are history and are left as kept.
 *
 * Which table: with TABLE_NAME (and the other settings in functions/config.ts) in the
 * environment, that one, in AWS; otherwise the one `npm start` is running, found through
 * .local/runtime.json, using its local clock unless --at is given.
 */
import { existsSync, readFileSync } from 'node:fs';
import { FixedClock } from '../functions/adapters/clock.js';
import type { Clock } from '../functions/core/ports.js';
import { loadWatcherConfig } from '../functions/config.js';
import { rebuildMetrics } from '../functions/core/use-cases/head-office-metrics.js';
import { createDocumentClient } from '../functions/adapters/dynamo/document-client.js';
import { DynamoTableScan } from './table-scan.js';
import { runQuietLinkSweep, type SweepStep } from '../functions/core/use-cases/quiet-link-sweep.js';
import { mailDeps, storeDepsFromConfig } from '../functions/wiring.js';
import { localAwsEnv } from './dynamodb-local.js';

export interface CliIo {
  out(line: string): void;
  env: Record<string, string | undefined>;
  runtimeFile: string;
}

const usage = 'usage: npm run cli -- sweep quiet-links [--dry-run] [--at <ISO time>] | metrics rebuild [--dry-run]';

function describe(step: SweepStep): string {
  const who = step.to ? ` -> ${step.to}` : '';
  const rung = step.rung ? ` rung ${step.rung}` : '';
  const at = step.at ? ` at ${step.at}` : '';
  return `${step.subject.padEnd(28)} ${step.action}${rung}${who}${at}  (${step.why})`;
}

export async function runCli(args: string[], io: CliIo): Promise<number> {
  const [group, command, ...rest] = args;
  const which = group === 'sweep' && command === 'quiet-links' ? 'sweep' : group === 'metrics' && command === 'rebuild' ? 'rebuild' : undefined;
  if (!which || (which === 'rebuild' && rest.some((a) => a !== '--dry-run'))) {
    io.out(usage);
    return 2;
  }
  const dryRun = rest.includes('--dry-run');
  const atIndex = rest.indexOf('--at');
  const atText = atIndex >= 0 ? rest[atIndex + 1] : undefined;
  const unknown = rest.filter((a, i) => a !== '--dry-run' && a !== '--at' && i !== atIndex + 1);
  if ((atIndex >= 0 && (!atText || Number.isNaN(Date.parse(atText)))) || unknown.length > 0) {
    io.out(usage);
    return 2;
  }

  let env = io.env;
  let clockNow: Date | undefined = atText ? new Date(atText) : undefined;
  if (!env.TABLE_NAME) {
    if (!existsSync(io.runtimeFile)) {
      io.out('Nothing to talk to: start the product with `npm start`, or set TABLE_NAME and the settings in functions/config.ts for AWS.');
      return 1;
    }
    const runtime = JSON.parse(readFileSync(io.runtimeFile, 'utf8')) as { url: string; endpoint: string; tableName: string; tokenSecret: string };
    env = {
      ...env,
      ...localAwsEnv,
      TABLE_NAME: runtime.tableName,
      TOKEN_SECRET: runtime.tokenSecret,
      PUBLIC_BASE_URL: runtime.url,
      MAIL_FROM: env.MAIL_FROM ?? 'parkrun practice nudges <nudges@parkrun-practice.example>',
      MAIL_REPLY_TO: env.MAIL_REPLY_TO ?? 'health@parkrun-practice.example',
      AWS_ENDPOINT_URL_DYNAMODB: runtime.endpoint,
      AWS_ENDPOINT_URL_SESV2: runtime.url,
    };
    // The local stack's clock may have been moved on: ask it, unless told the time.
    clockNow ??= new Date(((await (await fetch(`${runtime.url}/dev/clock`)).json()) as { now: string }).now);
  }
  Object.assign(process.env, env);
  const config = loadWatcherConfig(env);
  const clock: Clock = clockNow ? new FixedClock(clockNow) : { now: () => new Date() };
  const deps = mailDeps(await storeDepsFromConfig(config, clock), config.mail);
  if (which === 'rebuild') {
    io.out(`${dryRun ? 'Checking' : 'Rebuilding'} the head-office figures of ${config.tableName}`);
    const { drift, scopes, items } = await rebuildMetrics({ ...deps, scan: new DynamoTableScan(createDocumentClient(), config.tableName) }, { dryRun });
    for (const d of drift) io.out(`${d.scope.padEnd(28)} ${d.counter.padEnd(36)} stored ${d.stored}, recomputed ${d.recomputed}${dryRun ? '' : ' (corrected)'}`);
    io.out(JSON.stringify({ dryRun, items, scopes, drifted: drift.length }));
    return 0;
  }
  io.out(`${dryRun ? 'Dry run' : 'Sweep'} of ${config.tableName} at ${clock.now().toISOString()}`);
  const report = await runQuietLinkSweep(deps, { dryRun, onStep: (step) => io.out(describe(step)) });
  io.out(JSON.stringify({ dryRun, ...report }));
  return report.failed > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const code = await runCli(process.argv.slice(2), { out: (line) => console.log(line), env: process.env, runtimeFile: '.local/runtime.json' });
  process.exit(code);
}
