/**
 * The sweep half of the quiet-link benchmark, run in its own process so its peak memory
 * is its own: the real sweep and adapters against the seeded table, with a transport
 * that counts messages instead of sending (and keeps none, so memory cannot grow with
 * the number sent). Prints one JSON line.
 */
import { FixedClock } from '../functions/adapters/clock.js';
import type { DynamoLadderStore } from '../functions/adapters/dynamo/ladder-store.js';
import type { MailTransport } from '../functions/core/ports.js';
import { runQuietLinkSweep } from '../functions/core/use-cases/quiet-link-sweep.js';
import { mailDeps, storeDeps } from '../functions/wiring.js';
import { localDocumentClient } from '../local/dynamodb-local.js';
import { benchNow } from './quiet-links-seed.js';
import { retainedHeapSampler } from './retained-heap.js';

const [endpoint, tableName] = process.argv.slice(2);
let messages = 0;
const counting: MailTransport = {
  async send() {
    messages++;
    return { messageId: `bench-${messages}` };
  },
};
const store = storeDeps(localDocumentClient(endpoint!), tableName!, 'b'.repeat(48), new FixedClock(benchNow));
const deps = mailDeps(store, {
  publicBaseUrl: 'https://nudges.example.org',
  from: 'nudges@example.org',
  replyTo: 'health@example.org',
  // Unpaced: the benchmark measures reading and deciding, not SES's quota.
  sendRatePerSecond: 1_000_000,
}, counting);
// What the sweep holds (bench/retained-heap.ts): a sweep that held the links it read would show there.
const sampler = retainedHeapSampler();
const started = performance.now();
const report = await runQuietLinkSweep(deps);
const seconds = (performance.now() - started) / 1000;
const peakRetainedHeapMb = sampler.stop();
const ladder = store.ladder as DynamoLadderStore;
console.log(
  JSON.stringify({
    report,
    messages,
    itemsRead: ladder.itemsRead,
    readUnits: ladder.readUnits,
    seconds: Number(seconds.toFixed(2)),
    peakRssMb: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
    peakRetainedHeapMb,
  }),
);
