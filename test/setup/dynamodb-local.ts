/**
 * One DynamoDB Local for the whole run, every test file's tables on it (test/support/dynamo.ts).
 * It used to slow as it aged, so the run rotated several; its indexed store
 * (local/dynamodb-local-store.ts) keeps the last file as quick as the first.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's DynamoDB Local, which every test file makes its tables on. */
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDbLocal({ storage: { kind: 'indexed' } });
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
