import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Grant, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Data } from './data.js';
import { failureQueue } from './failure-queue.js';
import { HouseFunction } from './house-function.js';
import type { Mail } from './mail.js';
import { tableAccess } from '../table-access.js';

export interface RemindersProps {
  readonly data: Data;
  readonly tokenKey: ISecret;
  readonly mail: Mail;
  /** Where failures the failure keeper could not keep go (constructs/failure-queue.ts). */
  readonly deadLetters: IQueue;
}

/**
 * One-time reminders tied to a date (docs/architecture.md). They are not declared
 * here: a function given `useReminders` (the takeover and first-timer watchers) creates and
 * deletes them at run time with functions/adapters/eventbridge-reminders.ts, as `at(...)`
 * schedules in this construct's group, which invoke the reminder function as this construct's
 * role and, if they cannot, dead-letter to this construct's queue. The stack owns everything those schedules
 * point at, and nothing lets anyone put a schedule anywhere else.
 */
export class Reminders extends Construct {
  /** The group every one-time reminder lives in; its name is REMINDER_GROUP. */
  readonly group: ScheduleGroup;
  /**
   * Reminders that failed for good: the dead-letter queue of the one-time schedules (Scheduler
   * could not hand the run to Lambda) and the reminder function's on-failure destination (the run failed).
   */
  readonly failures: Queue;
  /** Assumed by the reminder schedules: invokes the reminder function and dead-letters to `failures`, nothing else. */
  readonly schedulerRole: Role;
  /** The target of every reminder schedule (input `{job, name, payload}`); re-reads the current state before it sends. */
  readonly handler: HouseFunction;

  constructor(scope: Construct, id: string, props: RemindersProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.group = new ScheduleGroup(this, 'Group', {
      // No name: CDK derives one from the construct path, at most 64 characters, whatever the stack is called.
      // Destroyed with the stack (deleting a group deletes its schedules): left behind, its reminders would
      // invoke a function that no longer exists, and a redeployed stack would derive the same name and
      // fail to create the group. The plans themselves are in the (retained) table.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.failures = failureQueue(this, props.deadLetters);

    this.handler = new HouseFunction(this, 'Reminder', {
      entry: 'functions/jobs/reminder.ts',
      description: 'Job: sends a one-time reminder (takeover countdown, first-timer notice) if it is still wanted',
      timeout: Duration.seconds(30),
    })
      .useTable(props.data, tableAccess.reminder, props.tokenKey)
      .useMail(props.mail)
      // A retry re-reads the plan and sends nothing already sent (an idempotency record per email).
      .onAsyncFailure(this.failures, { attempts: 2, maxEventAge: Duration.hours(1) });

    this.schedulerRole = new Role(this, 'SchedulerRole', {
      description: `Assumed by the one-time reminder schedules of ${this.node.path}: invokes the reminder function only`,
      // Only schedules in this account's reminder group may assume it (confused-deputy protection).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': this.group.scheduleGroupArn,
          },
        },
      }),
    });
    // The unqualified ARN only, not `<arn>:*` (every version and alias), which `grantInvoke` would add.
    this.schedulerRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.handler.functionArn] }),
    );
    // SendMessage only, not `grantSendMessages` (which adds GetQueueAttributes and GetQueueUrl): all a dead-letter queue needs.
    this.schedulerRole.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.failures.queueArn] }));
  }

  /** The ARN pattern of the schedules in the reminder group: the only schedules `grantScheduling` covers. */
  get scheduleArns(): string {
    return Stack.of(this).formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${this.group.scheduleGroupName}/*` });
  }

  /**
   * Creating and deleting schedules in the reminder group (no other group, no reading, listing
   * or updating), and passing the reminder role, to EventBridge Scheduler only, as their role.
   * Creating a schedule that uses a role needs iam:PassRole on it, so this is what stops a
   * grantee from giving a schedule any other role.
   */
  grantScheduling(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
      resourceArns: [this.scheduleArns],
    }).combine(
      Grant.addToPrincipal({
        grantee,
        actions: ['iam:PassRole'],
        resourceArns: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
  }
}
