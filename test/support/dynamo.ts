/** A fresh table on the run's DynamoDB Local, per test file (or per test when needed). */
import { randomUUID } from 'node:crypto';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { inject } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/dynamo/document-client.js';
import { localAwsEnv, localDynamoClient } from '../../local/dynamodb-local.js';
import { createTable } from '../../local/table.js';

export async function createTestTable() {
  const endpoint = inject('dynamoEndpoint');
  const client = localDynamoClient(endpoint);
  const tableName = `test-${randomUUID()}`;
  const { streamArn } = await createTable(client, tableName);
  const streams = new DynamoDBStreamsClient({
    endpoint,
    region: localAwsEnv.AWS_REGION,
    credentials: { accessKeyId: localAwsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: localAwsEnv.AWS_SECRET_ACCESS_KEY },
  });
  return { endpoint, client, doc: createDocumentClient(client), tableName, streamArn, streams };
}
