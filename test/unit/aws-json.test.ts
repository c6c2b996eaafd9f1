import { afterEach, describe, expect, it } from 'vitest';
import { AwsJsonClient, AwsServiceError, type AwsJsonClientOptions, type AwsJsonService } from '../../functions/adapters/aws-json.js';
import { startFakeAws, withEnv, type Answer, type FakeAwsServer } from '../support/aws-json-server.js';

const dynamodb: AwsJsonService = {
  signingName: 'dynamodb',
  targetPrefix: 'DynamoDB_20120810',
  jsonVersion: '1.0',
  hostPrefix: 'dynamodb',
  endpointVariable: 'AWS_ENDPOINT_URL_DYNAMODB',
};
const credentials = { accessKeyId: 'AKIDAWSJSON', secretAccessKey: 'aws-json-test-key' };
const getItem = { TableName: 'nudges', Key: { pk: { S: 'PRACTICE#1' }, sk: { S: 'META' } } };
const item = { pk: { S: 'PRACTICE#1' }, sk: { S: 'META' }, name: { S: 'Riverside Surgery' } };

let server: FakeAwsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function dynamoAnswering(answer: (index: number) => Answer, options: AwsJsonClientOptions = {}) {
  server = await startFakeAws((_, index) => answer(index));
  return { server, client: new AwsJsonClient(dynamodb, { endpoint: server.endpoint, region: 'eu-west-2', credentials, ...options }) };
}

/** The error `promise` rejects with; fails the test if it resolves. */
async function failure(promise: Promise<unknown>): Promise<AwsServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as AwsServiceError;
  }
  throw new Error('expected the call to fail');
}

const throttled: Answer = {
  status: 400,
  body: { __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'Rate of requests exceeds the allowed throughput.' },
};

describe('AWS JSON client', () => {
  it('posts a signed call and parses the answer', async () => {
    const { server, client } = await dynamoAnswering(() => ({ status: 200, body: { Item: item } }));

    expect(await client.call('GetItem', getItem)).toEqual({ Item: item });

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/');
    expect(request!.headers['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
    expect(request!.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(request!.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(request!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDAWSJSON\/\d{8}\/eu-west-2\/dynamodb\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/);
    expect(request!.headers['content-length']).toBe(String(Buffer.byteLength(request!.body)));
    expect(JSON.parse(request!.body)).toEqual(getItem);
  });

  it('turns an error answer into an error named by its AWS type, carrying its fields, in one attempt', async () => {
    const { server, client } = await dynamoAnswering(() => ({
      status: 400,
      body: { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed', Item: item },
    }));

    const error = await failure(client.call('PutItem', { TableName: 'nudges', Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));

    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error.name).toBe('ConditionalCheckFailedException');
    expect(error.message).toBe('The conditional request failed');
    expect(error.Item).toEqual(item);
    expect(error.$metadata).toEqual({ httpStatusCode: 400, requestId: 'request-1', attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('retries throttling and succeeds on the third attempt', async () => {
    const { server, client } = await dynamoAnswering((index) => (index < 2 ? throttled : { status: 200, body: { Item: item } }));

    expect(await client.call('GetItem', getItem)).toEqual({ Item: item });
    expect(server.requests).toHaveLength(3);
  });

  it('gives up on server errors after three attempts', async () => {
    // No body: a load balancer's 500 rather than AWS's JSON, so the status alone names it.
    const { server, client } = await dynamoAnswering(() => ({ status: 500 }));

    const error = await failure(client.call('GetItem', getItem));

    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error.name).toBe('InternalServerError');
    expect(error.message).toBe('dynamodb answered HTTP 500');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 500, attempts: 3 });
    expect(server.requests).toHaveLength(3);
  });

  it('retries a dropped connection', async () => {
    const { server, client } = await dynamoAnswering((index) => (index === 0 ? 'destroy' : { status: 200, body: { Item: item } }));

    expect(await client.call('GetItem', getItem)).toEqual({ Item: item });
    expect(server.requests).toHaveLength(2);
  });

  it('drops and retries a call with no answer, then says so', async () => {
    const { server, client } = await dynamoAnswering(() => 'hang', { timeoutMs: 200, maxAttempts: 2 });

    const started = Date.now();
    const error = await failure(client.call('GetItem', getItem));

    expect(error.message).toBe('dynamodb GetItem: no answer in 200 ms');
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('says clearly when there are no credentials, before sending anything', async () => {
    await withEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined }, async () => {
      const { server, client } = await dynamoAnswering(() => ({ status: 200, body: {} }), { credentials: undefined });

      await expect(client.call('GetItem', getItem)).rejects.toThrow(/^No AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
      expect(server.requests).toHaveLength(0);
    });
  });
});
