/**
 * Runs a DynamoDB stream batch record by record and reports the ones that failed, so
 * Lambda retries only those (with ReportBatchItemFailures) and one bad record never
 * loses the others. Every failure is logged with its record before it is reported.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { log } from '../log.js';

export type NewImageHandler = (image: Record<string, unknown>, record: DynamoDBRecord) => Promise<void>;

export async function processNewImages(event: DynamoDBStreamEvent, handle: NewImageHandler): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
    try {
      const image = record.dynamodb?.NewImage;
      if (!image) throw new Error('Stream record has no new image');
      await handle(unmarshall(image as Record<string, AttributeValue>), record);
    } catch (error) {
      log.error('Stream record failed; reported for retry', error, { eventID: record.eventID, sequenceNumber });
      batchItemFailures.push({ itemIdentifier: sequenceNumber });
    }
  }
  return { batchItemFailures };
}
