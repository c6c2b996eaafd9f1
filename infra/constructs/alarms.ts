import { Duration, Stack, Validations } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { metricsNamespace as metricNamespace, telemetryMetrics as metricNames } from '../../functions/metric-names.js';


/** Where each alarm's description points: the runbook, one section per kind of alarm. */
const runbook = 'docs/operations.md';

/**
 * Every threshold in one place: the infra test asserts each alarm against these, and
 * docs/operations.md explains them.
 */
export const alarmThresholds = {
  /** Any error or throttle in 5 minutes: every handler is idempotent and retried, so one error is already worth a look. */
  functionErrors: 1,
  functionThrottles: 1,
  /** A stream reader 10 minutes behind the table: mail that should go at once is late. */
  iteratorAgeMs: 10 * 60_000,
  /** Any 5xx from the API in 5 minutes: a person saw an error page. */
  api5xx: 1,
  /** Any message arriving in a failure queue: something failed after all its retries. */
  failuresArrived: 1,
  /** Any message left in a dead-letter queue: a failure could not even be kept for retrying. */
  deadLetters: 1,
  /**
   * SES reviews an account at a 5% bounce rate and a 0.1% complaint rate (and may pause
   * sending at 10% and 0.5%); Gmail wants spam reports under 0.3%. Alarm at half SES's
   * review levels, while there is time to act.
   */
  bounceRate: 0.025,
  complaintRate: 0.0005,
} as const;

const fiveMinutes = Duration.minutes(5);

export interface MonitoredFunction {
  /** A short name from the domain, as the runbook uses it: `registration-watcher`, `api`. */
  readonly name: string;
  readonly fn: IFunction;
  /** Reads the table's stream through an event source mapping of its own (the stream router, the head-office watcher): its iterator age is watched too. */
  readonly readsStream?: boolean;
}

export interface MonitoredQueue {
  readonly name: string;
  readonly queue: IQueue;
}

export interface AlarmsProps {
  /** Subscribed to the alarm topic (the `alarmEmails` setting); each confirms from AWS's email. */
  readonly emails: readonly string[];
  readonly functions: readonly MonitoredFunction[];
  /** Where failures land after their retries: an alarm as soon as one arrives. */
  readonly failureQueues: readonly MonitoredQueue[];
  /** Queues that must stay empty: an alarm while one holds a message. */
  readonly deadLetterQueues: readonly MonitoredQueue[];
  /** The API's 5xx count: a REST API stage's `5XXError`. */
  readonly api5xx: IMetric;
  /** The API's requests and 4xx, for the dashboard. */
  readonly apiRequests: IMetric;
  readonly api4xx: IMetric;
}

/**
 * Hearing of every failure: one SNS topic, emailed to the `alarmEmails` setting, and a
 * CloudWatch alarm on each thing that can fail, each saying in its description what to do
 * (with the runbook section), plus a dashboard of the same figures.
 */
