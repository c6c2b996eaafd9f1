/** The fresh-link watcher's handler, built from its dependencies; the Lambda entry is fresh-link-watcher.ts. */
import * as z from '../core/zod.js';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { resendIntroduction, type IntroduceRegistrationDeps } from '../core/use-cases/introduce-registration.js';
import { freshLinkRequestSchema, introductionRequestSchema } from '../core/model.js';
import { sendFreshLink } from '../core/use-cases/fresh-link.js';
import { log } from '../log.js';
import { processNewImages } from './stream-batch.js';
import type { HeadOfficeAllowlist } from '../core/ports.js';

const requestImage = z.extend(freshLinkRequestSchema, { entityType: z.literal('FreshLinkRequest') });

const introductionImage = z.extend(introductionRequestSchema, { entityType: z.literal('IntroductionRequest') });

const image = z.discriminatedUnion('entityType', [requestImage, introductionImage]);

/** Mail someone asked for: a fresh link, or an introduction head office asked to send again. */
export function createFreshLinkWatcher(deps: IntroduceRegistrationDeps & { allowlist: HeadOfficeAllowlist }) {
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler((event) =>
    processNewImages(event, async (raw) => {
      const parsed = image.parse(raw);
      if (parsed.entityType === 'IntroductionRequest') {
        const { entityType: _, ...request } = parsed;
        const outcome = await resendIntroduction(deps, request);
        log.info('Introduction sent again', { requestId: request.id, outcome: outcome === 'gone' ? outcome : outcome.emails.length });
        return;
      }
      const { entityType: _, ...request } = parsed;
      const outcome = await sendFreshLink(deps, request);
      log.info('Fresh link sent', { requestId: request.id, purpose: request.purpose, outcome });
    }),
  );
}
