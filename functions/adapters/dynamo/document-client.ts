/**
 * One DynamoDB document client per process: the SDK's own DynamoDBDocumentClient (plain
 * JavaScript values in, plain values out) over its DynamoDBClient, configured as every AWS
 * client of the product is (../aws-clients.ts: the SDK's retries, a deadline per attempt,
 * endpoint, region and credentials from the SDK's defaults). The endpoint comes from
 * AWS_ENDPOINT_URL_DYNAMODB when set (DynamoDB Local), so no code path differs locally.
 *
 * The adapters import the commands from here rather than from @aws-sdk/lib-dynamodb, so
 * this file stays the one place that says which client they talk through. ScanCommand is
 * for the table-wide tools outside functions/ (local/table-scan.ts, which the metrics
 * rebuild uses, and tests and benchmarks): no job or request scans the table.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsClientConfig, type AwsClientOptions } from '../aws-clients.js';

export {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';

export type {
  BatchGetCommandInput,
  BatchWriteCommandInput,
  DeleteCommandInput,
  GetCommandInput,
  PutCommandInput,
  QueryCommandInput,
  ScanCommandInput,
  TransactWriteCommandInput,
  UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';

export type DocumentClient = DynamoDBDocumentClient;

type Wire = Record<string, unknown>;

/**
 * Sees every call as it goes on the wire (the operation, e.g. 'GetItem', and the marshalled
 * input and output), once per call however often the SDK retries it: for tests that inject
 * faults (a refusal thrown here reaches the product as it would once the SDK's retries had
 * given up) and for counting what the simulation reads. A hook may observe, hold back or
 * refuse a call; what the caller gets is what `next` resolved to.
 */
export type DynamoCallHook = (call: { operation: string; input: Wire }, next: () => Promise<Wire>) => Promise<Wire>;

export interface DocumentClientOptions extends AwsClientOptions {
  hook?: DynamoCallHook;
}

/** As the product has always marshalled: undefined attributes dropped, class instances refused rather than stored as maps. */
const translateConfig = { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } };

/** Where a call's wire output is kept, on the SDK's per-call context, for the hook to see. */
const wireOutput = Symbol('dynamoWireOutput');

/** What of the SDK's middleware types the hook uses, named here so they need no import of @smithy/types. */
type Context = { commandName?: string; [wireOutput]?: Wire };
type Next = (args: { input: object }) => Promise<{ output: object }>;
type Middleware = (next: Next, context: Context) => Next;
type StackMiddleware = Parameters<DocumentClient['middlewareStack']['addRelativeTo']>[0];

/**
 * The hook as SDK middleware, in two parts. The outer part sits just after lib-dynamodb's
 * DocumentMarshall in the serialize step: it sees the marshalled input, and it is outside
 * the retry middleware (finalizeRequest step), so it runs once per call. The inner part
 * sits just inside DocumentUnmarshall, in the deserialize step, and keeps each attempt's
 * output before it is unmarshalled: what the outer part hands the hook from `next`.
 */
function addHook(client: DynamoDBDocumentClient, hook: DynamoCallHook): void {
  const outer: Middleware = (next, context) => async (args) => {
    const operation = (context.commandName ?? '').replace(/Command$/, '');
    let result: Awaited<ReturnType<Next>> | undefined;
    await hook({ operation, input: args.input as Wire }, async () => {
      result = await next(args);
      return context[wireOutput] ?? (result.output as Wire);
    });
    if (!result) throw new Error(`DynamoDB ${operation}: the call hook returned without making the call`);
    return result;
  };
  const inner: Middleware = (next, context) => async (args) => {
    const deserialized = await next(args);
    context[wireOutput] = deserialized.output as Wire;
    return deserialized;
  };
  client.middlewareStack.addRelativeTo(outer as unknown as StackMiddleware, { name: 'dynamoCallHook', relation: 'after', toMiddleware: 'DocumentMarshall' });
  client.middlewareStack.addRelativeTo(inner as unknown as StackMiddleware, { name: 'dynamoCallHookWireOutput', relation: 'after', toMiddleware: 'DocumentUnmarshall' });
}

export function createDocumentClient(options: DocumentClientOptions = {}): DocumentClient {
  const { hook, ...clientOptions } = options;
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(awsClientConfig(clientOptions)), translateConfig);
  if (hook) addHook(doc, hook);
  return doc;
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
