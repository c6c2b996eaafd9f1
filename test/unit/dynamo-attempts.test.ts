/**
 * One owner for retries on DynamoDB: the SDK's retry strategy, inside the product's own
 * document client. Counted on the wire, against a local HTTP server standing in for
 * DynamoDB, every request the client really makes: a refused call is tried exactly as many
 * times as the client is configured for and never more, whatever refused it (throttling
 * in either of DynamoDB's shapes, a 5xx, an attempt that went unanswered), and a call that
 * succeeds after a refusal hands back the item.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDocumentClient, GetCommand, PutCommand, type DocumentClientOptions } from '../../functions/adapters/dynamo/document-client.js';
import { startFakeAws, type Answer, type FakeAwsServer } from '../support/fake-aws-server.js';

const credentials = { accessKeyId: 'AKIDDYNAMO', secretAccessKey: 'dynamo-attempts-key' };
const item = { pk: { S: 'PRACTICE#A00001' }, sk: { S: 'META' }, name: { S: 'Riverside Surgery' } };
const get = new GetCommand({ TableName: 'nudges', Key: { pk: 'PRACTICE#A00001', sk: 'META' } });

let server: FakeAwsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** DynamoDB's answers, as it sends them: the error type in x-amzn-errortype and in the body's __type. */
const refusal = (status: number, type: string, message: string): Answer => ({
  status,
  contentType: 'application/x-amz-json-1.0',
  headers: { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazonaws.dynamodb.v20120810/` },
  body: { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message },
});
const provisionedThroughput = refusal(400, 'ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded.');
const throttling = refusal(400, 'ThrottlingException', 'Rate of requests exceeds the allowed throughput.');
const internalError = refusal(500, 'InternalServerError', 'Internal server error');
/** A load balancer's 503: no AWS error type, only the status. */
const unavailable: Answer = { status: 503, body: '' };
const found: Answer = { status: 200, contentType: 'application/x-amz-json-1.0', body: { Item: item } };

/** The product's document client against a server answering each request as `answer` says. */
async function dynamo(answer: (index: number) => Answer, options: DocumentClientOptions = {}) {
  server = await startFakeAws((_, index) => answer(index));
  const doc = createDocumentClient({ endpoint: server.endpoint, region: 'eu-west-2', credentials, ...options });
  return { server, doc };
}

/** The error `promise` rejects with; fails the test if it resolves. */
async function failure(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number; attempts?: number }; $retryable?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('DynamoDB attempts, counted on the wire', () => {
  it.for([
    ['ProvisionedThroughputExceededException', 3, provisionedThroughput],
    ['ThrottlingException', 4, throttling],
    ['InternalServerError', 2, internalError],
  ] as const)('%s every time, maxAttempts %i: exactly that many requests, then the refusal as AWS named it', async ([name, maxAttempts, answer], { expect }) => {
    const { server, doc } = await dynamo(() => answer, { maxAttempts });

    const error = await failure(doc.send(get));

    expect(error.name).toBe(name);
    expect(error.$metadata).toMatchObject({ httpStatusCode: answer === internalError ? 500 : 400, attempts: maxAttempts });
    expect(server.requests).toHaveLength(maxAttempts);
    expect(server.requests.every((r) => r.headers['x-amz-target'] === 'DynamoDB_20120810.GetItem')).toBe(true);
  });

  it('a bare 503 every time: the default three attempts, no more', async () => {
    const { server, doc } = await dynamo(() => unavailable);

    const error = await failure(doc.send(get));

    expect(error.$metadata).toMatchObject({ httpStatusCode: 503, attempts: 3 });
    expect(server.requests).toHaveLength(3);
  });

  it('throttled, then answered: the item comes back, after two requests', async () => {
    const { server, doc } = await dynamo((index) => (index === 0 ? provisionedThroughput : found), { maxAttempts: 3 });

    const out = await doc.send(get);

    expect(out.Item).toEqual({ pk: 'PRACTICE#A00001', sk: 'META', name: 'Riverside Surgery' });
    expect(out.$metadata.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it('a 500 and a throttle, then answered on the last attempt allowed', async () => {
    const { server, doc } = await dynamo((index) => [internalError, throttling][index] ?? found, { maxAttempts: 3 });

    expect((await doc.send(get)).Item).toMatchObject({ name: 'Riverside Surgery' });
    expect(server.requests).toHaveLength(3);
  });

  it('a refusal that no retry would change (a failed condition) is one request', async () => {
    const { server, doc } = await dynamo(() => refusal(400, 'ConditionalCheckFailedException', 'The conditional request failed'), { maxAttempts: 5 });

    const error = await failure(doc.send(new PutCommand({ TableName: 'nudges', Item: { pk: 'a', sk: 'b' }, ConditionExpression: 'attribute_not_exists(pk)' })));

    expect(error.name).toBe('ConditionalCheckFailedException');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('an attempt left unanswered is dropped at its deadline and tried again, maxAttempts in all', async () => {
    const { server, doc } = await dynamo(() => 'hang', { maxAttempts: 2, timeoutMs: 300 });

    const started = Date.now();
    const error = await failure(doc.send(get));

    expect(error.name).toBe('TimeoutError');
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('the hook sees the call once, however many attempts it took', async () => {
    const seen: string[] = [];
    const { server, doc } = await dynamo((index) => (index < 2 ? throttling : found), {
      maxAttempts: 3,
      hook: async (call, next) => {
        seen.push(call.operation);
        const out = await next();
        seen.push(JSON.stringify(out.Item));
        return out;
      },
    });

    expect((await doc.send(get)).Item).toMatchObject({ name: 'Riverside Surgery' });
    expect(seen).toEqual(['GetItem', JSON.stringify(item)]);
    expect(server.requests).toHaveLength(3);
  });
});
