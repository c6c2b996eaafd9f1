import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import type { IScheduleTarget } from 'aws-cdk-lib/aws-scheduler';
import { ScheduleTargetBase } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { feedbackSchedule, heldMailSchedule, quietLinkSweepSchedule, takeoverPromptSchedule } from '../../functions/jobs/schedules.js';
import type { Data } from './data.js';
import { failureQueue } from './failure-queue.js';
import { HouseFunction } from './house-function.js';
import type { Mail } from './mail.js';
import { tableAccess, type TableAccess } from '../table-access.js';

export interface JobsProps {
  readonly data: Data;
  readonly tokenKey: ISecret;
  readonly mail: Mail;
  /** Where failures the failure keeper could not keep go (constructs/failure-queue.ts). */
  readonly deadLetters: IQueue;
}

/**
 * Lambda Invoke on the function's unqualified ARN, and permission for exactly that.
 * The stock `LambdaInvoke` target grants through `grantInvoke`, which adds `<arn>:*`
 * (every version and alias); a schedule that invokes `$LATEST` needs none of them.
 */
class InvokeFunction extends ScheduleTargetBase implements IScheduleTarget {
  private readonly functionArn: string;

  constructor(fn: IFunction, props: ScheduleTargetBaseProps) {
    super(props, fn.functionArn);
    this.functionArn = fn.functionArn;
  }

  protected override addTargetActionToRole(role: IRole): void {
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.functionArn] }));
  }
}

/**
 * Recurring jobs, run by EventBridge Scheduler on Europe/London wall-clock time (so 10:00
 * stays 10:00 across the clock changes), at the times functions/jobs/schedules.ts declares
 * for both this stack and the local scheduler. Every job is idempotent: a retried or
 * repeated run sends nothing twice, and work it could not finish stays due for the next run.
 */
export class Jobs extends Construct {
  /**
   * Runs of a job that failed for good: the scheduler's dead-letter queue (it could not hand
   * the run to Lambda) and the function's on-failure destination (the run itself failed).
   */
  readonly failures: Queue;
  /** Moves quiet links up the nudge ladder and sends the nudges and event-director digests that are due. */
  readonly quietLinkSweep: HouseFunction;
  readonly quietLinkSweepSchedule: Schedule;
  /** The role the sweep's schedule assumes: it may invoke the sweep function and nothing else. */
  readonly schedulerRole: Role;
  /** Asks the practices whose turn it is to plan a takeover of their parkrun event. */
  readonly takeoverPrompts: HouseFunction;
  readonly takeoverPromptsSchedule: Schedule;
  /** The role the takeover prompts' schedule assumes: it may invoke the prompts function and nothing else. */
  readonly takeoverPromptsSchedulerRole: Role;
  /** Sends the monthly attendance-feedback asks, their one reminder and the event directors' summaries, as each falls due. */
  readonly feedbackAsks: HouseFunction;
  readonly feedbackAsksSchedule: Schedule;
  /** The role the feedback job's schedule assumes: it may invoke the feedback function and nothing else. */
  readonly feedbackAsksSchedulerRole: Role;
  /** Sends the mail held for quiet hours once its reader's window has opened. */
  readonly heldMail: HouseFunction;
  readonly heldMailSchedule: Schedule;
  /** The role the held-mail job's schedule assumes: it may invoke the held-mail function and nothing else. */
  readonly heldMailSchedulerRole: Role;

