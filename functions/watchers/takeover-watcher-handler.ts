/** The takeover watcher's handler, built from its dependencies; the Lambda entry is takeover-watcher.ts. */
import { z } from 'zod';
import { followTakeover, type TakeoverWatcherDeps } from '../core/use-cases/takeover-countdown.js';
import { log } from '../log.js';
import { newItemWatcher } from './stream-batch.js';

const reminderState = z.enum(['pending', 'scheduled']);
const takeoverImage = z.object({
  entityType: z.literal('Takeover'),
  id: z.string().min(1),
  practiceCode: z.string(),
  eventShortName: z.string(),
  status: z.enum(['proposed', 'declined', 'fixed', 'cancelled', 'done', 'did-not-happen']),
  proposedDates: z.array(z.string()),
  date: z.string().optional(),
  previousDate: z.string().optional(),
  declineReason: z.string().optional(),
  reminders: z.object({ '6-weeks': reminderState, '2-weeks': reminderState, '3-days': reminderState, after: reminderState }).partial().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  rev: z.number().optional(),
});

export function createTakeoverWatcher(deps: TakeoverWatcherDeps) {
  return newItemWatcher(takeoverImage, async (takeover) => {
    const result = await followTakeover(deps, takeover);
    log.info('Takeover followed', { takeoverId: takeover.id, status: takeover.status, ...result });
  });
}
