/** A fresh table, per test file or per test, on the run's DynamoDB Local (test/setup/dynamodb-local.ts). */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, ResourceNotFoundException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { inject } from 'vitest';
import { localAwsEnv, localDocumentClient, localDynamoClient } from '../../local/dynamodb-local.js';
import { createTable } from '../../local/table.js';
import { atFileEnd } from './file-end.js';

/** This file's tables, dropped after it (test/setup/file-end.ts). */
const created: Array<{ client: DynamoDBClient; tableName: string }> = [];

export async function dropTestTables(): Promise<void> {
  for (const { client, tableName } of created.splice(0)) {
    await client.send(new DeleteTableCommand({ TableName: tableName })).catch((error: unknown) => {
      // A lent table that was never made (a local stack that failed before making it) has nothing to drop.
      if (!(error instanceof ResourceNotFoundException)) throw error;
    });
  }
}

/**
 * The run's DynamoDB Local and a new table name on it, dropped after the file as
 * createTestTable's are; the caller makes the table (a local stack makes its own).
 */
export async function leaseTestTable(): Promise<{ endpoint: string; tableName: string; client: DynamoDBClient }> {
  const endpoint = inject('dynamoEndpoint');
  const client = localDynamoClient(endpoint);
  const tableName = `test-${randomUUID()}`;
  created.push({ client, tableName });
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
