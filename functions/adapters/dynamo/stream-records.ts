/**
 * The table's stream, read with the SDK's DynamoDB Streams client, configured as every AWS
 * client of the product is (../aws-clients.ts; the endpoint from
 * AWS_ENDPOINT_URL_DYNAMODB_STREAMS when set): records as Lambda hands them to a function.
 * The failure keeper reads a failed batch here while the stream still has it (24 hours); the
 * local stream poller reads the whole stream the same way.
 */
import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { StreamRecords } from '../../core/failure-log.js';
import { awsClientConfig, type AwsClientOptions } from '../aws-clients.js';

/** A DynamoDB Streams client made as the product makes every AWS client: for the local stream poller too. */
export function createStreamsClient(options: AwsClientOptions = {}): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient(awsClientConfig(options));
}

/** A stream record as the SDK gives it (a Date) or as the wire carries it (epoch seconds). */
export interface AnyStreamRecord {
  eventID?: string;
  eventName?: string;
  eventVersion?: string;
  eventSource?: string;
  awsRegion?: string;
  dynamodb?: {
    ApproximateCreationDateTime?: Date | number;
    Keys?: unknown;
    NewImage?: unknown;
    OldImage?: unknown;
    SequenceNumber?: string;
    SizeBytes?: number;
    StreamViewType?: string;
  };
}

const epochSeconds = (at: Date | number) => Math.floor(typeof at === 'number' ? at : at.getTime() / 1000);

/** A stream record in the shape Lambda delivers it to a function. */
export function toLambdaRecord(record: AnyStreamRecord, streamArn: string): DynamoDBRecord {
  const d = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      Keys: d.Keys as never,
      NewImage: d.NewImage as never,
      OldImage: d.OldImage as never,
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType as never,
      ...(d.ApproximateCreationDateTime ? { ApproximateCreationDateTime: epochSeconds(d.ApproximateCreationDateTime) } : {}),
    },
  };
}

/** The shard, or the part of it asked for, is no longer in the stream. */
const goneErrors = new Set(['TrimmedDataAccessException', 'ResourceNotFoundException']);
const isGone = (error: unknown) => error instanceof Error && goneErrors.has(error.name);

export class DynamoStreamRecords implements StreamRecords {
  private readonly client: DynamoDBStreamsClient;

  constructor(
    options: AwsClientOptions = {},
    /** Empty pages in a row before giving up on reaching the last record (an open shard can answer a few). */
    private readonly emptyPagesAllowed = 20,
  ) {
    this.client = createStreamsClient(options);
  }

  /** The records from `start` to `end` (sequence numbers, compared as numbers), or what of them the stream still holds. */
  async read(streamArn: string, shardId: string, start: string, end: string): Promise<DynamoDBRecord[]> {
    const last = BigInt(end);
    const records: DynamoDBRecord[] = [];
    let iterator: string | undefined;
    try {
      iterator = (
        await this.client.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: start }))
      ).ShardIterator;
    } catch (error) {
      if (isGone(error)) return records;
      throw error;
    }
    for (let empty = 0; iterator && empty <= this.emptyPagesAllowed; ) {
      let page: { Records?: AnyStreamRecord[]; NextShardIterator?: string };
      try {
        page = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      } catch (error) {
        if (isGone(error)) return records;
        throw error;
      }
      const found = page.Records ?? [];
      empty = found.length === 0 ? empty + 1 : 0;
      for (const record of found) {
        const sequence = BigInt(record.dynamodb?.SequenceNumber ?? '0');
        if (sequence > last) return records;
        records.push(toLambdaRecord(record, streamArn));
        if (sequence === last) return records;
      }
      iterator = page.NextShardIterator;
    }
    return records;
  }
}
