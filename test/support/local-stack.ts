/**
 * The whole product as `npm start` runs it, for end-to-end tests: on a table of the run's
 * DynamoDB Local (test/setup/dynamodb-local.ts) rather than a DynamoDB Local of its own, so
 * no test file waits for, or loads the machine with, another JVM's start.
 */
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/local-stack.js';
import { leaseTestTable } from './dynamo.js';

export async function startTestStack(options: Omit<LocalStackOptions, 'dynamoEndpoint'>): Promise<LocalStack> {
  const { endpoint, tableName } = await leaseTestTable();
  // A free SMTP port for the reply inbox: files run side by side.
  return startLocalStack({ smtpPort: 0, ...options, dynamoEndpoint: endpoint, settings: { ...options.settings, TABLE_NAME: tableName } });
}
