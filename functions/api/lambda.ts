/** Lambda entry for the HTTP API (API Gateway HTTP API, payload 2.0). */
import { handle } from 'hono/aws-lambda';
import { loadApiConfig } from '../config.js';
import { storeDepsFromConfig } from '../wiring.js';
import { createApp } from './app.js';

const deps = await storeDepsFromConfig(loadApiConfig());

export const handler = handle(createApp(deps));
