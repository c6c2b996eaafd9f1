/**
 * Feeds the stream consumers from DynamoDB Local's own stream, the way Lambda's event
 * source mappings do in AWS: each consumer gets its filtered records in batches, in order
 * per shard; records reported in batchItemFailures are retried from the first failure
 * (bounded, with backoff) and then set aside as dead letters, as the SQS on-failure
 * destination holds them in AWS. One reader serves them all: each page of the stream is
 * read and parsed once, then handed to every consumer at once, as separate mappings would.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { FilterPattern } from '../functions/adapters/dynamo/stream-filters.js';
import { log } from '../functions/log.js';
import { matchesFilter } from './stream-filter.js';

export type StreamConsumer = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

export interface StreamConsumerSpec {
  name: string;
  filter: FilterPattern;
  consumer: StreamConsumer;
}

export interface StreamPollerOptions {
  client: DynamoDBStreamsClient;
  streamArn: string;
  consumers: StreamConsumerSpec[];
  batchSize?: number;
  maxRetries?: number;
  pollMs?: number;
  retryBaseMs?: number;
}

export interface StreamPoller {
  stop(): Promise<void>;
  /** Resolves once every record written so far has been handed to the consumers. */
  drain(): Promise<void>;
  deadLetters: Array<{ consumer: string; record: DynamoDBRecord }>;
  /** Records handed to consumers so far: a drain that changed it may have set off more. */
  readonly delivered: number;
}

export function toLambdaRecord(record: StreamRecord, streamArn: string): DynamoDBRecord {
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
      StreamViewType: d.StreamViewType,
      ...(d.ApproximateCreationDateTime ? { ApproximateCreationDateTime: Math.floor(d.ApproximateCreationDateTime.getTime() / 1000) } : {}),
    },
  };
}

export function startStreamPoller(options: StreamPollerOptions): StreamPoller {
  const { client, streamArn, consumers } = options;
  const batchSize = options.batchSize ?? 10;
  const maxRetries = options.maxRetries ?? 5;
  const pollMs = options.pollMs ?? 200;
  const retryBaseMs = options.retryBaseMs ?? 200;
  const iterators = new Map<string, string | undefined>();
  const deadLetters: StreamPoller['deadLetters'] = [];
  let stopped = false;
  let idleWaiters: Array<{ after: number; resolve: () => void }> = [];
  let passesStarted = 0;
  let delivered = 0;
  let wake: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function deliver({ name, consumer }: StreamConsumerSpec, records: DynamoDBRecord[]) {
    delivered += records.length;
    let pending = records;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const response = await consumer({ Records: pending }).catch((error: unknown) => {
        log.error(`${name}: consumer threw; whole batch will be retried`, error);
        return { batchItemFailures: pending.map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' })) };
      });
      const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      if (failed.size === 0) return;
      // As Lambda does: carry on from the first failed record.
      const first = pending.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
      pending = first < 0 ? pending : pending.slice(first);
      if (attempt >= maxRetries) {
        const dead = pending.filter((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
        deadLetters.push(...dead.map((record) => ({ consumer: name, record })));
        log.error(`${name}: records set aside after ${maxRetries} retries`, new Error('retries exhausted'), {
          sequenceNumbers: dead.map((r) => r.dynamodb?.SequenceNumber),
        });
        pending = pending.filter((r) => !failed.has(r.dynamodb?.SequenceNumber ?? ''));
        attempt = -1;
        continue;
      }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, retryBaseMs * 2 ** attempt));
    }
  }

  /** One consumer's share of a page, in batches, in order. */
  async function feed(spec: StreamConsumerSpec, records: DynamoDBRecord[]) {
    const matching = records.filter((r) => matchesFilter(spec.filter, r));
    for (let i = 0; i < matching.length; i += batchSize) await deliver(spec, matching.slice(i, i + batchSize));
  }

  async function refreshShards() {
    let start: string | undefined;
    do {
      const out = await client.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }));
      for (const shard of out.StreamDescription?.Shards ?? []) {
        if (!shard.ShardId || iterators.has(shard.ShardId)) continue;
        const it = await client.send(
          new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
        );
        iterators.set(shard.ShardId, it.ShardIterator);
      }
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
  }

  /** One pass over every open shard; true if it found any record at all. */
  async function pollOnce(): Promise<boolean> {
    await refreshShards();
    let found = false;
    for (const [shardId, iterator] of iterators) {
      if (!iterator) continue;
      const out = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
      iterators.set(shardId, out.NextShardIterator);
      const records = (out.Records ?? []).map((r) => toLambdaRecord(r, streamArn));
      if (records.length > 0) found = true;
      await Promise.all(consumers.map((spec) => feed(spec, records)));
    }
    return found;
  }

  const loop = (async () => {
    while (!stopped) {
      const pass = ++passesStarted;
      let found = false;
      try {
        found = await pollOnce();
      } catch (error) {
        if (!stopped) log.error('Stream poller: reading the stream failed; trying again', error);
      }
      if (!found) {
        // Only waiters from before this pass began: its reads saw everything they wrote.
        const ready = idleWaiters.filter((w) => w.after < pass);
        idleWaiters = idleWaiters.filter((w) => w.after >= pass);
        ready.forEach((w) => w.resolve());
      }
      if (!stopped && !found) await sleep(pollMs);
    }
  })();

  return {
    deadLetters,
    get delivered() {
      return delivered;
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      idleWaiters.forEach((w) => w.resolve());
    },
    /** Waits for a pass that began after this call and found nothing new. */
    drain() {
      return new Promise<void>((resolve) => {
        // A pass already under way may have started before the caller's write: it does not count.
        idleWaiters.push({ after: passesStarted, resolve });
        wake?.();
      });
    },
  };
}
