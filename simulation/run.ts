/**
 * `npm run simulate -- [options]` (see `--help`): runs a simulated year, shows a progress
 * bar, writes the HTML report and prints the JSON summary as its last line of output.
 * With --shards above 1 (the default is 1: on this machine's 2 cores, one part was quicker)
 * the world is split into parts run side by side (simulation/part.ts), and their results merged.
 * Each week's figures are appended, as the week ends, to `<out>.weeks.jsonl` beside the
 * report, one JSON line a week, so a run that dies keeps the weeks it did.
 */
import { fork } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeResults, mergeWeek, type StoredResult } from './merge.js';
import { OptionError, parseOptions, usage, type SimulationOptions } from './options.js';
import type { PartMessage } from './part.js';
import { reportHtml, summarise } from './report.js';
import { simulate, type SimulationResult, type WeekFigures } from './simulate.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.LOG_LEVEL ??= 'silent';

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log(usage);
  process.exit(0);
}
let options: SimulationOptions;
try {
  options = parseOptions(args);
} catch (error) {
  if (!(error instanceof OptionError)) throw error;
  console.error(`${error.message}\n\n${usage}`);
  process.exit(2);
}

const out = resolve(options.out);
/** One line a week, written as the week ends: a crash loses nothing done. */
const weeksFile = `${out}.weeks.jsonl`;
writeFileSync(weeksFile, '');

const bar = (done: number, of: number) => `[${'#'.repeat(Math.round((30 * done) / of)).padEnd(30, '.')}]`;
const progress = (week: number, of: number, figures: WeekFigures) => {
  appendFileSync(weeksFile, `${JSON.stringify(figures)}\n`);
  const line = `${bar(week, of)} week ${week}/${of}  ${figures.emails} emails, ${figures.itemsRead} items read, ${figures.requests} requests, ${figures.wallSeconds}s`;
  process.stderr.write(process.stderr.isTTY ? `\r${line.padEnd(100)}` : `${line}\n`);
};

/** Runs the parts side by side and merges them; a part that fails fails the run. */
async function simulateInParts(options: SimulationOptions): Promise<SimulationResult> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'simulation-'));
  const weeks: WeekFigures[][] = [];
  try {
    const files = Array.from({ length: options.shards }, (_, i) => join(dir, `part-${i}.json`));
    await Promise.all(
      files.map(
        (file, index) =>
          new Promise<void>((done, fail) => {
            const child = fork(fileURLToPath(new URL('./part.ts', import.meta.url)), [], {
              execArgv: ['--import', 'tsx'],
              env: { ...process.env, SIMULATION_PART: `${index}/${options.shards}`, SIMULATION_OPTIONS: JSON.stringify(options), SIMULATION_RESULT: file },
            });
            child.on('message', ({ week }: PartMessage) => {
              const reported = (weeks[week.week - 1] ??= []);
              reported.push(week);
              if (reported.length === options.shards) progress(week.week, options.weeks, mergeWeek(reported));
            });
            child.on('error', fail);
            child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`Simulation part ${index + 1} of ${options.shards} exited with ${code}`))));
          }),
      ),
    );
    const parts = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as StoredResult);
    return mergeResults(parts, Number(((performance.now() - started) / 1000).toFixed(1)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const result = options.shards > 1 ? await simulateInParts(options) : await simulate(options, progress);
if (process.stderr.isTTY) process.stderr.write('\n');
const summary = summarise(result);
writeFileSync(out, reportHtml(summary, result));
console.error(`Report: ${out}\nWeek by week: ${weeksFile}`);
console.log(JSON.stringify(summary));
