/** Lambda entry: the table stream, filtered to changes that move a head-office figure; keeps the pre-aggregated metrics. */
import { loadApiConfig } from '../config.js';
import { storeDepsFromConfig } from '../wiring.js';
import { createMetricsWatcher } from './metrics-watcher-handler.js';

export const handler = createMetricsWatcher(await storeDepsFromConfig(loadApiConfig()));
