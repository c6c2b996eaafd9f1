/**
 * The registration watcher's handler, built from its dependencies so tests and the
 * local runtime can run it over their own. The Lambda entry is registration-watcher.ts.
 *
 * Two kinds of new item wake it: a registration awaiting confirmation (its champion is
 * asked to confirm, and nobody else hears of it), and a registration as confirmed (the
 * introductions, to the event team and the champion).
 */
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import * as z from '../core/zod.js';
import type { Mailer } from '../core/mailer.js';
import { pendingRegistrationSchema, registrationSchema } from '../core/model.js';
import { introduceRegistration, type IntroduceRegistrationDeps } from '../core/use-cases/introduce-registration.js';
import { sendConfirmationRequest, type ConfirmationDeps } from '../core/use-cases/registration-confirmation.js';
import { log } from '../log.js';
import { processNewImages } from './stream-batch.js';

/** What a registration item must hold; anything else is a fault, retried then dead-lettered. */
const image = z.discriminatedUnion('entityType', [
  z.extend(registrationSchema, { entityType: z.literal('Registration') }),
  z.extend(pendingRegistrationSchema, { entityType: z.literal('PendingRegistration') }),
]);

export function createRegistrationWatcher(deps: IntroduceRegistrationDeps & Pick<ConfirmationDeps, 'registrations'> & { mailer: Mailer }) {
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler((event) =>
    processNewImages(event, async (raw) => {
      const parsed = image.parse(raw);
      if (parsed.entityType === 'PendingRegistration') {
        const { entityType: _, ...pending } = parsed;
        const outcome = await sendConfirmationRequest(deps, pending);
        log.info('Registration: confirmation asked for', { registrationId: pending.id, practiceCode: pending.practice.code, outcome });
        return;
      }
      const { entityType: _, ...confirmed } = parsed;
      const result = await introduceRegistration(deps, confirmed);
      log.info('Registration introduced', {
        registrationId: confirmed.id,
        practiceCode: confirmed.practice.code,
        emails: result.emails.map((e) => `${e.template}:${e.outcome}`),
        ...(result.missingEvents.length ? { missingEvents: result.missingEvents } : {}),
      });
    }),
  );
}
