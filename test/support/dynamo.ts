/** A fresh table, per test file or per test, on a DynamoDB Local lent by the run's pool (test/setup/dynamodb-pool.ts). */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, ResourceNotFoundException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { inject } from 'vitest';
import { localAwsEnv, localDocumentClient, localDynamoClient } from '../../local/dynamodb-local.js';
import { createTable } from '../../local/table.js';
import { atFileEnd } from './file-end.js';

/** This file's tables, dropped after it (test/setup/file-end.ts), each then given back to the pool. */
const created: Array<{ client: DynamoDBClient; tableName: string; instance: number }> = [];

async function pool<T>(path: string): Promise<T> {
  const response = await fetch(`${inject('dynamoPool')}${path}`, { method: 'POST' });
  if (!response.ok) throw new Error(`DynamoDB Local pool ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function dropTestTables(): Promise<void> {
  for (const { client, tableName, instance } of created.splice(0)) {
    await client.send(new DeleteTableCommand({ TableName: tableName })).catch((error: unknown) => {
      // A lent table that was never made (a local stack that failed before making it) has nothing to drop.
      if (!(error instanceof ResourceNotFoundException)) throw error;
    });
    await pool(`/release?id=${instance}`);
  }
}

/**
 * A DynamoDB Local of the pool and a table name on it, dropped after the file as
 * createTestTable's are; the caller makes the table (a local stack makes its own).
 */
export async function leaseTestTable(): Promise<{ endpoint: string; tableName: string; client: DynamoDBClient }> {
  const { id, endpoint } = await pool<{ id: number; endpoint: string }>('/table');
  const client = localDynamoClient(endpoint);
  const tableName = `test-${randomUUID()}`;
  created.push({ client, tableName, instance: id });
  atFileEnd(dropTestTables);
  return { endpoint, tableName, client };
}

export async function createTestTable() {
  const { endpoint, tableName, client } = await leaseTestTable();
  const { streamArn } = await createTable(client, tableName);
  const streams = new DynamoDBStreamsClient({
    endpoint,
    region: localAwsEnv.AWS_REGION,
    credentials: { accessKeyId: localAwsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: localAwsEnv.AWS_SECRET_ACCESS_KEY },
  });
  return { endpoint, client, doc: localDocumentClient(endpoint), tableName, streamArn, streams };
}
