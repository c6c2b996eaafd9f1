/**
 * The head-office watcher's handler (entry: head-office-watcher.ts): each record is
 * handled by followHeadOfficeChange, and failures are reported per record, so Lambda
 * retries only those. Old and new images both matter here (what a change added).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { strip } from '../adapters/dynamo/items.js';
import { followHeadOfficeChange, type HeadOfficeWatchDeps } from '../core/use-cases/head-office-watch.js';
import { log } from '../log.js';

const raw = (image: unknown) => (image ? unmarshall(image as Record<string, AttributeValue>) : undefined);

export function createHeadOfficeWatcher(deps: HeadOfficeWatchDeps) {
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler(async (event) => {
    const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
      try {
        const next = raw(record.dynamodb?.NewImage);
        const old = raw(record.dynamodb?.OldImage);
        const entityType = String((next ?? old)?.entityType ?? '');
        if (!record.eventID || !entityType) continue;
        await followHeadOfficeChange(deps, {
          id: record.eventID,
          entityType,
          key: String((next ?? old)?.pk ?? ''),
          ...(old ? { old: strip<Record<string, unknown>>(old) } : {}),
          ...(next ? { new: strip<Record<string, unknown>>(next) } : {}),
        });
      } catch (error) {
        log.error('Head-office watcher: record failed; reported for retry', error, { eventID: record.eventID, sequenceNumber });
        batchItemFailures.push({ itemIdentifier: sequenceNumber });
      }
    }
    return { batchItemFailures };
  });
}
