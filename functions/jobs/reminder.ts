/** Lambda entry: the target of one-time reminder schedules (takeover countdowns, first-timer notices). */
import { loadWatcherConfig } from '../config.js';
import { observed } from '../observability.js';
import { mailDeps, storeDepsFromConfig } from '../wiring.js';
import { createReminderHandler } from './reminder-handler.js';

const config = loadWatcherConfig();
const deps = mailDeps(await storeDepsFromConfig(config), config.mail);

export const handler = observed(createReminderHandler(deps));
