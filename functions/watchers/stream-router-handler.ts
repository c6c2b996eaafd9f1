/**
 * The stream router's handler (entry: stream-router.ts). DynamoDB advises at most two
 * readers per shard of a stream, so one mapping reads the table's stream for every watcher
 * that sends mail, and this hands each of them the records its own filter lets through, as
 * its own mapping would have: in the batch's order, all of them at once, each in its own
 * function (its own role and grants) in AWS, in-process locally.
 *
 * Its answer is the union of theirs: a record one watcher failed is reported, so the
 * mapping retries it (bisecting, a bounded number of times, then the failure queue), and
 * the others see it again too, which is harmless, as every watcher is idempotent per record.
 * A watcher that failed outright (threw, timed out, answered nothing a partial batch
 * response can be read from) fails every record it was given.
 */
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import {
  matchesFilter,
  routedWatcherNames,
  streamReaders,
  streamRouter,
  streamWatchers,
  type RoutedWatcherName,
  type StreamFilter,
  type StreamMappingSettings,
  type StreamReaderName,
  type WatcherName,
} from '../adapters/dynamo/stream-filters.js';
import { log } from '../log.js';

/** A stream consumer as the router sees it: a Lambda invoked with its records, or a handler called directly. */
export type StreamEventHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

export interface RoutedConsumer {
  name: string;
  filter: StreamFilter;
  invoke: StreamEventHandler;
}

const sequenceNumberOf = (record: DynamoDBStreamEvent['Records'][number]) => record.dynamodb?.SequenceNumber ?? '';

/**
 * Hands each consumer its own records of `event` (those its filter matches, in order; none:
 * not invoked), all at once, and reports every record any of them failed, in the batch's order.
 */
export async function routeStreamBatch(event: DynamoDBStreamEvent, consumers: readonly RoutedConsumer[]): Promise<DynamoDBBatchResponse> {
  const failed = new Set<string>();
  await Promise.all(
    consumers.map(async ({ name, filter, invoke }) => {
      const records = event.Records.filter((record) => matchesFilter(filter, record));
      if (records.length === 0) return;
      const own = records.map(sequenceNumberOf);
      let reported: string[];
      try {
        const response = await invoke({ Records: records });
        reported = (response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier);
        const strangers = reported.filter((id) => !own.includes(id));
        // Lambda itself fails a whole batch whose response names a record not in it.
        if (strangers.length > 0) {
          log.error(`Stream router: ${name} reported records it was not given; all of its records are reported for retry`, new Error('unknown itemIdentifier'), { consumer: name, strangers });
          reported = own;
        }
      } catch (error) {
        log.error(`Stream router: ${name} failed; all of its records are reported for retry`, error, { consumer: name, sequenceNumbers: own });
        reported = own;
      }
      if (reported.length > 0) log.warn(`Stream router: ${name} failed ${reported.length} of its ${records.length} records`, { consumer: name, sequenceNumbers: reported });
      for (const id of reported) failed.add(id);
    }),
  );
  const batchItemFailures = event.Records.map(sequenceNumberOf)
    .filter((id) => failed.has(id))
    .map((itemIdentifier) => ({ itemIdentifier }));
  return { batchItemFailures };
}

export function createStreamRouter(consumers: readonly RoutedConsumer[]) {
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler((event) => routeStreamBatch(event, consumers));
}

/** The watchers the router feeds (stream-filters.ts), each reached through `invokeOf`. */
export function routedConsumers(invokeOf: (name: RoutedWatcherName) => StreamEventHandler): RoutedConsumer[] {
  return routedWatcherNames.map((name) => ({ name, filter: streamWatchers[name].filter, invoke: invokeOf(name) }));
}

export interface InProcessStreamReader {
  name: StreamReaderName;
  filter: StreamFilter;
  mapping: StreamMappingSettings;
  consumer: StreamEventHandler;
}

/**
 * The stream's readers as the stack has them (stream-filters.ts's streamReaders), run in
 * one process over the given watchers' handlers: the stream router calling the watchers it
 * feeds directly, through the same routeStreamBatch, and each watcher with a mapping of its
 * own on its own. For the local stack's stream poller.
 */
export function inProcessStreamReaders(watchers: Record<WatcherName, StreamEventHandler>): InProcessStreamReader[] {
  const router = createStreamRouter(routedConsumers((name) => watchers[name]));
  return streamReaders.map((reader) => ({
    name: reader.name,
    filter: reader.filter,
    mapping: reader.mapping,
    consumer: reader.name === streamRouter.name ? (event) => router(event, {} as never) : watchers[reader.name],
  }));
}
