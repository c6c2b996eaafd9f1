/** The takeover watcher's handler, built from its dependencies; the Lambda entry is takeover-watcher.ts. */
import * as z from '../core/zod.js';
import { followTakeover, type TakeoverWatcherDeps } from '../core/use-cases/takeover-countdown.js';
import { log } from '../log.js';
import { newItemWatcher } from './stream-batch.js';
import { takeoverReminders, takeoverStatuses } from '../core/model.js';

const reminderState = z.enum(['pending', 'scheduled']);
const takeoverImage = z.object({
  entityType: z.literal('Takeover'),
  id: z.string().check(z.minLength(1)),
  practiceCode: z.string(),
  eventShortName: z.string(),
  status: z.enum(takeoverStatuses),
  proposedDates: z.array(z.string()),
  date: z.optional(z.string()),
  previousDate: z.optional(z.string()),
  declineReason: z.optional(z.string()),
  reminders: z.optional(z.partialRecord(z.enum(takeoverReminders), reminderState)),
  createdAt: z.string(),
  updatedAt: z.string(),
  rev: z.optional(z.number()),
});

export function createTakeoverWatcher(deps: TakeoverWatcherDeps) {
  return newItemWatcher(takeoverImage, async (takeover) => {
    const result = await followTakeover(deps, takeover);
    log.info('Takeover followed', { takeoverId: takeover.id, status: takeover.status, ...result });
  });
}
