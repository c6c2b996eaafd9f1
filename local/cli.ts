/**
 * `npm run cli -- <command> [--profile <name>]`: operations by hand, against the table in
 * AWS (set TABLE_NAME; your AWS profile or SSO sign-in is used, as by the AWS CLI: the one
 * --profile or AWS_PROFILE names, else the default chain) or the one `npm start` runs.
 *
 *   events import <events.json> [--dry-run] [--regions <csv>] [--junior] [--country <code>] ...
 *   teams import <event-teams.csv> [--dry-run]
 *   practices import <practices.csv> [--dry-run] [--introduce] [--spread-weeks <n>]
 *       The go-live imports: parkrun's events feed, who runs each event, and the practices
 *       already in the scheme (docs/go-live.md has the file formats). A line per refused
 *       row, then a JSON summary; exit 0 (all stored), 1 (some rows refused), 2 (unusable).
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
 *   failures list [--all]
 *       What failed after every retry (stream records a watcher gave up on, failed job,
 *       reminder and mail-feedback runs, what Scheduler or a rule could not deliver): a line
 *       each (id, when, where, kind, why, status), open ones only unless --all, then a JSON
 *       summary {"open":n,"retried":n}.
 *
 *   failures retry <id>... | --all
 *       Once the cause is fixed, runs each named failure (or every open one) again with the
 *       event it failed on: the function in AWS (invoked with your credentials), the
 *       consumer or job locally. Safe, as every handler is idempotent. A line each, then a
 *       JSON summary; exit 0 when all ran cleanly, 1 when some still fail.
 */
import { FixedClock } from '../functions/adapters/clock.js';
import { SecretsManagerReader } from '../functions/adapters/secrets-manager.js';
import { resolveTokenSecret } from '../functions/adapters/token-secret.js';
import type { Clock } from '../functions/core/ports.js';
import { loadWatcherConfig } from '../functions/config.js';
import { rebuildMetrics } from '../functions/core/use-cases/head-office-metrics.js';
import { DynamoTableScan } from './table-scan.js';
import { runQuietLinkSweep, type SweepStep } from '../functions/core/use-cases/quiet-link-sweep.js';
import { mailDeps, storeDeps } from '../functions/wiring.js';
import { failureDeps } from '../functions/failure-wiring.js';
import { cliTarget, NoTargetError, type CliTarget } from './cli-target.js';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { LambdaReplay } from '../functions/adapters/lambda-replay.js';
import type { Failure, FailureReplay } from '../functions/core/failure-log.js';
import { listFailures, retryFailures, type RetryResult } from '../functions/core/use-cases/failures.js';
import { LocalReplay } from './dev-replay.js';
import { importUsage, runImport, UsageError, type ImportKind } from './cli-imports.js';

export interface CliIo {
  out(line: string): void;
  env: Record<string, string | undefined>;
  runtimeFile: string;
}

const usage = [
  'usage:',
  ...importUsage,
  'npm run cli -- sweep quiet-links [--dry-run] [--at <ISO time>]',
  'npm run cli -- metrics rebuild [--dry-run]',
  'npm run cli -- failures list [--all]',
  'npm run cli -- failures retry <id>... | --all',
  'any of them with --profile <name>: the AWS profile to sign in with (else AWS_PROFILE, else the default chain)',
].join('\n  ');

/** `--profile <name>`, wherever it is, taken out of the arguments; `profile` is null when the name is missing. */
function withoutProfile(args: string[]): { args: string[]; profile?: string | null } {
  const at = args.indexOf('--profile');
  if (at < 0) return { args };
  const name = args[at + 1];
  return { args: [...args.slice(0, at), ...args.slice(at + 2)], profile: name && !name.startsWith('-') ? name : null };
}

function describe(step: SweepStep): string {
  const who = step.to ? ` -> ${step.to}` : '';
  const rung = step.rung ? ` rung ${step.rung}` : '';
  const at = step.at ? ` at ${step.at}` : '';
  return `${step.subject.padEnd(28)} ${step.action}${rung}${who}${at}  (${step.why})`;
}

type Command =
  | { kind: 'import'; what: ImportKind; args: string[] }
  | { kind: 'sweep' | 'rebuild'; dryRun: boolean; at?: Date }
  | { kind: 'failures-list'; all: boolean }
  | { kind: 'failures-retry'; ids: string[]; all: boolean };

/** The command asked for, or undefined when the arguments make no sense (the usage is printed). */
function commandOf(args: string[]): Command | undefined {
  const [group, command, ...rest] = args;
  if ((group === 'events' || group === 'teams' || group === 'practices') && command === 'import') return { kind: 'import', what: group, args: rest };
  if (group === 'metrics' && command === 'rebuild') return rest.every((a) => a === '--dry-run') ? { kind: 'rebuild', dryRun: rest.length > 0 } : undefined;
  if (group === 'failures' && command === 'list') return rest.every((a) => a === '--all') ? { kind: 'failures-list', all: rest.length > 0 } : undefined;
  if (group === 'failures' && command === 'retry') {
    const ids = rest.filter((a) => a !== '--all');
    if (ids.some((id) => id.startsWith('-')) || (ids.length === 0 && !rest.includes('--all'))) return undefined;
    return { kind: 'failures-retry', ids, all: rest.includes('--all') };
  }
  if (group !== 'sweep' || command !== 'quiet-links') return undefined;
  const atIndex = rest.indexOf('--at');
  const atText = atIndex >= 0 ? rest[atIndex + 1] : undefined;
  const unknown = rest.filter((a, i) => a !== '--dry-run' && a !== '--at' && (atIndex < 0 || i !== atIndex + 1));
  if ((atIndex >= 0 && (!atText || Number.isNaN(Date.parse(atText)))) || unknown.length > 0) return undefined;
  return { kind: 'sweep', dryRun: rest.includes('--dry-run'), ...(atText ? { at: new Date(atText) } : {}) };
}

