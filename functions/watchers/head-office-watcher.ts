/**
 * Lambda entry: the table stream, filtered to what head office sees: changes that move a
 * figure (kept pre-aggregated), links' places in the by-status lists, and every use of a
 * magic link (the audit log).
 */
import { loadApiConfig } from '../config.js';
import { storeDepsFromConfig } from '../wiring.js';
import { createHeadOfficeWatcher } from './head-office-watcher-handler.js';

export const handler = createHeadOfficeWatcher(await storeDepsFromConfig(loadApiConfig()));
