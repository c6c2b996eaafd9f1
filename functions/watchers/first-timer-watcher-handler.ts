/** The first-timer watcher's handler, built from its dependencies; the Lambda entry is first-timer-watcher.ts. */
import * as z from '../core/zod.js';
import { askToConfirm } from '../core/use-cases/first-timer-contact.js';
import { followNewcomerPlan, type NewcomerNoticeDeps } from '../core/use-cases/newcomer-notice.js';
import { firstTimerNamingSchema, newcomerPlanSchema } from '../core/model.js';
import type { Reminders } from '../core/ports.js';
import { log } from '../log.js';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { processNewImages } from './stream-batch.js';

/** Ids only: the candidate's details are read from the event, where they are kept. */
const namingImage = z.extend(firstTimerNamingSchema, { entityType: z.literal('FirstTimerNaming') });
const planImage = z.extend(newcomerPlanSchema, { entityType: z.literal('NewcomerPlan') });

const image = z.discriminatedUnion('entityType', [namingImage, planImage]);

/** Two kinds of item on one consumer: each new image is checked against its kind's schema (a malformed one fails its record, is retried, then dead-lettered). */
export function createFirstTimerWatcher(deps: NewcomerNoticeDeps & { reminders: Reminders }) {
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler((event) =>
    processNewImages(event, async (raw) => {
      const parsed = image.parse(raw);
      if (parsed.entityType === 'FirstTimerNaming') {
        const { entityType: _, ...naming } = parsed;
        const outcome = await askToConfirm(deps, naming);
        log.info('First-timer contact asked to confirm', { event: naming.eventShortName, namingId: naming.id, outcome });
        return;
      }
      const { entityType: _, ...plan } = parsed;
      const outcome = await followNewcomerPlan(deps, plan);
      log.info('Newcomer plan followed', { link: `${plan.practiceCode}.${plan.eventShortName}`, date: plan.date, status: plan.status, outcome });
    }),
  );
}
