/** Lambda entry for the web app and API (API Gateway REST API, payload 1.0, behind a WAF web ACL). */
import middy from '@middy/core';
import { handle } from 'hono/aws-lambda';
import { loadApiConfig, loadHeadOfficeConfig } from '../config.js';
import { observed } from '../observability.js';
import { apiDeps, storeDepsFromConfig } from '../wiring.js';
import { createApp } from './app.js';

const deps = apiDeps(await storeDepsFromConfig(loadApiConfig()), loadHeadOfficeConfig().allowlist);
const app = handle(createApp(deps));

// In middy like every other entry, for the logger's request id and cold start and the metrics' flush.
export const handler = observed(
  middy<Parameters<typeof app>[0], Awaited<ReturnType<typeof app>>>().handler((event, context) => app(event, context)),
);
