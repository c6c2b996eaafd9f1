/** A fresh table on the run's DynamoDB Local, per test file (or per test when needed). */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { inject } from 'vitest';
import { localAwsEnv, localDocumentClient, localDynamoClient } from '../../local/dynamodb-local.js';
import { createTable } from '../../local/table.js';

/** This file's tables, dropped after it (test/setup/drop-tables.ts), so DynamoDB Local stays small and quick for the files after it. */
const created: Array<{ client: DynamoDBClient; tableName: string }> = [];

export async function dropTestTables(): Promise<void> {
  for (const { client, tableName } of created.splice(0)) await client.send(new DeleteTableCommand({ TableName: tableName }));
}

export async function createTestTable() {
  const endpoint = inject('dynamoEndpoint');
  const client = localDynamoClient(endpoint);
  const tableName = `test-${randomUUID()}`;
  const { streamArn } = await createTable(client, tableName);
  created.push({ client, tableName });
  const streams = new DynamoDBStreamsClient({
    endpoint,
    region: localAwsEnv.AWS_REGION,
    credentials: { accessKeyId: localAwsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: localAwsEnv.AWS_SECRET_ACCESS_KEY },
  });
  return { endpoint, client, doc: localDocumentClient(endpoint), tableName, streamArn, streams };
}
