/** Lambda entry: the table stream, filtered to fresh-link requests, mails each new link. */
import { loadHeadOfficeConfig, loadWatcherConfig } from '../config.js';
import { ConfiguredAllowlist } from '../adapters/head-office-allowlist.js';
import { observed } from '../observability.js';
import { mailDeps, storeDepsFromConfig } from '../wiring.js';
import { createFreshLinkWatcher } from './fresh-link-watcher-handler.js';

const config = loadWatcherConfig();
const deps = mailDeps(await storeDepsFromConfig(config), config.mail);
// Sign-in links go only to addresses on the head-office list: checked here, not by the API.
const allowlist = new ConfiguredAllowlist(loadHeadOfficeConfig().allowlist, deps.clock);

export const handler = observed(createFreshLinkWatcher({ ...deps, allowlist }));
