/**
 * Every Lambda the stack deploys: its bundle's size, and how long a fresh Node process takes
 * to import it and reach its `handler` (the share of a cold start that is ours: loading,
 * parsing and running the module's top level, config and AWS clients included). Issue 17's
 * target is a cold import median under 150 ms for each; bundle size is shown but is not a
 * target. Each entry is built with esbuild from the settings the stack deploys with
 * (infra/constructs/bundling.ts, which HouseFunction hands to NodejsFunction), one bundle per
 * entry as NodejsFunction builds them, so what is measured is what is deployed. Figures, not
 * pass/fail: the machine is shared, and it runs the local Node, not Lambda's Node 22 on arm64.
 *
 * Which Lambdas: the stack's source, read, not run (nothing is synthesised). Every string
 * literal (parsed with the TypeScript compiler, so comments do not count) in infra/**\/*.ts
 * and in every module of the repository those import, directly or not (so an entry declared
 * in a table the stack reads, such as stream-filters.ts's watchers, counts too), that names
 * a file `functions/….ts` which exists and exports `handler`. That is what a HouseFunction
 * `entry` is (HouseFunctionProps says so), wherever the literal sits, so a Lambda added
 * anywhere the stack takes entries from is measured without touching this file. Files under
 * functions/ that export `handler` but that no such literal names are listed too
 * (`notDeployed`), so an entry built from a computed path would not go unnoticed.
 *
 * `npm run bench -- lambda-cold-import [--runs N] [--only TEXT]`: N fresh processes per
 * Lambda (default 10), taken in turns across the Lambdas so the machine's noise is spread
 * over all of them; `--only` keeps the entries whose path contains TEXT.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import ts from 'typescript';
import { houseBundling, houseNodeOptions } from '../infra/constructs/bundling.js';
import * as streamFilters from '../functions/adapters/dynamo/stream-filters.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const defaultRuns = 10;
const targetColdImportMs = 150;

/**
 * Every setting functions/config.ts reads at a cold start, for every Lambda alike (each
 * reads the part it needs), as placeholders that keep the import off the network: the token
 * key and the head-office list given directly (in AWS each is a Secrets Manager read at cold
 * start, which is not measured here), placeholder credentials (no credential-provider
 * lookups), and every AWS endpoint pointed at a closed local port, so a stray request fails
 * at once rather than reaching AWS. Importing constructs clients; it sends nothing.
 */
function streamRoutes(): { STREAM_ROUTES?: string } {
  const names = (streamFilters as Record<string, unknown>).routedWatcherNames;
  return Array.isArray(names) ? { STREAM_ROUTES: names.map((name) => `${String(name)}=bench-${String(name)}`).join(',') } : {};
}

const placeholderEnv = {
  TABLE_NAME: 'bench-table',
  TOKEN_SECRET: 'bench-token-secret-bench-token-secret-0000',
  HEAD_OFFICE_ALLOWLIST: 'head.office@example.org',
  PUBLIC_BASE_URL: 'https://nudges.example.org',
  MAIL_FROM: 'parkrun practice nudges <nudges@example.org>',
  MAIL_REPLY_TO: 'head.office@example.org',
  SES_CONFIGURATION_SET: 'bench-configuration-set',
  REMINDER_TARGET_ARN: 'arn:aws:lambda:eu-west-2:000000000000:function:bench-reminder',
  REMINDER_ROLE_ARN: 'arn:aws:iam::000000000000:role/bench-reminder-role',
  REMINDER_DLQ_ARN: 'arn:aws:sqs:eu-west-2:000000000000:bench-reminder-dlq',
  REMINDER_GROUP: 'bench-reminders',
  // The reply receiver's (and the mail senders' reply addresses).
  MAIL_REPLY_DOMAIN: 'reply.example.org',
  REPLY_BUCKET: 'bench-replies',
  REPLY_OBJECT_PREFIX: 'replies/',
  // The failure keeper's map of watcher functions to consumers: one per consumer there is.
  STREAM_CONSUMERS: Object.keys(streamFilters.streamConsumerFilters).map((consumer) => `bench-${consumer}=${consumer}`).join(','),
  // The stream router's function for each watcher it feeds, where the code has a router.
  ...streamRoutes(),
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  LOG_LEVEL: 'silent',
  POWERTOOLS_LOG_LEVEL: 'silent',
};

