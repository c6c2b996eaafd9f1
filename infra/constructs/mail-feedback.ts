import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Data } from './data.js';
import { failureQueue } from './failure-queue.js';
import { HouseFunction } from './house-function.js';
import { feedbackDetailTypes } from './mail.js';
import type { Mail } from './mail.js';
import { tableAccess } from '../table-access.js';

export interface MailFeedbackProps {
  readonly data: Data;
  readonly tokenKey: ISecret;
  readonly mail: Mail;
  /** Where failures the failure keeper could not keep go (constructs/failure-queue.ts). */
  readonly deadLetters: IQueue;
}

/**
 * Bounces and complaints: SES publishes them from the configuration set to the default
 * event bus (see Mail), and a rule hands each to a function that suppresses the address,
 * marks the contact lost and tells the event director and head office.
 */
export class MailFeedback extends Construct {
  /**
   * Feedback that could not be handled: the rule target's dead-letter queue (EventBridge could
   * not hand the event to Lambda) and the function's on-failure destination (handling failed).
   */
  readonly failures: Queue;
  readonly handler: HouseFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: MailFeedbackProps) {
    super(scope, id);
    const { data, tokenKey, mail } = props;

    this.failures = failureQueue(this, props.deadLetters);

    // It writes the table and mails event directors and head office, like the watchers.
    this.handler = new HouseFunction(this, 'Handler', {
      entry: 'functions/watchers/mail-feedback.ts',
      description: 'EventBridge: SES bounces and complaints suppress the address and flag the lost contact',
      timeout: Duration.seconds(30),
    })
      .useTable(data, tableAccess.mailFeedback, tokenKey)
      .useMail(mail)
      .onAsyncFailure(this.failures, { attempts: 2, maxEventAge: Duration.hours(6) });

    this.rule = new Rule(this, 'Rule', {
      description: 'SES bounces and complaints from the nudges configuration set, to the mail-feedback function',
      eventBus: mail.feedbackBus,
      eventPattern: {
        source: ['aws.ses'],
        detailType: [...feedbackDetailTypes],
        // No `resources` filter: AWS does not document that SES events carry the
        // configuration set there, and a wrong guess would drop every bounce silently.
        // The handler keeps only events tagged with this stack's configuration set.
      },
      targets: [
        new LambdaFunction(this.handler, {
          deadLetterQueue: this.failures,
          retryAttempts: 10,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
  }
}
