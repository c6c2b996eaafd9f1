/**
 * The failure keeper's handler (entry: failure-keeper.ts): reads what lands in the failure
 * queues (stream batches a watcher gave up on, failed asynchronous invocations, and what
 * EventBridge Scheduler or a rule could not deliver) and keeps each failure in the table,
 * where `npm run cli -- failures` lists and retries it. A stream batch's records are read
 * from the stream now, while it still has them, and kept whole.
 *
 * A message it could not keep (unreadable, or the table or stream failing) is reported in
 * batchItemFailures: SQS delivers it again, and past the queue's receive limit moves it to
 * the queue's own dead-letter queue, where it stays for a person, as every message did
 * before there was a keeper.
 */
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { keepQueueMessage, type FailureKeepingDeps } from '../core/use-cases/failures.js';
import { log } from '../log.js';

export function createFailureKeeper(deps: FailureKeepingDeps) {
  return middy<SQSEvent, SQSBatchResponse>().handler(async (event) => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const message of event.Records) {
      try {
        const { kept, already } = await keepQueueMessage(deps, message);
        log.info('Failure kept', { messageId: message.messageId, queue: message.eventSourceARN, kept, keptAlready: already });
      } catch (error) {
        log.error('Failure message not kept; it stays in its queue', error, { messageId: message.messageId, queue: message.eventSourceARN });
        batchItemFailures.push({ itemIdentifier: message.messageId });
      }
    }
    return { batchItemFailures };
  });
}
