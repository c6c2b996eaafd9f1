/**
 * The document client's marshalling of what DynamoDB Local cannot easily be made to answer
 * (unprocessed batch items, a throttled call) against a stand-in server that records each
 * request. Everything else it does is covered against DynamoDB Local by the integration
 * tests of every adapter.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BatchGetCommand,
  BatchWriteCommand,
  createDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DocumentClient,
} from '../../functions/adapters/dynamo/document-client.js';

interface Seen {
  target: string;
  body: Record<string, unknown>;
}

let server: Server;
let seen: Seen[] = [];
let answers: Array<{ status: number; body: unknown }> = [];
let doc: DocumentClient;

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => resolve(text));
  });

beforeAll(async () => {
  server = createServer(async (req, res) => {
    seen.push({ target: String(req.headers['x-amz-target']), body: JSON.parse(await read(req)) as Record<string, unknown> });
    const answer = answers.shift() ?? { status: 200, body: {} };
    res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'req-1' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  doc = createDocumentClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  seen = [];
  answers = [];
});

describe('document client', () => {
  it('marshals the key and values it is given, drops undefined, and unmarshals the item back', async () => {
    answers.push({ status: 200, body: { Item: { pk: { S: 'LINK#A' }, count: { N: '3' }, tags: { L: [{ S: 'x' }] } } } });
    const out = await doc.send(new GetCommand({ TableName: 't', Key: { pk: 'LINK#A', sk: undefined } }));
    expect(seen[0]).toEqual({ target: 'DynamoDB_20120810.GetItem', body: { TableName: 't', Key: { pk: { S: 'LINK#A' } } } });
    expect(out.Item).toEqual({ pk: 'LINK#A', count: 3, tags: ['x'] });
  });

  it('pages a query with its start key marshalled both ways', async () => {
    answers.push({ status: 200, body: { Items: [{ pk: { S: 'a' } }], LastEvaluatedKey: { pk: { S: 'a' }, n: { N: '1' } } } });
    const out = await doc.send(
      new QueryCommand({ TableName: 't', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'a' }, ExclusiveStartKey: { pk: 'z' } }),
    );
    expect(seen[0]!.body).toEqual({
      TableName: 't',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'a' } },
      ExclusiveStartKey: { pk: { S: 'z' } },
    });
    expect(out).toMatchObject({ Items: [{ pk: 'a' }], LastEvaluatedKey: { pk: 'a', n: 1 } });
  });

  it('hands back unprocessed batch keys and writes as plain values, ready to send again', async () => {
    answers.push({ status: 200, body: { Responses: { t: [{ pk: { S: 'a' } }] }, UnprocessedKeys: { t: { Keys: [{ pk: { S: 'b' } }] } } } });
    const got = await doc.send(new BatchGetCommand({ RequestItems: { t: { Keys: [{ pk: 'a' }, { pk: 'b' }] } } }));
    expect(seen[0]!.body).toEqual({ RequestItems: { t: { Keys: [{ pk: { S: 'a' } }, { pk: { S: 'b' } }] } } });
    expect(got.Responses).toEqual({ t: [{ pk: 'a' }] });
    expect(got.UnprocessedKeys).toEqual({ t: { Keys: [{ pk: 'b' }] } });

    answers.push({ status: 200, body: { UnprocessedItems: { t: [{ PutRequest: { Item: { pk: { S: 'c' }, on: { BOOL: true } } } }] } } });
    const wrote = await doc.send(new BatchWriteCommand({ RequestItems: { t: [{ PutRequest: { Item: { pk: 'c', on: true } } }, { DeleteRequest: { Key: { pk: 'd' } } }] } }));
    expect(seen[1]!.body).toEqual({
      RequestItems: { t: [{ PutRequest: { Item: { pk: { S: 'c' }, on: { BOOL: true } } } }, { DeleteRequest: { Key: { pk: { S: 'd' } } } }] },
    });
    expect(wrote.UnprocessedItems).toEqual({ t: [{ PutRequest: { Item: { pk: 'c', on: true } } }] });
  });

  it('marshals every action of a transaction and surfaces a cancellation with its reasons', async () => {
    answers.push({
      status: 400,
      body: {
        __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
        message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]',
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      },
    });
    const sending = doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: 't', Item: { pk: 'a', at: '2027-01-04' }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Update: { TableName: 't', Key: { pk: 'b' }, UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': 1 } } },
        ],
      }),
    );
    await expect(sending).rejects.toMatchObject({
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      $metadata: { httpStatusCode: 400, requestId: 'req-1', attempts: 1 },
    });
    // The SDK gives every transaction an idempotency token, so its own retry of one whose answer was lost cannot apply it twice.
    expect(seen[0]!.body).toEqual({
      ClientRequestToken: expect.any(String),
      TransactItems: [
        { Put: { TableName: 't', Item: { pk: { S: 'a' }, at: { S: '2027-01-04' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Update: { TableName: 't', Key: { pk: { S: 'b' } }, UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
      ],
    });
  });

  it('lets a hook see each call on the wire, once however often it is retried', async () => {
    const calls: string[] = [];
    const hooked = createDocumentClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      hook: async ({ operation, input }, next) => {
        calls.push(`${operation} ${JSON.stringify(input.Key)}`);
        return next();
      },
    });
    answers.push({ status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'slow down' } });
    answers.push({ status: 200, body: { Item: { pk: { S: 'a' } } } });
    expect((await hooked.send(new GetCommand({ TableName: 't', Key: { pk: 'a' } }))).Item).toEqual({ pk: 'a' });
    expect(calls).toEqual(['GetItem {"pk":{"S":"a"}}']);
    expect(seen).toHaveLength(2);
  });
});
