/**
 * One Chromium for the whole run: each browser file connects to it and makes its own
 * contexts (test/support/browser.ts), rather than starting and stopping a browser of its own,
 * which cost each file over a second of the machine's time.
 */
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { chromiumLaunchOptions } from '../support/browser.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's Chromium to connect to, or '' when it could not start (each browser file then launches its own, and says why it cannot). */
    chromiumEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await chromium.launchServer(chromiumLaunchOptions).catch((error: unknown) => {
    // A run of unit tests needs no browser: only the browser files fail, each with the launch's own message.
    console.warn(`No shared Chromium for this run (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); browser files will launch their own.`);
    return undefined;
  });
  project.provide('chromiumEndpoint', server?.wsEndpoint() ?? '');
  return () => server?.close();
}
