import type { TestProject } from 'vitest/node';
import { startDynamoPool } from './dynamodb-pool.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's pool of DynamoDB Local instances (dynamodb-pool.ts), which test files lease one from. */
    dynamoPool: string;
  }
}

export default async function setup(project: TestProject) {
  const pool = await startDynamoPool();
  project.provide('dynamoPool', pool.url);
  return () => pool.stop();
}
