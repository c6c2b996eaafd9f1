/** Lambda entry: the monthly attendance-feedback asks, reminders and summaries (EventBridge Scheduler, Tuesdays 10:00 UK time). */
import middy from '@middy/core';
import { loadWatcherConfig } from '../config.js';
import { runFeedbackAsks } from '../core/use-cases/attendance-feedback.js';
import { log } from '../log.js';
import { observed } from '../observability.js';
import { mailDeps, storeDepsFromConfig } from '../wiring.js';

const config = loadWatcherConfig();
const deps = mailDeps(await storeDepsFromConfig(config), config.mail);

export const handler = observed(
  middy<unknown, Awaited<ReturnType<typeof runFeedbackAsks>>>().handler(async () => {
    const report = await runFeedbackAsks(deps);
    log.info('Feedback job finished', { ...report });
    // A failed item stays due for next week's run; failing the invocation makes it visible (alarm, dead-letter queue).
    if (report.failed > 0) throw new Error(`Feedback job: ${report.failed} item(s) failed; see the log`);
    return report;
  }),
);
