/**
 * The metrics watcher's handler: each change to a counted entity adds to the head-office
 * figures, once (the record's event id guards against a redelivered record). Failures
 * are reported per record, so Lambda retries only those; the entry is metrics-watcher.ts.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { strip } from '../adapters/dynamo/items.js';
import { countChange, countedEntities, type CountedEntity, type MetricsDeps } from '../core/use-cases/head-office-metrics.js';
import { log } from '../log.js';

const imageOf = (image: unknown) => (image ? strip<Record<string, unknown>>(unmarshall(image as Record<string, AttributeValue>)) : undefined);
const entityOf = (image: unknown) => (image ? (unmarshall(image as Record<string, AttributeValue>).entityType as string | undefined) : undefined);

export function createMetricsWatcher(deps: MetricsDeps) {
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler(async (event) => {
    const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
      try {
        const entityType = entityOf(record.dynamodb?.NewImage) ?? entityOf(record.dynamodb?.OldImage);
        if (!record.eventID || !entityType || !(countedEntities as readonly string[]).includes(entityType)) continue;
        const old = imageOf(record.dynamodb?.OldImage);
        const next = imageOf(record.dynamodb?.NewImage);
        const outcome = await countChange(deps, { id: record.eventID, entityType: entityType as CountedEntity, ...(old ? { old } : {}), ...(next ? { new: next } : {}) });
        if (outcome === 'duplicate') log.info('Metrics: change already counted', { eventID: record.eventID });
      } catch (error) {
        log.error('Metrics: record failed; reported for retry', error, { eventID: record.eventID, sequenceNumber });
        batchItemFailures.push({ itemIdentifier: sequenceNumber });
      }
    }
    return { batchItemFailures };
  });
}
