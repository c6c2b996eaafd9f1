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

/**
 * The JIT's first tier only, and the serial collector. Over a run's few minutes the JVM spent
 * a quarter of its CPU compiling (Flight Recorder, a whole run), and the optimising tier never
 * paid that back: on the end-to-end and integration files, its CPU fell from 79.5 s to 69.8 s
 * (docs/testing.md). npm start and the simulation run for hours and keep the JVM's defaults.
 */
export const testRunJvm = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDbLocal({ storage: { kind: 'indexed' }, jvmOptions: testRunJvm });
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
