/**
 * The go-live imports half of the import benchmark, in its own process so its memory is
 * its own: the three CLI commands, as an operator runs them against a table in AWS, here
 * against DynamoDB Local. Prints one JSON line: each import's seconds and summary, and
 * the peak heap held (sampled after a full collection) and peak RSS.
 */
import { runCli } from '../local/cli.js';
import { localAwsEnv } from '../local/dynamodb-local.js';
import { retainedHeapSampler } from './retained-heap.js';

const [endpoint, tableName, events, regions, teams, practices] = process.argv.slice(2) as [string, string, string, string, string, string];
const sampler = retainedHeapSampler();
const env = { ...localAwsEnv, TABLE_NAME: tableName, AWS_ENDPOINT_URL_DYNAMODB: endpoint };

async function run(args: string[]) {
  const lines: string[] = [];
  const started = performance.now();
  const code = await runCli(args, { out: (l) => lines.push(l), env, runtimeFile: '/nonexistent' });
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`${args.join(' ')} exited ${code}: ${lines.slice(0, 5).join(' | ')}`);
  return { seconds: Number(seconds.toFixed(2)), summary: JSON.parse(lines.at(-1)!) as Record<string, number> };
}

const started = performance.now();
const result = {
  events: await run(['events', 'import', events, '--regions', regions]),
  teams: await run(['teams', 'import', teams]),
  practices: await run(['practices', 'import', practices]),
};
const seconds = (performance.now() - started) / 1000;
const peakRetainedHeapMb = sampler.stop();
console.log(
  JSON.stringify({
    ...result,
    seconds: Number(seconds.toFixed(2)),
    peakRetainedHeapMb,
    peakRssMb: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
  }),
);
