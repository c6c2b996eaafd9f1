/**
 * Lambda entry: the table stream, filtered to what head office sees: changes that move a
 * figure (kept pre-aggregated), links' places in the by-status lists, and every use of a
 * magic link (the audit log).
 */
import { loadTableConfig } from '../config.js';
import { observed } from '../observability.js';
import { headOfficeWatchDepsFromConfig } from '../wiring.js';
import { createHeadOfficeWatcher } from './head-office-watcher-handler.js';

// The table only: this function issues and checks no magic link, so it has no key to read.
export const handler = observed(createHeadOfficeWatcher(headOfficeWatchDepsFromConfig(loadTableConfig().tableName)));
