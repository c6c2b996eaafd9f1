#!/usr/bin/env node
// CDK entry (cdk.json: `npx tsx infra/app.ts`). The CLI synthesises the app when this exits.
import { createApp } from './parkrun-nudges-app.js';
import { SettingsError } from './settings.js';

try {
  createApp();
} catch (error) {
  if (!(error instanceof SettingsError)) throw error;
  console.error(error.message);
  process.exit(1);
}
