/**
 * What a one-time reminder does when it fires. EventBridge Scheduler invokes the reminder
 * Lambda with `{ job, name, payload }`; locally the local scheduler calls the same
 * dispatch. Each job re-reads the current state, so a stale reminder sends nothing.
 */
import middy from '@middy/core';
import * as z from '../core/zod.js';
import { sendNewcomerNotice, type NewcomerNoticeDeps } from '../core/use-cases/newcomer-notice.js';
import { sendTakeoverReminder, type TakeoverReminderDeps } from '../core/use-cases/takeover-countdown.js';
import { reminderJobs, type ReminderJob } from '../core/ports.js';
import { newcomerPlanSchema, takeoverReminderPayloadSchema } from '../core/model.js';
import { log } from '../log.js';

/** The plan's link and day, checked as the plan's own fields are (NoticePayload in newcomer-notice.ts picks the same). */
const noticePayload = z.pick(newcomerPlanSchema, { practiceCode: true, eventShortName: true, date: true });

const invocation = z.object({ job: z.enum(reminderJobs), name: z.string(), payload: z.record(z.string(), z.string()) });

export type ReminderDeps = TakeoverReminderDeps & NewcomerNoticeDeps;

export function reminderDispatch(deps: ReminderDeps) {
  return async (job: ReminderJob, payload: Record<string, string>, name: string): Promise<unknown> => {
    switch (job) {
      case 'takeover-reminder': {
        const outcome = await sendTakeoverReminder(deps, takeoverReminderPayloadSchema.parse(payload));
        log.info('Takeover reminder', { name, outcome });
        return outcome;
      }
      case 'first-timer-notice': {
        const outcome = await sendNewcomerNotice(deps, noticePayload.parse(payload));
        log.info('First-timer notice', { name, outcome });
        return outcome;
      }
    }
  };
}

export function createReminderHandler(deps: ReminderDeps) {
  const dispatch = reminderDispatch(deps);
  return middy<unknown, unknown>().handler(async (event) => {
    const { job, name, payload } = invocation.parse(event);
    return dispatch(job, payload, name);
  });
}