  constructor(scope: Construct, id: string, props: JobsProps) {
    super(scope, id);

    this.failures = failureQueue(this, props.deadLetters);

    // At 10 emails a second (SEND_RATE_PER_SECOND), a busy morning takes minutes.
    // The construct IDs make logical IDs: the sweep's role keeps the ID it had when it was shared.
    ({ fn: this.quietLinkSweep, role: this.schedulerRole, schedule: this.quietLinkSweepSchedule } = this.recurringJob(props, {
      id: 'QuietLinkSweep',
      access: tableAccess.quietLinkSweep,
      entry: 'functions/jobs/quiet-link-sweep.ts',
      description: 'Job: steps quiet links up the nudge ladder and sends the nudges and digests that are due',
      roleId: 'SchedulerRole',
      scheduleId: 'QuietLinkSweepSchedule',
      label: 'Quiet-link sweep',
      roleFor: 'the quiet-link sweep',
      schedule: quietLinkSweepSchedule,
    }));

    // One weekly run: it may mail every practice that is due a prompt, at 10 emails a second.
    ({ fn: this.takeoverPrompts, role: this.takeoverPromptsSchedulerRole, schedule: this.takeoverPromptsSchedule } = this.recurringJob(props, {
      id: 'TakeoverPrompts',
      access: tableAccess.takeoverPrompts,
      entry: 'functions/jobs/takeover-prompts.ts',
      description: 'Job: asks the practices whose turn it is to plan a takeover of their parkrun event',
      roleId: 'TakeoverPromptsSchedulerRole',
      scheduleId: 'TakeoverPromptsSchedule',
      label: 'Takeover prompts',
      roleFor: 'the takeover prompts',
      schedule: takeoverPromptSchedule,
    }));

    // One weekly run, like the prompts: the first Tuesday of a month mails every partnership
    // its ask at 10 emails a second, and a failed item throws so the run lands in `failures`.
    ({ fn: this.feedbackAsks, role: this.feedbackAsksSchedulerRole, schedule: this.feedbackAsksSchedule } = this.recurringJob(props, {
      id: 'FeedbackAsks',
      access: tableAccess.feedbackAsks,
      entry: 'functions/jobs/feedback-asks.ts',
      description: "Job: sends the monthly attendance-feedback asks, their reminder and the event directors' summaries that are due",
      roleId: 'FeedbackAsksSchedulerRole',
      scheduleId: 'FeedbackAsksSchedule',
      label: 'Feedback asks',
      roleFor: 'the feedback asks',
      schedule: feedbackSchedule,
    }));

    // Twice a day, Monday to Saturday, as the practices' and the directors' windows open: a
    // run may send a night's (or a weekend's) held mail at 10 emails a second, and a message
    // that fails stays held and throws, so the run lands in `failures`.
    ({ fn: this.heldMail, role: this.heldMailSchedulerRole, schedule: this.heldMailSchedule } = this.recurringJob(props, {
      id: 'HeldMail',
      access: tableAccess.heldMail,
      entry: 'functions/jobs/held-mail.ts',
      description: "Job: sends the mail held for quiet hours once its reader's window has opened",
      roleId: 'HeldMailSchedulerRole',
      scheduleId: 'HeldMailSchedule',
      label: 'Held mail',
      roleFor: 'the held-mail job',
      schedule: heldMailSchedule,
    }));
  }

  /**
   * A job run by its own recurring schedule: the function (table, token key, mail), its
   * own scheduler role that may invoke only it, and Lambda's bounded retries into the
   * failures queue. A retry runs the whole job again, which is safe: every job is
   * idempotent and only finds what is still due.
   */
  private recurringJob(
    props: JobsProps,
    job: { id: string; access: TableAccess; entry: string; description: string; roleId: string; scheduleId: string; label: string; roleFor: string; schedule: Parameters<Jobs['scheduleJob']>[2] },
  ) {
    const fn = new HouseFunction(this, job.id, { entry: job.entry, description: job.description, timeout: Duration.minutes(10), memorySize: 512 })
      .useTable(props.data, job.access, props.tokenKey)
      .useMail(props.mail)
      .onAsyncFailure(this.failures, { attempts: 2, maxEventAge: Duration.hours(1) });
    const role = this.schedulerRoleFor(job.roleId, job.roleFor);
    const schedule = this.scheduleJob(job.scheduleId, job.label, job.schedule, fn, role);
    return { fn, role, schedule };
  }

  /**
   * A role for one recurring schedule. Each schedule has its own, so it can invoke its own
   * job function and nothing else (`scheduleJob` grants that, and sending to the dead-letter queue).
   */
  private schedulerRoleFor(id: string, job: string): Role {
    const stack = Stack.of(this);
    return new Role(this, id, {
      description: `Assumed by the EventBridge Scheduler schedule of ${job} (${this.node.path}): invokes that job function only`,
      // Only schedules of this account's default group may assume it (confused-deputy protection).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: 'default' }),
          },
        },
      }),
    });
  }

  /** A recurring schedule, at the wall-clock times functions/jobs/schedules.ts declares, invoking `fn` as `role`. */
  private scheduleJob(id: string, title: string, spec: { cron: string; timeZone: string }, fn: HouseFunction, role: Role): Schedule {
    return new Schedule(this, id, {
      description: `${title}: ${spec.cron} ${spec.timeZone}`,
      schedule: ScheduleExpression.expression(spec.cron, TimeZone.of(spec.timeZone)),
      timeWindow: TimeWindow.off(),
      enabled: true,
      target: new InvokeFunction(fn, {
        role,
        deadLetterQueue: this.failures,
        // A run that cannot reach Lambda within the hour is dropped to the queue: by then the next run is due.
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
      }),
    });
  }
}
