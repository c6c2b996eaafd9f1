/**
 * The API Lambda's bundle: how big it is, and how long a fresh Node process takes to import
 * it (the share of a cold start that is ours: loading, parsing and running the module's top
 * level, config and SDK clients included). Built with esbuild from the settings the stack
 * deploys with (infra/constructs/bundling.ts, which HouseFunction hands to NodejsFunction),
 * so what is measured is what is deployed. Figures, not pass/fail: the machine is shared,
 * and it runs the local Node, not Lambda's Node 22 on arm64.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { houseBundling, houseNodeOptions } from '../infra/constructs/bundling.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const entry = join(root, 'functions/api/lambda.ts');
const children = 10;
const targetKb = 400;
const targetColdImportMs = 150;

/**
 * What the API's top level reads (functions/config.ts), as placeholders that keep the import
 * off the network: the token key and the head-office list given directly (the AWS form of
 * each is a Secrets Manager read), placeholder credentials (no credential-provider lookups),
 * and every AWS endpoint pointed at a closed local port, so a stray request fails at once
 * rather than reaching AWS. Importing constructs clients; it sends nothing.
 */
const placeholderEnv = {
  TABLE_NAME: 'bench-table',
  TOKEN_SECRET: 'bench-token-secret-bench-token-secret-0000',
  HEAD_OFFICE_ALLOWLIST: 'head.office@example.org',
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  LOG_LEVEL: 'silent',
};

/** Runs in each child: the time to import the bundle, from just before to just after. */
const childScript = `
const started = performance.now();
await import(process.argv[1]);
const ms = performance.now() - started;
process.stdout.write(JSON.stringify(ms), () => process.exit(0));
`;

function importOnce(url: string, nodeOptions: string): Promise<number> {
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
      const ms = Number(out);
      if (code === 0 && Number.isFinite(ms)) resolve(ms);
      else reject(new Error(`importing the API bundle failed (exit ${code}): ${err.trim() || out.trim()}`));
    });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round1 = (n: number) => Number(n.toFixed(1));

/** One fresh process after another (not in parallel, which would measure contention). */
async function coldImports(file: string, nodeOptions: string): Promise<number[]> {
  const url = pathToFileURL(file).href;
  const runs: number[] = [];
  for (let i = 0; i < children; i++) runs.push(round1(await importOnce(url, nodeOptions)));
  return runs;
}

export async function apiBundleBench(): Promise<Record<string, unknown>> {
  // With external modules the bundle must sit where they resolve (the project's
  // node_modules stands in for the runtime's), so that loading them is measured too.
  const external = [...houseBundling.externalModules];
  const parent = external.length > 0 ? join(root, 'node_modules', '.cache') : tmpdir();
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, 'api-bundle-'));
  try {
    const outfile = join(dir, 'index.mjs');
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: houseBundling.platform,
      format: houseBundling.format,
      target: houseBundling.target,
      mainFields: [...houseBundling.mainFields],
      banner: { js: houseBundling.banner },
      minify: houseBundling.minify,
      sourcemap: houseBundling.sourceMap,
      external,
      tsconfig: join(root, 'tsconfig.json'),
      logLevel: 'warning',
    });
    const bytes = (await stat(outfile)).size;
    const sourceMapBytes = houseBundling.sourceMap ? (await stat(`${outfile}.map`)).size : 0;
    // As deployed: the functions' NODE_OPTIONS (source maps on) is part of every cold start.
    const coldImportMsRuns = await coldImports(outfile, houseNodeOptions);
    const withoutNodeOptionsRuns = await coldImports(outfile, '');
    return {
      name: 'api-bundle',
      bytes,
      kb: round1(bytes / 1024),
      sourceMapBytes,
      externalModules: external,
      nodeVersion: process.version,
      nodeOptions: houseNodeOptions,
      coldImportMsMedian: round1(median(coldImportMsRuns)),
      coldImportMsRuns,
      coldImportMsMedianWithoutNodeOptions: round1(median(withoutNodeOptionsRuns)),
      targetKb,
      targetColdImportMs,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
