/** Reads what DynamoDB Local's stream holds, as Lambda would deliver it. */
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { StreamFilter } from '../../functions/adapters/dynamo/stream-filters.js';
import { matchesFilter } from '../../local/stream-filter.js';
import { toLambdaRecord } from '../../local/stream-poller.js';

export async function readStream(streams: DynamoDBStreamsClient, streamArn: string, filter?: StreamFilter): Promise<DynamoDBRecord[]> {
  const records: DynamoDBRecord[] = [];
  const described = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  for (const shard of described.StreamDescription?.Shards ?? []) {
    let iterator = (
      await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))
    ).ShardIterator;
    // An open shard always hands back a next iterator; stop when a read comes back empty.
    while (iterator) {
      const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      if (!out.Records?.length) break;
      records.push(...out.Records.map((r) => toLambdaRecord(r, streamArn)));
      iterator = out.NextShardIterator;
    }
  }
  return filter ? records.filter((r) => matchesFilter(filter, r)) : records;
}
