/** Lambda entry: the table stream, filtered to new hand-overs, welcomes each successor. */
import { loadWatcherConfig } from '../config.js';
import { mailDeps, storeDepsFromConfig } from '../wiring.js';
import { createHandoverWatcher } from './handover-watcher-handler.js';

const config = loadWatcherConfig();
const deps = mailDeps(await storeDepsFromConfig(config), config.mail);

export const handler = createHandoverWatcher(deps);
