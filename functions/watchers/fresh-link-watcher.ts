/** Lambda entry: the table stream, filtered to fresh-link requests, mails each new link. */
import { loadWatcherConfig } from '../config.js';
import { mailDeps, storeDepsFromConfig } from '../wiring.js';
import { createFreshLinkWatcher } from './fresh-link-watcher-handler.js';

const config = loadWatcherConfig();
const deps = mailDeps(await storeDepsFromConfig(config), config.mail);

export const handler = createFreshLinkWatcher(deps);
