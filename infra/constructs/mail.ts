import { Stack } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Grant } from 'aws-cdk-lib/aws-iam';
import {
  ConfigurationSet,
  ConfigurationSetEventDestination,
  ConfigurationSetTlsPolicy,
  EmailSendingEvent,
  EventDestination,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface MailProps {
  /** The From header, e.g. `parkrun practice nudges <nudges@example.org>`. */
  readonly from: string;
  readonly replyTo: string;
  /** The verified SES identity the From address belongs to: a domain or an address. Verified outside this stack. */
  readonly identity: string;
  /** Where links in emails point. */
  readonly publicBaseUrl: string;
}

/**
 * The EventBridge detail-type SES gives each event type published to the bus: the
 * configuration set publishes these, and the mail-feedback rule matches exactly these.
 */
export const feedbackDetailTypes = ['Email Bounced', 'Email Complaint Received'] as const;

/**
 * Sending email through SES (API v2). The identity itself is verified outside the stack
 * (DNS records, leaving the sandbox); the stack owns the configuration set every message
 * is sent through, its publishing of bounces and complaints to EventBridge, and the
 * permission to send as that identity.
 */
export class Mail extends Construct {
  readonly from: string;
  readonly replyTo: string;
  readonly publicBaseUrl: string;
  readonly configurationSet: ConfigurationSet;
  readonly identityArn: string;
  readonly configurationSetArn: string;
  /** The account's default bus, the only one SES publishes to; bounces and complaints arrive there. */
  readonly feedbackBus: IEventBus;
  readonly feedbackDestination: ConfigurationSetEventDestination;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.from = props.from;
    this.replyTo = props.replyTo;
    this.publicBaseUrl = props.publicBaseUrl;

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      // Addresses that bounce or complain are not mailed again, account-wide list included.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
    });

    this.feedbackBus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    // Bounces and complaints only (feedbackDetailTypes): a handler suppresses the address and
    // tells someone the contact is lost. Sends, deliveries, opens and clicks are not wanted.
    this.feedbackDestination = this.configurationSet.addEventDestination('Feedback', {
      destination: EventDestination.eventBus(this.feedbackBus),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });

    const stack = Stack.of(this);
    this.identityArn = stack.formatArn({ service: 'ses', resource: 'identity', resourceName: props.identity });
    this.configurationSetArn = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
  }

  /** ses:SendEmail (API v2, simple or raw content) as the sender identity through this configuration set, and nothing else. */
  grantSend(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendEmail'],
      resourceArns: [this.identityArn, this.configurationSetArn],
    });
  }
}
