/**
 * One DynamoDB document client per process: plain JavaScript values in, plain values out,
 * marshalled to DynamoDB's attribute values with the SDK's own util-dynamodb, sent over
 * AWS's JSON protocol by aws-json.ts (see there for why not the SDK's client).
 *
 * The commands keep the names and the input and output shapes of @aws-sdk/lib-dynamodb's
 * (whose types they borrow), so the adapters read as they would with the SDK. The endpoint
 * comes from AWS_ENDPOINT_URL_DYNAMODB when set (DynamoDB Local), so no code path differs
 * locally.
 */
import type {
  BatchGetCommandInput,
  BatchGetCommandOutput,
  BatchWriteCommandInput,
  BatchWriteCommandOutput,
  DeleteCommandInput,
  DeleteCommandOutput,
  GetCommandInput,
  GetCommandOutput,
  PutCommandInput,
  PutCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  ScanCommandInput,
  ScanCommandOutput,
  TransactWriteCommandInput,
  TransactWriteCommandOutput,
  UpdateCommandInput,
  UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall, type marshallOptions } from '@aws-sdk/util-dynamodb';
import { AwsJsonClient, type AwsCredentialSource, type AwsJsonService } from '../aws-json.js';

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

const dynamodbService: AwsJsonService = {
  signingName: 'dynamodb',
  targetPrefix: 'DynamoDB_20120810',
  jsonVersion: '1.0',
  hostPrefix: 'dynamodb',
  endpointVariable: 'AWS_ENDPOINT_URL_DYNAMODB',
};

type Wire = Record<string, unknown>;
type Item = Record<string, unknown>;
type Out<T> = Omit<T, '$metadata'>;

/**
 * Sees every call as it goes on the wire (the operation, e.g. 'GetItem', and the marshalled
 * input and output), around the retries: for tests that inject faults and for counting
 * what the simulation reads.
 */
export type DynamoCallHook = (call: { operation: string; input: Wire }, next: () => Promise<Wire>) => Promise<Wire>;

export interface DocumentClientOptions {
  endpoint?: string;
  region?: string;
  credentials?: AwsCredentialSource;
  maxAttempts?: number;
  /** How long one request may go unanswered (default 10 s). */
  timeoutMs?: number;
  hook?: DynamoCallHook;
}

const options: marshallOptions = { removeUndefinedValues: true, convertClassInstanceToMap: false };
const marshalled = (value: Item | undefined) => (value === undefined ? undefined : (marshall(value, options) as Wire));
const unmarshalled = (value: unknown) => (value === undefined ? undefined : unmarshall(value as never));
const unmarshalledAll = (values: unknown) => (values === undefined ? undefined : (values as unknown[]).map(unmarshalled));

/** Only the fields a command names are marshalled, as lib-dynamodb does. */
function withValues<T extends { Key?: Item; Item?: Item; ExpressionAttributeValues?: Item; ExclusiveStartKey?: Item }>(input: T): Wire {
  const wire: Wire = { ...input };
  for (const field of ['Key', 'Item', 'ExpressionAttributeValues', 'ExclusiveStartKey'] as const) {
    if (input[field] !== undefined) wire[field] = marshalled(input[field]);
  }
  return wire;
}

abstract class Command<I, O> {
  abstract readonly operation: string;
  constructor(readonly input: I) {}
  /** The input as DynamoDB takes it. */
  abstract toWire(): Wire;
  /** DynamoDB's answer as plain values. */
  abstract fromWire(output: Wire): O;
  /** Types the output for DocumentClient.send. */
  declare readonly _output: O;
}

/** Commands whose input names at most a Key, an Item, values and a start key. */
abstract class PlainCommand<I extends Parameters<typeof withValues>[0], O> extends Command<I, O> {
  toWire() {
    return withValues(this.input);
  }
}

/** Put, Update and Delete: what comes back is the item's attributes, when asked for. */
abstract class ItemWriteCommand<I extends Parameters<typeof withValues>[0], O> extends PlainCommand<I, O> {
  fromWire(out: Wire) {
    return { ...out, Attributes: unmarshalled(out.Attributes) } as O;
  }
}

/** Query and Scan: a page of items and where the next page starts. */
abstract class PageCommand<I extends Parameters<typeof withValues>[0], O> extends PlainCommand<I, O> {
  fromWire(out: Wire) {
    return { ...out, Items: unmarshalledAll(out.Items), LastEvaluatedKey: unmarshalled(out.LastEvaluatedKey) } as O;
  }
}

export class GetCommand extends PlainCommand<GetCommandInput, Out<GetCommandOutput>> {
  readonly operation = 'GetItem';
  fromWire(out: Wire) {
    return { ...out, Item: unmarshalled(out.Item) };
  }
}

