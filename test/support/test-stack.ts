/**
 * The local stack for end-to-end tests, on the run's one DynamoDB Local (started once by
 * test/setup/dynamodb-local.ts) with a table of its own, dropped when the stack stops:
 * starting a DynamoDB Local per file cost each file seconds of Java start-up and a cold JIT.
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/local-stack.js';

export function startTestStack(options: Omit<LocalStackOptions, 'dynamoEndpoint'>): Promise<LocalStack> {
  return startLocalStack({ ...options, dynamoEndpoint: inject('dynamoEndpoint'), settings: { TABLE_NAME: `stack-${randomUUID()}`, ...options.settings } });
}
