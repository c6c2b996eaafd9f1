import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Api } from './constructs/api.js';
import { Data } from './constructs/data.js';
import { Jobs } from './constructs/jobs.js';
import { Mail } from './constructs/mail.js';
import { MailFeedback } from './constructs/mail-feedback.js';
import { Reminders } from './constructs/reminders.js';
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

  constructor(scope: Construct, id: string, props: ParkrunNudgesStackProps) {
    super(scope, id, props);
    const { settings } = props;

    this.data = new Data(this, 'Data');
    this.secrets = new Secrets(this, 'Secrets', { headOfficeAllowlist: settings.headOfficeAllowlist });
    this.api = new Api(this, 'Api', {
      data: this.data,
      tokenKey: this.secrets.tokenKey,
      headOfficeAllowlist: this.secrets.headOfficeAllowlist,
    });
    this.mail = new Mail(this, 'Mail', {
      from: settings.mailFrom,
      replyTo: settings.mailReplyTo,
      identity: settings.sesIdentity,
      // Only the watchers (mail senders) depend on the API's endpoint; the API function does not, so no cycle.
      publicBaseUrl: settings.publicBaseUrl ?? this.api.endpoint,
    });
    const mailSenderDeps = { data: this.data, tokenKey: this.secrets.tokenKey, mail: this.mail };
    this.reminders = new Reminders(this, 'Reminders', mailSenderDeps);
    this.watchers = new Watchers(this, 'Watchers', { ...mailSenderDeps, reminders: this.reminders, headOfficeAllowlist: this.secrets.headOfficeAllowlist });
    this.mailFeedback = new MailFeedback(this, 'MailFeedback', mailSenderDeps);
    this.jobs = new Jobs(this, 'Jobs', mailSenderDeps);

    new CfnOutput(this, 'ApiUrl', { value: this.api.endpoint, description: 'HTTP API endpoint' });
    new CfnOutput(this, 'PublicBaseUrl', { value: this.mail.publicBaseUrl, description: 'Base of links in emails' });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'HeadOfficeAllowlistSecretArn', {
      value: this.secrets.headOfficeAllowlist.secretArn,
      description: 'Who may sign in to the head-office dashboard: edit this secret, one address per line',
    });
    new CfnOutput(this, 'StreamFailuresQueueUrl', {
      value: this.watchers.failures.queueUrl,
      description: 'Stream records the watchers gave up on',
    });
    new CfnOutput(this, 'JobFailuresQueueUrl', {
      value: this.jobs.failures.queueUrl,
      description: 'Scheduled job runs that failed for good',
    });
    new CfnOutput(this, 'MailFeedbackFailuresQueueUrl', {
      value: this.mailFeedback.failures.queueUrl,
      description: 'SES bounces and complaints that could not be handled',
    });
    new CfnOutput(this, 'ReminderFailuresQueueUrl', {
      value: this.reminders.failures.queueUrl,
      description: 'One-time reminders that could not be delivered or failed for good',
    });
  }
}