export class PutCommand extends ItemWriteCommand<PutCommandInput, Out<PutCommandOutput>> {
  readonly operation = 'PutItem';
}

export class UpdateCommand extends ItemWriteCommand<UpdateCommandInput, Out<UpdateCommandOutput>> {
  readonly operation = 'UpdateItem';
}

export class DeleteCommand extends ItemWriteCommand<DeleteCommandInput, Out<DeleteCommandOutput>> {
  readonly operation = 'DeleteItem';
}

export class QueryCommand extends PageCommand<QueryCommandInput, Out<QueryCommandOutput>> {
  readonly operation = 'Query';
}

/**
 * For the table-wide tools outside functions/ (local/table-scan.ts, which the metrics
 * rebuild uses, and tests and benchmarks): no job or request scans the table.
 */
export class ScanCommand extends PageCommand<ScanCommandInput, Out<ScanCommandOutput>> {
  readonly operation = 'Scan';
}

type KeysAndAttributes = { Keys?: Item[] } & Record<string, unknown>;

export class BatchGetCommand extends Command<BatchGetCommandInput, Out<BatchGetCommandOutput>> {
  readonly operation = 'BatchGetItem';
  toWire() {
    const requests = this.input.RequestItems as Record<string, KeysAndAttributes>;
    return { ...this.input, RequestItems: mapValues(requests, (r) => ({ ...r, Keys: r.Keys?.map(marshalled) })) };
  }
  fromWire(out: Wire) {
    const responses = out.Responses as Record<string, unknown[]> | undefined;
    const unprocessed = out.UnprocessedKeys as Record<string, KeysAndAttributes> | undefined;
    return {
      ...out,
      Responses: responses && mapValues(responses, (items) => items.map(unmarshalled)),
      UnprocessedKeys: unprocessed && mapValues(unprocessed, (r) => ({ ...r, Keys: r.Keys?.map(unmarshalled) })),
    } as Out<BatchGetCommandOutput>;
  }
}

type WriteRequest = { PutRequest?: { Item?: Item }; DeleteRequest?: { Key?: Item } };
const mapWrites = (requests: Record<string, WriteRequest[]>, map: (value: Item | undefined) => unknown) =>
  mapValues(requests, (list) =>
    list.map((r) => ({
      ...(r.PutRequest ? { PutRequest: { ...r.PutRequest, Item: map(r.PutRequest.Item) } } : {}),
      ...(r.DeleteRequest ? { DeleteRequest: { ...r.DeleteRequest, Key: map(r.DeleteRequest.Key) } } : {}),
    })),
  );

export class BatchWriteCommand extends Command<BatchWriteCommandInput, Out<BatchWriteCommandOutput>> {
  readonly operation = 'BatchWriteItem';
  toWire() {
    return { ...this.input, RequestItems: mapWrites(this.input.RequestItems as Record<string, WriteRequest[]>, marshalled) };
  }
  fromWire(out: Wire) {
    const unprocessed = out.UnprocessedItems as Record<string, WriteRequest[]> | undefined;
    return { ...out, UnprocessedItems: unprocessed && mapWrites(unprocessed, unmarshalled) } as Out<BatchWriteCommandOutput>;
  }
}

export class TransactWriteCommand extends Command<TransactWriteCommandInput, Out<TransactWriteCommandOutput>> {
  readonly operation = 'TransactWriteItems';
  toWire() {
    type Action = Parameters<typeof withValues>[0];
    return {
      ...this.input,
      TransactItems: this.input.TransactItems?.map((item) => mapValues(item as Record<string, Action | undefined>, (action) => action && withValues(action))),
    };
  }
  /** A cancelled transaction's reasons stay marshalled, as lib-dynamodb leaves them. */
  fromWire(out: Wire) {
    return out as Out<TransactWriteCommandOutput>;
  }
}

function mapValues<V, W>(record: Record<string, V>, map: (value: V) => W): Record<string, W> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, map(v)]));
}

export class DocumentClient {
  private readonly client: AwsJsonClient;
  private readonly hook: DynamoCallHook | undefined;

  constructor(options: DocumentClientOptions = {}) {
    this.client = new AwsJsonClient(dynamodbService, options);
    this.hook = options.hook;
  }

  async send<C extends Command<unknown, unknown>>(command: C): Promise<C['_output']> {
    const input = command.toWire();
    const next = () => this.client.call<Wire>(command.operation, input);
    const output = this.hook ? await this.hook({ operation: command.operation, input }, next) : await next();
    return command.fromWire(output) as C['_output'];
  }
}

export function createDocumentClient(options: DocumentClientOptions = {}): DocumentClient {
  return new DocumentClient(options);
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