async function tsFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const item of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, item.name);
    if (item.isDirectory()) {
      if (item.name !== 'node_modules') found.push(...(await tsFiles(path)));
    } else if (item.name.endsWith('.ts') && !item.name.endsWith('.d.ts') && !item.name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const parse = async (file: string) => ts.createSourceFile(file, await readFile(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);

/** Whether a module exports a binding named `handler` (declared, or in an export list). */
function exportsHandler(source: ts.SourceFile): boolean {
  const exported = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  return source.statements.some((statement) => {
    if (ts.isVariableStatement(statement) && exported(statement)) {
      return statement.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === 'handler');
    }
    if (ts.isFunctionDeclaration(statement) && exported(statement)) return statement.name?.text === 'handler';
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      return statement.exportClause.elements.some((e) => e.name.text === 'handler');
    }
    return false;
  });
}

export interface LambdaEntries {
  /** Entry files (relative to the repository root, `/`-separated) that infra names and that export `handler`. */
  entries: string[];
  /** Files under functions/ that export `handler` but that infra does not name. */
  notDeployed: string[];
}

/** A relative import's file (`./x.js` is `./x.ts` in the source), if it is one of ours. */
function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = resolve(dirname(from), specifier);
  const candidates = [target.replace(/\.(m|c)?js$/, '.$1ts'), target, `${target}.ts`, join(target, 'index.ts')];
  return candidates.find((c) => c.endsWith('.ts') && existsSync(c) && statSync(c).isFile());
}

/** The Lambda entries the stack deploys, read from its source (see the top of this file). */
export async function lambdaEntries(): Promise<LambdaEntries> {
  const named = new Set<string>();
  const pending = await tsFiles(join(root, 'infra'));
  const seen = new Set(pending);
  while (pending.length > 0) {
    const file = pending.pop()!;
    const follow = (specifier: ts.Node | undefined) => {
      if (!specifier || !ts.isStringLiteralLike(specifier)) return;
      const imported = resolveImport(file, specifier.text);
      if (imported && !imported.includes(`${sep}node_modules${sep}`) && !seen.has(imported)) {
        seen.add(imported);
        pending.push(imported);
      }
    };
    const visit = (node: ts.Node): void => {
      if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && /^functions\/[\w./-]+\.ts$/.test(node.text)) named.add(node.text);
      if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) follow(node.moduleSpecifier);
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) follow(node.arguments[0]);
      ts.forEachChild(node, visit);
    };
    visit(await parse(file));
  }
  const handlers: string[] = [];
  for (const file of await tsFiles(join(root, 'functions'))) {
    if (exportsHandler(await parse(file))) handlers.push(relative(root, file).split(sep).join('/'));
  }
  handlers.sort();
  return { entries: handlers.filter((f) => named.has(f)), notDeployed: handlers.filter((f) => !named.has(f)) };
}

/**
 * Runs in each child: the time to import the bundle and reach its handler, from just before
 * to just after; and the CPU time the process spent meanwhile, which a busy machine inflates
 * far less than the elapsed time (a comparison of two runs on a shared machine can lean on it).
 */
const childScript = `
const cpu = process.cpuUsage();
const started = performance.now();
const { handler } = await import(process.argv[1]);
if (typeof handler !== 'function') throw new Error('the bundle exports no handler function');
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000 }), () => process.exit(0));
`;

interface ImportTiming {
  ms: number;
  cpuMs: number;
}

function importOnce(entry: string, url: string, nodeOptions: string): Promise<ImportTiming> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', childScript, url], {
      env: { PATH: process.env.PATH ?? '', ...placeholderEnv, NODE_OPTIONS: nodeOptions },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      let timing: Partial<ImportTiming> = {};
      try {
        timing = JSON.parse(out) as ImportTiming;
      } catch {
        // reported below
      }
      if (code === 0 && Number.isFinite(timing.ms) && Number.isFinite(timing.cpuMs)) resolve(timing as ImportTiming);
      else reject(new Error(`importing the bundle of ${entry} failed (exit ${code}): ${err.trim() || out.trim()}`));
    });
  });
}

/** One bundle, as NodejsFunction builds it from HouseFunction's settings. */
async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: houseBundling.platform,
    format: houseBundling.format,
    target: houseBundling.target,
    mainFields: [...houseBundling.mainFields],
    banner: { js: houseBundling.banner },
    minify: houseBundling.minify,
    sourcemap: houseBundling.sourceMap,
    sourcesContent: houseBundling.sourcesContent,
    alias: houseBundling.alias,
    absWorkingDir: root,
    external: [...houseBundling.externalModules],
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'warning',
  });
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const median = (values: number[]) => {
  const s = sorted(values);
  const mid = s.length / 2;
  return s.length % 2 ? s[Math.floor(mid)]! : (s[mid - 1]! + s[mid]!) / 2;
};
/** Nearest rank: the value 90% of the runs are at or below. */
const p90 = (values: number[]) => sorted(values)[Math.max(0, Math.ceil(values.length * 0.9) - 1)]!;
const round1 = (n: number) => Number(n.toFixed(1));

