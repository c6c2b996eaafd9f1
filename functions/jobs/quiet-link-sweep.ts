/**
 * Lambda entry: the quiet-link sweep, run by an EventBridge Scheduler schedule on weekday
 * mornings (Europe/London). What it did is logged and returned; failed items stay due
 * and are retried on the next run, and a run repeated by the scheduler sends nothing twice.
 */
import middy from '@middy/core';
import { loadWatcherConfig } from '../config.js';
import { runQuietLinkSweep, type SweepReport } from '../core/use-cases/quiet-link-sweep.js';
import { log } from '../log.js';
import { observed } from '../observability.js';
import { mailDeps, storeDepsFromConfig } from '../wiring.js';

const config = loadWatcherConfig();
const deps = mailDeps(await storeDepsFromConfig(config), config.mail);

export const handler = observed(
  middy<unknown, SweepReport>().handler(async () => {
    const report = await runQuietLinkSweep(deps);
    log.info('Quiet-link sweep finished', { ...report });
    return report;
  }),
);