export class Alarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    // A key of our own, not SNS's AWS-managed one: CloudWatch must be allowed to use the key
    // to publish to an encrypted topic, and an AWS-managed key's policy cannot say so.
    const key = new Key(this, 'TopicKey', { enableKeyRotation: true, description: 'Encrypts the alarm topic of parkrun practice nudges' });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new Topic(this, 'Topic', { displayName: 'parkrun practice nudges alarms', masterKey: key, enforceSSL: true });
    for (const email of props.emails) {
      this.topic.addSubscription(new EmailSubscription(email));
      Validations.of(this.topic.node.findChild(email).node.defaultChild!).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'An email subscription to the alarm topic: a notification SNS could not deliver would go to a queue nobody reads, while the alarm itself stays in ALARM on the dashboard and in the console, where it is seen anyway.',
      });
    }
    this.action = new SnsAction(this.topic);

    for (const { name, fn, readsStream } of props.functions) {
      this.alarm(`${name}-errors`, fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }), alarmThresholds.functionErrors,
        `${name} failed (Errors >= ${alarmThresholds.functionErrors} in 5 minutes). Its logs say why: CloudWatch Logs Insights on its log group, level ERROR. What it could not do after its retries is among the failures: npm run cli -- failures list. Fix the cause, then npm run cli -- failures retry. ${runbook}#a-function-failed`);
      this.alarm(`${name}-throttles`, fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }), alarmThresholds.functionThrottles,
        `${name} was throttled (Throttles >= ${alarmThresholds.functionThrottles} in 5 minutes): the account's Lambda concurrency is used up. Throttled work is retried; check the account's concurrent executions and ask AWS for a higher limit if it recurs. ${runbook}#a-function-was-throttled`);
      if (readsStream) {
        const iteratorAge = new Metric({ namespace: 'AWS/Lambda', metricName: 'IteratorAge', dimensionsMap: { FunctionName: fn.functionName }, statistic: 'Maximum', period: fiveMinutes });
        this.alarm(`${name}-behind`, iteratorAge, alarmThresholds.iteratorAgeMs,
          `${name} is more than ${alarmThresholds.iteratorAgeMs / 60_000} minutes behind the table's stream (IteratorAge), so introductions and links are late. Usually a record failing and being retried: see its errors and logs (the stream router's logs name the watcher that failed it, whose own errors and logs say why). Records older than 6 hours go to the failures. ${runbook}#a-watcher-is-behind`);
      }
    }
    for (const { name, queue } of props.failureQueues) {
      this.alarm(`${name}-failures`, queue.metricNumberOfMessagesSent({ period: fiveMinutes, statistic: 'Sum' }), alarmThresholds.failuresArrived,
        `Something failed for good in ${name} after all its retries, and was kept to re-run. See what and why: npm run cli -- failures list. Fix the cause, then npm run cli -- failures retry. ${runbook}#something-failed-for-good`);
    }
    for (const { name, queue } of props.deadLetterQueues) {
      this.alarm(`${name}-holding`, queue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' }), alarmThresholds.deadLetters,
        `${name} holds a message: a failure could not be kept for re-running (the failure keeper failed on it). Its messages are kept 14 days. ${runbook}#a-dead-letter-queue-holds-a-message`);
    }
    this.alarm('api-5xx', props.api5xx, alarmThresholds.api5xx,
      `The API answered with a server error (5XXError >= ${alarmThresholds.api5xx} in 5 minutes): someone saw an error page. The API function's logs say why. ${runbook}#the-api-answered-5xx`);
    const reputation = (metricName: string) => new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });
    this.alarm('ses-bounce-rate', reputation('Reputation.BounceRate'), alarmThresholds.bounceRate,
      `The account's SES bounce rate is ${alarmThresholds.bounceRate * 100}% or more; SES reviews an account at 5%. Bounced addresses are suppressed and their contacts flagged as lost; look for an import of stale addresses. ${runbook}#bounces-or-complaints-are-high`);
    this.alarm('ses-complaint-rate', reputation('Reputation.ComplaintRate'), alarmThresholds.complaintRate,
      `The account's SES complaint rate is ${alarmThresholds.complaintRate * 100}% or more; SES reviews an account at 0.1%. People are marking our email as spam: see which kinds (the mail-feedback function's logs) and send less of them. ${runbook}#bounces-or-complaints-are-high`);

    this.dashboard = this.buildDashboard(props);
  }

  private alarm(name: string, metric: IMetric, threshold: number, description: string): Alarm {
    const alarm = new Alarm(this, name, {
      alarmName: `${Stack.of(this).stackName}-${name}`,
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data is no failures: a quiet function or an empty queue publishes nothing.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    // Told when it is over too, so nobody goes looking for something already fixed.
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }

  private buildDashboard(props: AlarmsProps): Dashboard {
    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `${Stack.of(this).stackName}-operations` });
    const byFunction = (label: string, metric: (fn: IFunction) => IMetric, only: (f: MonitoredFunction) => boolean = () => true) =>
      new GraphWidget({ title: label, width: 12, left: props.functions.filter(only).map((f) => (metric(f.fn) as Metric).with({ label: f.name })) });
    const ours = (metricName: string, dimension: string, label: string) =>
      new GraphWidget({
        title: label,
        width: 12,
        left: [
          new MathExpression({
            expression: `SEARCH('{${metricNamespace},service,${dimension}} MetricName="${metricName}"', 'Sum', 3600)`,
            label: '',
            period: Duration.hours(1),
          }),
        ],
      });
    dashboard.addWidgets(
      new TextWidget({ markdown: `# parkrun practice nudges\nAlarms email the alarm topic's subscribers; what to do for each: \`${runbook}\`. Failures: \`npm run cli -- failures list\`.`, width: 24, height: 2 }),
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 6 }),
    );
    dashboard.addWidgets(
      byFunction('Errors by function (5 min)', (fn) => fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' })),
      byFunction('Throttles by function (5 min)', (fn) => fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' })),
    );
    dashboard.addWidgets(
      byFunction(
        'Stream readers behind (IteratorAge, ms)',
        (fn) => new Metric({ namespace: 'AWS/Lambda', metricName: 'IteratorAge', dimensionsMap: { FunctionName: fn.functionName }, statistic: 'Maximum', period: fiveMinutes }),
        (f) => f.readsStream === true,
      ),
      new GraphWidget({ title: 'API requests, 4xx and 5xx (5 min)', width: 12, left: [props.apiRequests, props.api4xx, props.api5xx] }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Failures arriving, and dead letters held',
        width: 12,
        left: [
          ...props.failureQueues.map(({ name, queue }) => queue.metricNumberOfMessagesSent({ period: fiveMinutes, statistic: 'Sum', label: name })),
          ...props.deadLetterQueues.map(({ name, queue }) => queue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum', label: name })),
        ],
      }),
      new GraphWidget({
        title: 'SES bounce and complaint rates (alarm at half the review levels)',
        width: 12,
        left: [new Metric({ namespace: 'AWS/SES', metricName: 'Reputation.BounceRate', statistic: 'Maximum', period: Duration.hours(1) })],
        right: [new Metric({ namespace: 'AWS/SES', metricName: 'Reputation.ComplaintRate', statistic: 'Maximum', period: Duration.hours(1) })],
        leftAnnotations: [{ value: alarmThresholds.bounceRate, label: 'bounce alarm' }],
        rightAnnotations: [{ value: alarmThresholds.complaintRate, label: 'complaint alarm' }],
      }),
    );
    dashboard.addWidgets(
      ours(metricNames.emailsSent.name, metricNames.emailsSent.dimension, 'Emails sent by template (hourly)'),
      ours(metricNames.answers.name, metricNames.answers.dimension, 'Answers by kind (hourly)'),
    );
    dashboard.addWidgets(ours(metricNames.nudges.name, metricNames.nudges.dimension, 'Nudges by rung (hourly)'));
    return dashboard;
  }
}
