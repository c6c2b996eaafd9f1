/**
 * `npm run simulate -- [options]` (see `--help`): runs a simulated year, shows a progress
 * bar, writes the HTML report and prints the JSON summary as its last line of output.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { OptionError, parseOptions, usage } from './options.js';
import { reportHtml, summarise } from './report.js';
import { simulate } from './simulate.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.LOG_LEVEL ??= 'silent';

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log(usage);
  process.exit(0);
}
let options;
try {
  options = parseOptions(args);
} catch (error) {
  if (!(error instanceof OptionError)) throw error;
  console.error(`${error.message}\n\n${usage}`);
  process.exit(2);
}

const bar = (done: number, of: number) => `[${'#'.repeat(Math.round((30 * done) / of)).padEnd(30, '.')}]`;
const result = await simulate(options, (week, of, figures) => {
  const line = `${bar(week, of)} week ${week}/${of}  ${figures.emails} emails, ${figures.itemsRead} items read, ${figures.wallSeconds}s`;
  process.stderr.write(process.stderr.isTTY ? `\r${line.padEnd(100)}` : `${line}\n`);
});
if (process.stderr.isTTY) process.stderr.write('\n');
const summary = summarise(result);
const out = resolve(options.out);
writeFileSync(out, reportHtml(summary, result));
console.error(`Report: ${out}`);
console.log(JSON.stringify(summary));
