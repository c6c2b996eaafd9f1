import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import { Alarms } from './constructs/alarms.js';
import { Api } from './constructs/api.js';
import { Data } from './constructs/data.js';
import { FailureKeeper } from './constructs/failure-keeper.js';
import { failureDeadLetters } from './constructs/failure-queue.js';
import { Jobs } from './constructs/jobs.js';
import { Mail } from './constructs/mail.js';
import { MailFeedback } from './constructs/mail-feedback.js';
import { Reminders } from './constructs/reminders.js';
import { Replies } from './constructs/replies.js';
import { Secrets } from './constructs/secrets.js';
import { Watchers } from './constructs/watchers.js';
import type { Settings } from './settings.js';

export interface ParkrunNudgesStackProps extends StackProps {
  readonly settings: Settings;
}

/** Environment-agnostic: no lookups, so `cdk synth` works offline and the same template deploys anywhere. */
export class ParkrunNudgesStack extends Stack {
  readonly data: Data;
  readonly secrets: Secrets;
  readonly api: Api;
  readonly mail: Mail;
  readonly watchers: Watchers;
  readonly mailFeedback: MailFeedback;
  readonly jobs: Jobs;
  readonly reminders: Reminders;
  readonly alarms: Alarms;
  readonly failureKeeper: FailureKeeper;
  /** Receiving replies by email: only with the `replyDomain` setting. */
  readonly replies: Replies | undefined;
  /** Failures the keeper could not keep: the failure queues' dead-letter queue. */
  readonly failureDeadLetters: Queue;

