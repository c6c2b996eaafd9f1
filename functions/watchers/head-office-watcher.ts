/**
 * Lambda entry: the table stream, filtered to what head office sees: changes that move a
 * figure (kept pre-aggregated), links' places in the by-status lists, and every use of a
 * magic link (the audit log).
 */
import { createDocumentClient } from '../adapters/dynamo/document-client.js';
import { loadTableConfig } from '../config.js';
import { headOfficeWatchDeps } from '../wiring.js';
import { createHeadOfficeWatcher } from './head-office-watcher-handler.js';

// The table only: this function issues and checks no magic link, so it has no key to read.
export const handler = createHeadOfficeWatcher(headOfficeWatchDeps(createDocumentClient(), loadTableConfig().tableName));
