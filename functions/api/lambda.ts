/** Lambda entry for the web app and API (API Gateway REST API, payload 1.0, behind a WAF web ACL). */
import { handle } from 'hono/aws-lambda';
import { loadApiConfig, loadHeadOfficeConfig } from '../config.js';
import { apiDeps, storeDepsFromConfig } from '../wiring.js';
import { createApp } from './app.js';

const deps = apiDeps(await storeDepsFromConfig(loadApiConfig()), loadHeadOfficeConfig().allowlist);

export const handler = handle(createApp(deps));
