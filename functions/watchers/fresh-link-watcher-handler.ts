/** The fresh-link watcher's handler, built from its dependencies; the Lambda entry is fresh-link-watcher.ts. */
import { z } from 'zod';
import type { Mailer } from '../core/mailer.js';
import { tokenPurposes } from '../core/model.js';
import { sendFreshLink } from '../core/use-cases/fresh-link.js';
import { log } from '../log.js';
import { newItemWatcher } from './stream-batch.js';

const requestImage = z.object({
  entityType: z.literal('FreshLinkRequest'),
  id: z.string().min(1),
  purpose: z.enum(tokenPurposes),
  detail: z.record(z.string(), z.string()).optional(),
  subject: z.string(),
  recipient: z.string(),
  role: z.enum(['champion', 'event-director', 'first-timer-contact', 'head-office']).optional(),
  about: z.string().optional(),
  requestedAt: z.string(),
});

export function createFreshLinkWatcher(deps: { mailer: Mailer }) {
  return newItemWatcher(requestImage, async (request) => {
    const outcome = await sendFreshLink(deps, request);
    log.info('Fresh link sent', { requestId: request.id, purpose: request.purpose, outcome });
  });
}
