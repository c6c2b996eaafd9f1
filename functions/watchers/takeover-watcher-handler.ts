/** The takeover watcher's handler, built from its dependencies; the Lambda entry is takeover-watcher.ts. */
import * as z from '../core/zod.js';
import { followTakeover, type TakeoverWatcherDeps } from '../core/use-cases/takeover-countdown.js';
import { log } from '../log.js';
import { newItemWatcher } from './stream-batch.js';
import { takeoverSchema } from '../core/model.js';

/**
 * The plan only: what was answered after it (rolesFilled, outcome) is not the watcher's to
 * check, and offeredAt is read from the takeover as it is now (followTakeover), not the image.
 */
const takeoverImage = z.extend(z.omit(takeoverSchema, { offeredAt: true, rolesFilled: true, outcome: true }), { entityType: z.literal('Takeover') });

export function createTakeoverWatcher(deps: TakeoverWatcherDeps) {
  return newItemWatcher(takeoverImage, async (takeover) => {
    const result = await followTakeover(deps, takeover);
    log.info('Takeover followed', { takeoverId: takeover.id, status: takeover.status, ...result });
  });
}
