/** Lambda entry: the table stream, filtered to new registrations, makes introductions. */
import { loadWatcherConfig } from '../config.js';
import { observed } from '../observability.js';
import { mailDeps, storeDepsFromConfig } from '../wiring.js';
import { createRegistrationWatcher } from './registration-watcher-handler.js';

const config = loadWatcherConfig();
const deps = mailDeps(await storeDepsFromConfig(config), config.mail);

export const handler = observed(createRegistrationWatcher(deps));
