import { defineConfig } from 'vitest/config';
import { LongFilesFirst } from './test/setup/sequencer.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // One DynamoDB Local for the run (test/setup/dynamodb-local.ts); each file or test makes its own table on it.
    // One Chromium too (test/setup/chromium.ts); each browser file connects and makes its own contexts.
    globalSetup: ['test/setup/dynamodb-local.ts', 'test/setup/chromium.ts'],
    setupFiles: ['test/setup/file-end.ts'],
    sequence: { sequencer: LongFilesFirst },
    // Limits for a hang, not for speed: a test or hook takes at most a few seconds to half a
    // minute on a quiet 2-core machine (the slowest hook, stack.test.ts's synth with cdk-nag and
    // the bundles, about 20 s), and these hold with the machine several times as busy.
    testTimeout: 120_000,
    // Two files at a time on a 2-core machine (vitest's default is one fewer than the cores):
    // much of a file's time is spent waiting on DynamoDB Local, a local stack or Chromium.
    maxWorkers: 2,
    hookTimeout: 300_000,
    env: { LOG_LEVEL: 'silent', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
