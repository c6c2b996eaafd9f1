/** Lambda entry: the weekly takeover planning prompts (EventBridge Scheduler, Monday 10:00 UK time). */
import middy from '@middy/core';
import { loadWatcherConfig } from '../config.js';
import { runTakeoverPrompts } from '../core/use-cases/takeover-planning.js';
import { log } from '../log.js';
import { observed } from '../observability.js';
import { mailDeps, storeDepsFromConfig } from '../wiring.js';

const config = loadWatcherConfig();
const deps = mailDeps(await storeDepsFromConfig(config), config.mail);

export const handler = observed(
  middy<unknown, Awaited<ReturnType<typeof runTakeoverPrompts>>>().handler(async () => {
    const report = await runTakeoverPrompts(deps);
    log.info('Takeover prompts finished', { ...report });
    // A failed item stays due for the next run; failing the invocation makes it visible (alarm, dead-letter queue).
    if (report.failed > 0) throw new Error(`Takeover prompts: ${report.failed} item(s) failed; see the log`);
    return report;
  }),
);
