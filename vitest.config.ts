import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // DynamoDB Local is started once for the run; each integration file makes its own table.
    globalSetup: ['test/setup/dynamodb-local.ts'],
    setupFiles: ['test/setup/drop-tables.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { LOG_LEVEL: 'silent', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
