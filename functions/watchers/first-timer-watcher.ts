/** Lambda entry: the table stream, filtered to first-timer contacts named and newcomer plans; asks volunteers to confirm, and schedules the Thursday notices. */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { EventBridgeReminders } from '../adapters/eventbridge-reminders.js';
import { loadReminderConfig, loadWatcherConfig } from '../config.js';
import { observed } from '../observability.js';
import { mailDeps, storeDepsFromConfig } from '../wiring.js';
import { createFirstTimerWatcher } from './first-timer-watcher-handler.js';

const config = loadWatcherConfig();
const reminders = new EventBridgeReminders(new SchedulerClient({}), loadReminderConfig());
const deps = mailDeps(await storeDepsFromConfig(config), config.mail);

export const handler = observed(createFirstTimerWatcher({ ...deps, reminders }));
