/**
 * Lambda entry: the four failure queues (watchers, jobs, reminders, mail feedback) keep
 * each failure in the table, to be listed and run again with `npm run cli -- failures`.
 */
import { createDocumentClient } from '../adapters/dynamo/document-client.js';
import { loadFailureKeeperConfig } from '../config.js';
import { failureKeeperDeps } from '../failure-wiring.js';
import { observed } from '../observability.js';
import { createFailureKeeper } from './failure-keeper-handler.js';

const config = loadFailureKeeperConfig();

export const handler = observed(createFailureKeeper(failureKeeperDeps(createDocumentClient(), config.tableName, config.streamConsumers)));
