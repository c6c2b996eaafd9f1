/** Lambda entry: the table stream, filtered to takeovers offered or fixed; queues offers for directors and creates countdown reminders. */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { loadReminderConfig, loadWatcherConfig } from '../config.js';
import { EventBridgeReminders } from '../adapters/eventbridge-reminders.js';
import { observed } from '../observability.js';
import { mailDeps, storeDepsFromConfig } from '../wiring.js';
import { createTakeoverWatcher } from './takeover-watcher-handler.js';

const config = loadWatcherConfig();
const reminders = new EventBridgeReminders(new SchedulerClient({}), loadReminderConfig());
const deps = mailDeps(await storeDepsFromConfig(config), config.mail);

export const handler = observed(createTakeoverWatcher({ ...deps, reminders }));
