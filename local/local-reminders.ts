/**
 * The local stand-in for one-time EventBridge Scheduler schedules: reminders kept in
 * memory and fired by the local scheduler when the local clock passes them, then deleted,
 * as ActionAfterCompletion DELETE does in AWS.
 */
import type { ReminderJob, ReminderRequest, Reminders } from '../functions/core/ports.js';
import type { LocalJob } from './scheduler.js';

export type ReminderDispatch = (job: ReminderJob, payload: Record<string, string>, name: string) => Promise<unknown>;

export class LocalReminders implements Reminders {
  readonly pending = new Map<string, ReminderRequest>();

  async schedule(reminder: ReminderRequest): Promise<void> {
    // Like CreateSchedule with an existing name: the first one stands.
    if (!this.pending.has(reminder.name)) this.pending.set(reminder.name, reminder);
  }

  async cancel(name: string): Promise<void> {
    this.pending.delete(name);
  }

  /** A job for the local scheduler: due at each reminder's time, firing what has come due. */
  asJob(dispatch: ReminderDispatch, clock: { now(): Date }): LocalJob {
    return {
      name: 'reminders',
      occurrences: (from, to) => [...new Set([...this.pending.values()].filter((r) => r.at > from && r.at <= to).map((r) => r.at.getTime()))].map((t) => new Date(t)),
      run: async () => {
        const due = [...this.pending.values()].filter((r) => r.at <= clock.now()).sort((a, b) => a.at.getTime() - b.at.getTime());
        const fired: string[] = [];
        for (const reminder of due) {
          // Deleted only once it has run, as a failed invocation is retried in AWS.
          await dispatch(reminder.job, reminder.payload, reminder.name);
          this.pending.delete(reminder.name);
          fired.push(reminder.name);
        }
        return { fired };
      },
    };
  }
}
