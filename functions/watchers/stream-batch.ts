/**
 * Runs a DynamoDB stream batch record by record and reports the ones that failed, so
 * Lambda retries only those (with ReportBatchItemFailures) and one bad record never
 * loses the others. Every failure is logged with its record before it is reported.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type * as z from '../core/zod.js';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { log, logger } from '../log.js';

export type NewImageHandler = (image: Record<string, unknown>, record: DynamoDBRecord) => Promise<void>;

export async function processNewImages(event: DynamoDBStreamEvent, handle: NewImageHandler): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
    // Every line logged while this record is handled names it (the failure line names it
    // itself too: in the local runtime, consumers share one logger and run side by side).
    logger.appendKeys({ eventID: record.eventID });
    try {
      const image = record.dynamodb?.NewImage;
      if (!image) throw new Error('Stream record has no new image');
      await handle(unmarshall(image as Record<string, AttributeValue>), record);
    } catch (error) {
      log.error('Stream record failed; reported for retry', error, { eventID: record.eventID, sequenceNumber });
      batchItemFailures.push({ itemIdentifier: sequenceNumber });
    } finally {
      logger.removeKeys(['eventID']);
    }
  }
  return { batchItemFailures };
}

/**
 * A stream consumer for new items of one entity: each new image is checked against
 * `schema` (a malformed item fails its record, is retried, then dead-lettered) and
 * handed, without its `entityType`, to `handle`.
 */
export function newItemWatcher<Schema extends z.ZodMiniType<{ entityType: string }>>(
  schema: Schema,
  handle: (item: Omit<z.output<Schema>, 'entityType'>) => Promise<void>,
) {
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler((event) =>
    processNewImages(event, async (image) => {
      const { entityType: _, ...item } = schema.parse(image);
      await handle(item);
    }),
  );
}
