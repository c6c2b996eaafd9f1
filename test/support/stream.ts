/** Reads what DynamoDB Local's stream holds, as Lambda would deliver it: the one stream reader the tests share. */
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { StreamFilter } from '../../functions/adapters/dynamo/stream-filters.js';
import { matchesFilter } from '../../local/stream-filter.js';
import { toLambdaRecord } from '../../local/stream-poller.js';

export interface ShardRecord {
  shardId: string;
  record: DynamoDBRecord;
}

/**
 * A reader of one table's stream that remembers, per shard, the last record it handed out,
 * as Lambda's poller does: `next()` gives only what was written since. Positions are kept
 * as sequence numbers rather than iterators, which DynamoDB expires after 15 minutes.
 */
export class StreamReader {
  private readonly after = new Map<string, string>();

  constructor(
    private readonly streams: DynamoDBStreamsClient,
    private readonly streamArn: string,
  ) {}

  /** What is on the stream after what this reader last handed out (everything, the first time), with each record's shard. */
  async nextWithShards(): Promise<ShardRecord[]> {
    const found: ShardRecord[] = [];
    const described = await this.streams.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    for (const shard of described.StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId!;
      const last = this.after.get(shardId);
      let iterator = (
        await this.streams.send(
          new GetShardIteratorCommand({
            StreamArn: this.streamArn,
            ShardId: shardId,
            ...(last ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: last } : { ShardIteratorType: 'TRIM_HORIZON' }),
          }),
        )
      ).ShardIterator;
      // An open shard always hands back a next iterator; stop when a read comes back empty.
      while (iterator) {
        const out = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        if (!out.Records?.length) break;
        for (const r of out.Records) {
          this.after.set(shardId, r.dynamodb!.SequenceNumber!);
          found.push({ shardId, record: toLambdaRecord(r, this.streamArn) });
        }
        iterator = out.NextShardIterator;
      }
    }
    return found;
  }

  /** What is new since the last read, as Lambda delivers it, only the records `filter` lets through when given. */
  async next(filter?: StreamFilter): Promise<DynamoDBRecord[]> {
    const records = (await this.nextWithShards()).map((r) => r.record);
    return filter ? records.filter((r) => matchesFilter(filter, r)) : records;
  }
}

/** Everything on the stream from its start, only what `filter` lets through when given. */
export function readStream(streams: DynamoDBStreamsClient, streamArn: string, filter?: StreamFilter): Promise<DynamoDBRecord[]> {
  return new StreamReader(streams, streamArn).next(filter);
}