/** `functions/watchers/takeover-watcher.ts` → `watchers/takeover-watcher`. */
const lambdaName = (entry: string) => entry.replace(/^functions\//, '').replace(/\.ts$/, '');

export interface LambdaFigures {
  lambda: string;
  entry: string;
  bytes: number;
  kb: number;
  coldImportMsMedian: number;
  coldImportMsP90: number;
  coldImportMsRuns: number[];
  /** CPU time (user + system) of the same imports: less swayed by other work on the machine. */
  cpuMsMedian: number;
  withinTarget: boolean;
}

function table(rows: LambdaFigures[]): string {
  const header = ['Lambda', 'bundle KB', 'cold import median ms', 'p90 ms', `median ≤ ${targetColdImportMs} ms`, 'CPU median ms'];
  const body = rows.map((r) => [r.lambda, r.kb.toFixed(1), r.coldImportMsMedian.toFixed(1), r.coldImportMsP90.toFixed(1), r.withinTarget ? 'yes' : 'NO', r.cpuMsMedian.toFixed(1)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined) throw new Error(`${name} needs a value`);
  return value;
}

/** Prints the table, and returns the figures as one record (bench/run.ts prints it as the last line). */
export async function lambdaColdImportBench(args: string[] = []): Promise<Record<string, unknown>> {
  const runsOption = option(args, '--runs');
  const runs = runsOption === undefined ? defaultRuns : Number(runsOption);
  if (!Number.isInteger(runs) || runs <= 0) throw new Error('--runs needs a positive whole number');
  const only = option(args, '--only');

  const found = await lambdaEntries();
  const entries = found.entries.filter((e) => only === undefined || e.includes(only));
  if (entries.length === 0) throw new Error(`no Lambda entries found${only === undefined ? '' : ` containing ${only}`}`);

  // With external modules the bundles must sit where they resolve (the project's
  // node_modules stands in for the runtime's), so that loading them is measured too.
  const parent = houseBundling.externalModules.length > 0 ? join(root, 'node_modules', '.cache') : tmpdir();
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, 'lambda-cold-import-'));
  try {
    const outfiles = entries.map((entry) => join(dir, lambdaName(entry).replace(/\//g, '--'), 'index.mjs'));
    const started = performance.now();
    await Promise.all(entries.map((entry, i) => bundle(entry, outfiles[i]!)));
    const bundleSeconds = (performance.now() - started) / 1000;

    // In turns: run 1 of every Lambda, then run 2 of every Lambda, ... each a fresh process,
    // one at a time (not in parallel, which would measure contention). As deployed: the
    // functions' NODE_OPTIONS (source maps on) is part of every cold start.
    // The load average either side says how busy the (shared) machine was meanwhile.
    const loadBefore = loadavg()[0]!;
    const measureStarted = performance.now();
    const timings: ImportTiming[][] = entries.map(() => []);
    for (let run = 0; run < runs; run++) {
      for (const [i, entry] of entries.entries()) {
        timings[i]!.push(await importOnce(entry, pathToFileURL(outfiles[i]!).href, houseNodeOptions));
      }
    }
    const measureSeconds = (performance.now() - measureStarted) / 1000;
    const loadAfter = loadavg()[0]!;

    const lambdas: LambdaFigures[] = [];
    for (const [i, entry] of entries.entries()) {
      const bytes = (await stat(outfiles[i]!)).size;
      const runsMs = timings[i]!.map((t) => round1(t.ms));
      const medianMs = round1(median(runsMs));
      lambdas.push({
        lambda: lambdaName(entry),
        entry,
        bytes,
        kb: round1(bytes / 1024),
        coldImportMsMedian: medianMs,
        coldImportMsP90: round1(p90(runsMs)),
        coldImportMsRuns: runsMs,
        cpuMsMedian: round1(median(timings[i]!.map((t) => t.cpuMs))),
        withinTarget: medianMs <= targetColdImportMs,
      });
    }
    console.log(table(lambdas));
    console.log(`${runs} fresh processes per Lambda, ${round1(measureSeconds)} s; load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after, on ${cpus().length} CPUs`);
    if (found.notDeployed.length > 0) console.log(`Export handler but infra names them nowhere (not measured): ${found.notDeployed.join(', ')}`);
    return {
      name: 'lambda-cold-import',
      nodeVersion: process.version,
      nodeOptions: houseNodeOptions,
      runsPerLambda: runs,
      targetColdImportMs,
      allWithinTarget: lambdas.every((l) => l.withinTarget),
      bundleSeconds: round1(bundleSeconds),
      measureSeconds: round1(measureSeconds),
      cpus: cpus().length,
      loadAverage: [Number(loadBefore.toFixed(2)), Number(loadAfter.toFixed(2))],
      lambdas,
      notDeployed: found.notDeployed,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
