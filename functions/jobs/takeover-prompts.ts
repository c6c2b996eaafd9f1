/** Lambda entry: the weekly takeover planning prompts (EventBridge Scheduler, Monday 10:00 UK time). */
import middy from '@middy/core';
import { loadWatcherConfig } from '../config.js';
import { runTakeoverPrompts } from '../core/use-cases/takeover-planning.js';
import { log } from '../log.js';
import { mailDeps, storeDepsFromConfig } from '../wiring.js';

const config = loadWatcherConfig();
const deps = mailDeps(await storeDepsFromConfig(config), config.mail);

export const handler = middy<unknown, Awaited<ReturnType<typeof runTakeoverPrompts>>>().handler(async () => {
  const report = await runTakeoverPrompts(deps);
  log.info('Takeover prompts finished', { ...report });
  return report;
});
