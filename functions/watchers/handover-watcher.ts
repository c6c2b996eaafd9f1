/** Lambda entry: the table stream, filtered to hand-overs, asks each successor to accept and welcomes them once they have. */
import { loadWatcherConfig } from '../config.js';
import { observed } from '../observability.js';
import { mailDeps, storeDepsFromConfig } from '../wiring.js';
import { createHandoverWatcher } from './handover-watcher-handler.js';

const config = loadWatcherConfig();
const deps = mailDeps(await storeDepsFromConfig(config), config.mail);

export const handler = observed(createHandoverWatcher(deps));