export async function runCli(given: string[], io: CliIo): Promise<number> {
  const { args, profile } = withoutProfile(given);
  const command = profile === null ? undefined : commandOf(args);
  if (!command) {
    io.out(usage);
    return 2;
  }
  let target: CliTarget;
  try {
    // The profile as AWS_PROFILE, as the AWS CLI takes it: the sweep's SES client reads it too.
    target = await cliTarget(profile ? { ...io.env, AWS_PROFILE: profile } : io.env, io.runtimeFile);
  } catch (error) {
    if (!(error instanceof NoTargetError)) throw error;
    io.out(error.message);
    return 1;
  }
  if (command.kind === 'import') {
    try {
      return await runImport(command.what, command.args, target, io.out);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.out(`${error.message}\n${usage}`);
      return 2;
    }
  }

  if (command.kind === 'failures-list' || command.kind === 'failures-retry') return runFailures(command, target, io);

  // The sweep and the rebuild work as the functions do, with every setting they read.
  Object.assign(process.env, target.env);
  const config = loadWatcherConfig(target.env);
  const now = command.at ?? target.localNow;
  const clock: Clock = now ? new FixedClock(now) : { now: () => new Date() };
  const secret = await resolveTokenSecret(config.tokenSecret, new SecretsManagerReader({ region: target.region, ...(target.credentials ? { credentials: target.credentials } : {}) }));
  const deps = mailDeps(storeDeps(target.doc, config.tableName, secret, clock, config.nudgePolicy), config.mail);
  if (command.kind === 'rebuild') {
    io.out(`${command.dryRun ? 'Checking' : 'Rebuilding'} the head-office figures of ${config.tableName}`);
    const { drift, scopes, items } = await rebuildMetrics({ ...deps, scan: new DynamoTableScan(target.doc, config.tableName) }, { dryRun: command.dryRun });
    for (const d of drift) io.out(`${d.scope.padEnd(28)} ${d.counter.padEnd(36)} stored ${d.stored}, recomputed ${d.recomputed}${command.dryRun ? '' : ' (corrected)'}`);
    io.out(JSON.stringify({ dryRun: command.dryRun, items, scopes, drifted: drift.length }));
    return 0;
  }
  io.out(`${command.dryRun ? 'Dry run' : 'Sweep'} of ${config.tableName} at ${clock.now().toISOString()}`);
  const report = await runQuietLinkSweep(deps, { dryRun: command.dryRun, onStep: (step) => io.out(describe(step)) });
  io.out(JSON.stringify({ dryRun: command.dryRun, ...report }));
  return report.failed > 0 ? 1 : 0;
}

/** One line, whatever the error said. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

function describeFailure(f: Failure): string {
  const lastRetry = f.lastRetryError && f.status === 'open' ? ` (last retry ${f.lastRetryAt ?? ''}: ${oneLine(f.lastRetryError)})` : '';
  const retried = f.status === 'retried' && f.retriedAt ? ` ${f.retriedAt}` : '';
  return `${f.id}  ${f.at}  ${f.where}  ${f.kind}  ${oneLine(f.why)}  ${f.status}${retried}${lastRetry}`;
}

function describeRetry(r: RetryResult): string {
  if (r.outcome === 'unknown') return `${r.id}  unknown: no failure has this id`;
  if (r.outcome === 'retried') return `${r.failure.id}  retried  ${r.failure.where}`;
  return `${r.failure.id}  ${r.outcome === 'skipped' ? 'skipped' : 'still failing'}  ${r.failure.where}: ${oneLine(r.why)}`;
}

/**
 * The failure log is in the table; running a failure again is invoking its function in AWS
 * (the operator's credentials, the SDK's endpoint settings such as AWS_ENDPOINT_URL_LAMBDA),
 * or asking the local stack to run its consumer or job.
 */
async function runFailures(command: Extract<Command, { kind: 'failures-list' | 'failures-retry' }>, target: CliTarget, io: CliIo): Promise<number> {
  const clock: Clock = target.localNow ? new FixedClock(target.localNow) : { now: () => new Date() };
  const deps = failureDeps(target.doc, target.tableName, clock);
  if (command.kind === 'failures-list') {
    const listing = await listFailures(deps, { all: command.all });
    for (const failure of listing.failures) io.out(describeFailure(failure));
    io.out(JSON.stringify({ open: listing.open, retried: listing.retried }));
    return 0;
  }
  let lambda: LambdaClient | undefined;
  let replay: FailureReplay;
  if (target.where === 'local' && target.localUrl) replay = new LocalReplay(target.localUrl);
  else {
    const endpoint = target.env.AWS_ENDPOINT_URL_LAMBDA ?? target.env.AWS_ENDPOINT_URL;
    lambda = new LambdaClient({ region: target.region, ...(target.credentials ? { credentials: target.credentials } : {}), ...(endpoint ? { endpoint } : {}) });
    replay = new LambdaReplay(lambda);
  }
  try {
    const report = await retryFailures({ ...deps, replay }, { ids: command.ids, all: command.all }, (result) => io.out(describeRetry(result)));
    io.out(JSON.stringify(report));
    return report.stillFailing > 0 || report.unknown > 0 ? 1 : 0;
  } finally {
    lambda?.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const code = await runCli(process.argv.slice(2), { out: (line) => console.log(line), env: process.env, runtimeFile: '.local/runtime.json' });
  process.exit(code);
}
