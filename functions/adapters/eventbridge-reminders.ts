/**
 * One-time reminders as EventBridge Scheduler schedules: `at(...)` in the event's time
 * zone, a deterministic name, a retry policy, a dead-letter queue, and deleted after
 * they fire. The job re-reads the current state when it fires, so a reminder left over
 * from a cancelled or moved plan sends nothing.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { ReminderRequest, Reminders } from '../core/ports.js';

export interface ReminderTargets {
  /** The reminder Lambda's ARN. */
  targetArn: string;
  /** The role Scheduler assumes to invoke it (may invoke only that function). */
  roleArn: string;
  /** Where Scheduler puts invocations it could not make. */
  deadLetterArn: string;
  groupName: string;
}

/** Schedule names: letters, digits, `-`, `_`, `.`; at most 64 characters. */
const namePattern = /^[0-9a-zA-Z\-_.]{1,64}$/;

/** The local wall-clock time of an instant, as `at(...)` wants it: yyyy-mm-ddThh:mm:ss. */
export function localAtExpression(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `at(${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')})`;
}

export class EventBridgeReminders implements Reminders {
  constructor(
    private readonly client: SchedulerClient,
    private readonly targets: ReminderTargets,
  ) {}

  static createInput(reminder: ReminderRequest, targets: ReminderTargets): CreateScheduleCommandInput {
    if (!namePattern.test(reminder.name)) throw new Error(`Not a valid schedule name: ${reminder.name}`);
    return {
      Name: reminder.name,
      GroupName: targets.groupName,
      ScheduleExpression: localAtExpression(reminder.at, reminder.timeZone),
      ScheduleExpressionTimezone: reminder.timeZone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      // No ClientToken: a takeover moved away and back reuses a name, and a reused token
      // would be taken for the old request and do nothing. A repeat is caught by the name
      // instead (ConflictException).
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: targets.targetArn,
        RoleArn: targets.roleArn,
        Input: JSON.stringify({ job: reminder.job, name: reminder.name, payload: reminder.payload }),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 6 * 3600 },
        DeadLetterConfig: { Arn: targets.deadLetterArn },
      },
    };
  }

  async schedule(reminder: ReminderRequest): Promise<void> {
    try {
      await this.client.send(new CreateScheduleCommand(EventBridgeReminders.createInput(reminder, this.targets)));
    } catch (error) {
      // Created by an earlier attempt: the name is deterministic, so it is this reminder.
      if (!(error instanceof ConflictException)) throw error;
    }
  }

  async cancel(name: string): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.targets.groupName }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}
