/**
 * The table's stream, read over the same small signed JSON client the product uses for
 * DynamoDB (aws-json.ts): records as Lambda hands them to a function. The failure keeper
 * reads a failed batch here while the stream still has it (24 hours); the local stream
 * poller reads the whole stream the same way.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import type { StreamRecords } from '../../core/failure-log.js';
import { AwsJsonClient, type AwsJsonClientOptions, type AwsJsonService } from '../aws-json.js';

export const streamsService: AwsJsonService = {
  signingName: 'dynamodb',
  targetPrefix: 'DynamoDBStreams_20120810',
  jsonVersion: '1.0',
  hostPrefix: 'streams.dynamodb',
  endpointVariable: 'AWS_ENDPOINT_URL_DYNAMODB_STREAMS',
};

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
  private readonly client: AwsJsonClient;

  constructor(
    options: AwsJsonClientOptions = {},
    /** Empty pages in a row before giving up on reaching the last record (an open shard can answer a few). */
    private readonly emptyPagesAllowed = 20,
  ) {
    this.client = new AwsJsonClient(streamsService, options);
  }

  /** The records from `start` to `end` (sequence numbers, compared as numbers), or what of them the stream still holds. */
  async read(streamArn: string, shardId: string, start: string, end: string): Promise<DynamoDBRecord[]> {
    const last = BigInt(end);
    const records: DynamoDBRecord[] = [];
    let iterator: string | undefined;
    try {
      iterator = (
        await this.client.call<{ ShardIterator?: string }>('GetShardIterator', { StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: start })
      ).ShardIterator;
    } catch (error) {
      if (isGone(error)) return records;
      throw error;
    }
    for (let empty = 0; iterator && empty <= this.emptyPagesAllowed; ) {
      let page: { Records?: AnyStreamRecord[]; NextShardIterator?: string };
      try {
        page = await this.client.call('GetRecords', { ShardIterator: iterator, Limit: 1000 });
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
