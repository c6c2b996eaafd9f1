/** The hand-over watcher's handler, built from its dependencies; the Lambda entry is handover-watcher.ts. */
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import type { Handover } from '../core/model.js';
import { welcomeSuccessor, type WelcomeSuccessorDeps } from '../core/use-cases/welcome-successor.js';
import { log } from '../log.js';
import { processNewImages } from './stream-batch.js';

const person = z.object({ name: z.string(), email: z.string() });
const handoverImage = z.object({
  entityType: z.literal('Handover'),
  id: z.string().min(1),
  practiceCode: z.string(),
  eventShortName: z.string(),
  role: z.enum(['champion', 'event-director']),
  from: person,
  to: person.extend({ role: z.string() }),
  at: z.string(),
});

export function createHandoverWatcher(deps: WelcomeSuccessorDeps) {
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler((event) =>
    processNewImages(event, async (image) => {
      const { entityType: _, ...handover } = handoverImage.parse(image);
      const outcome = await welcomeSuccessor(deps, handover satisfies Handover);
      log.info('Successor welcomed', { handoverId: handover.id, role: handover.role, outcome });
    }),
  );
}
