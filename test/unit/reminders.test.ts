import { ConflictException, CreateScheduleCommand, DeleteScheduleCommand, ResourceNotFoundException, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { MovableClock } from '../../functions/adapters/clock.js';
import { EventBridgeReminders, localAtExpression } from '../../functions/adapters/eventbridge-reminders.js';
import type { ReminderRequest } from '../../functions/core/ports.js';
import { LocalReminders } from '../../local/local-reminders.js';
import { LocalScheduler } from '../../local/scheduler.js';
import { FixedClock } from '../support/memory-ports.js';

const scheduler = mockClient(SchedulerClient);
const targets = {
  targetArn: 'arn:aws:lambda:eu-west-2:123456789012:function:reminders',
  roleArn: 'arn:aws:iam::123456789012:role/reminder-scheduler',
  deadLetterArn: 'arn:aws:sqs:eu-west-2:123456789012:reminder-failures',
  groupName: 'parkrun-practice-nudges',
};
const reminder = (overrides: Partial<ReminderRequest> = {}): ReminderRequest => ({
  name: 'tk-0f0d8f4b2a104d7e9a43-6w-20270109',
  at: new Date('2026-11-28T09:00:00Z'),
  timeZone: 'Europe/London',
  job: 'takeover-reminder',
  payload: { takeoverId: '0f0d8f4b2a104d7e9a43', reminder: '6-weeks', date: '2027-01-09' },
  ...overrides,
});

describe('EventBridge Scheduler reminders', () => {
  beforeEach(() => scheduler.reset());

  it('creates exactly this one-time schedule', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:s' });
    await new EventBridgeReminders(new SchedulerClient({ region: 'eu-west-2' }), targets).schedule(reminder());
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]!.args[0].input).toEqual({
      Name: 'tk-0f0d8f4b2a104d7e9a43-6w-20270109',
      GroupName: 'parkrun-practice-nudges',
      ScheduleExpression: 'at(2026-11-28T09:00:00)',
      ScheduleExpressionTimezone: 'Europe/London',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: targets.targetArn,
        RoleArn: targets.roleArn,
        Input: JSON.stringify({
          job: 'takeover-reminder',
          name: 'tk-0f0d8f4b2a104d7e9a43-6w-20270109',
          payload: { takeoverId: '0f0d8f4b2a104d7e9a43', reminder: '6-weeks', date: '2027-01-09' },
        }),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 21600 },
        DeadLetterConfig: { Arn: targets.deadLetterArn },
      },
    });
  });

  it('writes the local time in the event’s zone, across summer time', () => {
    expect(localAtExpression(new Date('2027-07-08T09:00:00Z'), 'Europe/London')).toBe('at(2027-07-08T10:00:00)');
    expect(localAtExpression(new Date('2027-01-07T10:00:00Z'), 'Europe/London')).toBe('at(2027-01-07T10:00:00)');
  });

  it('treats creating the same reminder twice as done, and passes other failures on', async () => {
    const reminders = new EventBridgeReminders(new SchedulerClient({ region: 'eu-west-2' }), targets);
    scheduler
      .on(CreateScheduleCommand)
      .rejectsOnce(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }))
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(reminders.schedule(reminder())).resolves.toBeUndefined();
    await expect(reminders.schedule(reminder())).rejects.toThrow('Rate exceeded');
  });

  it('refuses a name Scheduler would not take', async () => {
    await expect(new EventBridgeReminders(new SchedulerClient({ region: 'eu-west-2' }), targets).schedule(reminder({ name: 'has spaces/and slashes' }))).rejects.toThrow(/Not a valid schedule name/);
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
  });

  it('deletes by name, and a reminder that has gone already is fine', async () => {
    const reminders = new EventBridgeReminders(new SchedulerClient({ region: 'eu-west-2' }), targets);
    scheduler.on(DeleteScheduleCommand).resolvesOnce({}).rejectsOnce(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));
    await reminders.cancel('tk-1-6w-20270109');
    await reminders.cancel('tk-1-6w-20270109');
    expect(scheduler.commandCalls(DeleteScheduleCommand).map((c) => c.args[0].input)).toEqual([
      { Name: 'tk-1-6w-20270109', GroupName: 'parkrun-practice-nudges' },
      { Name: 'tk-1-6w-20270109', GroupName: 'parkrun-practice-nudges' },
    ]);
  });
});

describe('local reminders', () => {
  it('fire in order as the local clock passes them, once each, and not when cancelled', async () => {
    const clock = new MovableClock(new FixedClock(new Date('2026-11-24T10:00:00Z')));
    const reminders = new LocalReminders();
    const fired: Array<[string, string]> = [];
    const local = new LocalScheduler(clock, [reminders.asJob(async (_job, payload, name) => void fired.push([name, clock.now().toISOString()]), clock)]);
    await reminders.schedule(reminder({ name: 'b', at: new Date('2026-11-27T10:00:00Z') }));
    await reminders.schedule(reminder({ name: 'a', at: new Date('2026-11-25T10:00:00Z') }));
    await reminders.schedule(reminder({ name: 'a', at: new Date('2026-11-26T10:00:00Z') }));
    await reminders.schedule(reminder({ name: 'c', at: new Date('2026-11-26T12:00:00Z') }));
    await reminders.cancel('c');
    await local.advance(2 * 86_400_000);
    expect(fired).toEqual([['a', '2026-11-25T10:00:00.000Z']]);
    await local.advance(5 * 86_400_000);
    expect(fired).toEqual([
      ['a', '2026-11-25T10:00:00.000Z'],
      ['b', '2026-11-27T10:00:00.000Z'],
    ]);
    expect(reminders.pending.size).toBe(0);
  });
});
