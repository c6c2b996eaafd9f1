/** Lambda entry: sends mail held for quiet hours once its window opens (EventBridge Scheduler, see jobs/schedules.ts). */
import middy from '@middy/core';
import { loadWatcherConfig } from '../config.js';
import { releaseHeldMail } from '../core/use-cases/held-mail.js';
import { log } from '../log.js';
import { observed } from '../observability.js';
import { mailDeps, storeDepsFromConfig } from '../wiring.js';

const config = loadWatcherConfig();
const deps = mailDeps(await storeDepsFromConfig(config), config.mail);

export const handler = observed(
  middy<unknown, Awaited<ReturnType<typeof releaseHeldMail>>>().handler(async () => {
    const report = await releaseHeldMail(deps);
    log.info('Held-mail job finished', { ...report });
    // A message that failed stays held for the next run; failing the invocation makes it visible.
    if (report.failed > 0) throw new Error(`Held-mail job: ${report.failed} message(s) failed; see the log`);
    return report;
  }),
);