  constructor(scope: Construct, id: string, props: ParkrunNudgesStackProps) {
    super(scope, id, props);
    const { settings } = props;

    this.data = new Data(this, 'Data');
    this.secrets = new Secrets(this, 'Secrets');
    this.api = new Api(this, 'Api', {
      data: this.data,
      tokenKey: this.secrets.tokenKey,
      headOfficeAllowlist: this.secrets.headOfficeAllowlist,
    });
    this.mail = new Mail(this, 'Mail', {
      from: settings.mailFrom,
      replyTo: settings.mailReplyTo,
      identity: settings.sesIdentity,
      ...(settings.mailFromDomain ? { mailFromDomain: settings.mailFromDomain } : {}),
      // Only the watchers (mail senders) depend on the API's endpoint; the API function does not, so no cycle.
      publicBaseUrl: settings.publicBaseUrl ?? this.api.endpoint,
      ...(settings.replyDomain ? { replyDomain: settings.replyDomain } : {}),
    });
    this.failureDeadLetters = failureDeadLetters(this, 'FailureDeadLetters');
    const mailSenderDeps = { data: this.data, tokenKey: this.secrets.tokenKey, mail: this.mail, deadLetters: this.failureDeadLetters };
    this.reminders = new Reminders(this, 'Reminders', mailSenderDeps);
    this.watchers = new Watchers(this, 'Watchers', { ...mailSenderDeps, reminders: this.reminders, headOfficeAllowlist: this.secrets.headOfficeAllowlist });
    this.mailFeedback = new MailFeedback(this, 'MailFeedback', mailSenderDeps);
    this.jobs = new Jobs(this, 'Jobs', mailSenderDeps);
    this.replies = settings.replyDomain ? new Replies(this, 'Replies', { ...mailSenderDeps, replyDomain: settings.replyDomain }) : undefined;
    const failureQueues = [
      { name: 'stream-watchers', queue: this.watchers.failures },
      { name: 'jobs', queue: this.jobs.failures },
      { name: 'reminders', queue: this.reminders.failures },
      { name: 'mail-feedback', queue: this.mailFeedback.failures },
      ...(this.replies ? [{ name: 'replies', queue: this.replies.failures }] : []),
    ];
    this.failureKeeper = new FailureKeeper(this, 'FailureKeeper', {
      data: this.data,
      tokenKey: this.secrets.tokenKey,
      failureQueues: failureQueues.map(({ queue }) => queue),
      streamConsumers: this.watchers.consumers,
    });

    const fiveMinutes = { period: Duration.minutes(5), statistic: 'Sum' };
    this.alarms = new Alarms(this, 'Alarms', {
      emails: settings.alarmEmails,
      functions: [
        { name: 'api', fn: this.api.handler },
        // Every watcher's errors; the iterator age of the stream's readers only (the router and the head-office watcher).
        ...this.watchers.consumers.map(({ fn, consumer }) => ({ name: consumer, fn, readsStream: this.watchers.readers.some((reader) => reader.fn === fn) })),
        { name: 'quiet-link-sweep', fn: this.jobs.quietLinkSweep },
        { name: 'takeover-prompts', fn: this.jobs.takeoverPrompts },
        { name: 'feedback-asks', fn: this.jobs.feedbackAsks },
        { name: 'held-mail', fn: this.jobs.heldMail },
        { name: 'reminder', fn: this.reminders.handler },
        { name: 'mail-feedback', fn: this.mailFeedback.handler },
        { name: 'failure-keeper', fn: this.failureKeeper.handler },
        ...(this.replies ? [{ name: 'reply-receiver', fn: this.replies.handler }] : []),
      ],
      failureQueues,
      deadLetterQueues: [{ name: 'failure-dead-letters', queue: this.failureDeadLetters }],
      api5xx: this.api.stage.metricServerError(fiveMinutes),
      api4xx: this.api.stage.metricClientError(fiveMinutes),
      apiRequests: this.api.stage.metricCount(fiveMinutes),
    });

    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn, description: 'Every alarm notifies this topic; its subscribers must confirm from the email AWS sends' });
    this.mail.dnsRecords.forEach((record, i) => {
      new CfnOutput(this, `SenderDnsRecord${i + 1}`, { value: `${record.name} ${record.type} ${record.value}`, description: `Add to DNS for the sender: ${record.purpose}` });
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.endpoint, description: 'HTTP API endpoint' });
    new CfnOutput(this, 'PublicBaseUrl', { value: this.mail.publicBaseUrl, description: 'Base of links in emails' });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'HeadOfficeAllowlistSecretArn', {
      value: this.secrets.headOfficeAllowlist.secretArn,
      description: 'Who may sign in to the head-office dashboard: set this secret, one address per line (docs/operations.md); a deploy keeps it',
    });
    new CfnOutput(this, 'StreamFailuresQueueUrl', {
      value: this.watchers.failures.queueUrl,
      description: 'Stream records the stream router or the head-office watcher gave up on',
    });
    new CfnOutput(this, 'JobFailuresQueueUrl', {
      value: this.jobs.failures.queueUrl,
      description: 'Scheduled job runs that failed for good',
    });
    new CfnOutput(this, 'MailFeedbackFailuresQueueUrl', {
      value: this.mailFeedback.failures.queueUrl,
      description: 'SES bounces and complaints that could not be handled',
    });
    new CfnOutput(this, 'FailureDeadLettersQueueUrl', {
      value: this.failureDeadLetters.queueUrl,
      description: 'Failures the failure keeper could not keep: redrive from the console once the cause is fixed',
    });
    new CfnOutput(this, 'ReminderFailuresQueueUrl', {
      value: this.reminders.failures.queueUrl,
      description: 'One-time reminders that could not be delivered or failed for good',
    });
    if (this.replies) {
      new CfnOutput(this, 'ReplyMxRecord', {
        value: this.replies.mxRecord,
        description: 'Add to DNS for the reply domain: SES receives the replies (docs/replies.md)',
      });
      new CfnOutput(this, 'ReplyReceiptRuleSetName', {
        value: this.replies.ruleSet.receiptRuleSetName,
        description: 'Make it the active rule set, once: aws ses set-active-receipt-rule-set --rule-set-name <this> (one active per account and region; docs/replies.md)',
      });
      new CfnOutput(this, 'ReplyFailuresQueueUrl', {
        value: this.replies.failures.queueUrl,
        description: 'Received replies the reply receiver failed on after its retries',
      });
    }
  }
}
