/** The hand-over watcher's handler, built from its dependencies; the Lambda entry is handover-watcher.ts. */
import * as z from '../core/zod.js';
import { askSuccessor } from '../core/use-cases/handover-acceptance.js';
import { welcomeSuccessor, type WelcomeSuccessorDeps } from '../core/use-cases/welcome-successor.js';
import { handoverSchema, handoverStatuses } from '../core/model.js';
import { log } from '../log.js';
import { newItemWatcher } from './stream-batch.js';

/** Only hand-overs with a status reach the watcher (handoverFilter): older ones, without one, are not acted on. */
const handoverImage = z.extend(handoverSchema, { entityType: z.literal('Handover'), status: z.enum(handoverStatuses) });

/** Offered: the successor is asked to accept. Accepted: they are welcomed with their own links. Each mail has one key per hand-over, so a replay is harmless. */
export function createHandoverWatcher(deps: WelcomeSuccessorDeps) {
  return newItemWatcher(handoverImage, async (handover) => {
    if (handover.status === 'offered') {
      const outcome = await askSuccessor(deps, handover);
      log.info('Successor asked to accept', { handoverId: handover.id, role: handover.role, outcome });
      return;
    }
    const outcome = await welcomeSuccessor(deps, handover);
    log.info('Successor welcomed', { handoverId: handover.id, role: handover.role, outcome });
  });
}
