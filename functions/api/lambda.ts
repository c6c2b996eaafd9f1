/** Lambda entry for the HTTP API (API Gateway HTTP API, payload 2.0). */
import { handle } from 'hono/aws-lambda';
import { loadApiConfig, loadHeadOfficeConfig } from '../config.js';
import { apiDeps, storeDepsFromConfig } from '../wiring.js';
import { createApp } from './app.js';

const deps = apiDeps(await storeDepsFromConfig(loadApiConfig()), loadHeadOfficeConfig().allowlist);

export const handler = handle(createApp(deps));
