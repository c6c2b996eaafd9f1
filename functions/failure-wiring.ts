/**
 * Builds the failure log's adapters: for the failure keeper's Lambda entry, `npm run cli --
 * failures` and the local stack, as wiring.ts does for the rest of the product.
 */
import { systemClock } from './adapters/clock.js';
import type { DocumentClient } from './adapters/dynamo/document-client.js';
import { DynamoFailureLog } from './adapters/dynamo/failure-log.js';
import { matchesFilter, streamConsumerFilters, type StreamConsumerName } from './adapters/dynamo/stream-filters.js';
import { DynamoStreamRecords } from './adapters/dynamo/stream-records.js';
import type { FailureLog, StreamRecords } from './core/failure-log.js';
import type { Clock } from './core/ports.js';
import type { FailureKeepingDeps } from './core/use-cases/failures.js';

/** The failure log in the table, and the clock it is kept by: for `npm run cli -- failures` and the local stack. */
export function failureDeps(doc: DocumentClient, tableName: string, clock: Clock = systemClock): { failures: FailureLog; clock: Clock } {
  return { failures: new DynamoFailureLog(doc, tableName, clock), clock };
}

/**
 * The failure keeper's: the failure log, the table's stream (a failed batch's records are
 * read from it), and which records each stream consumer's function takes, by its name (an
 * ARN's function name, any qualifier aside): a watcher's, its filter; the stream router's,
 * any of the filters of the watchers it feeds.
 */
export function failureKeeperDeps(
  doc: DocumentClient,
  tableName: string,
  streamConsumers: Record<string, StreamConsumerName>,
  streams: StreamRecords = new DynamoStreamRecords(),
  clock: Clock = systemClock,
): FailureKeepingDeps {
  const functionName = (arn: string) => (arn.startsWith('arn:') ? (arn.split(':')[6] ?? arn) : arn);
  return {
    ...failureDeps(doc, tableName, clock),
    streams,
    consumerOf: (functionArn) => {
      const consumer = streamConsumers[functionName(functionArn)];
      return consumer ? (record) => matchesFilter(streamConsumerFilters[consumer], record) : undefined;
    },
  };
}
