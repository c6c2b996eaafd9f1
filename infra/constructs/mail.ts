import { Stack } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Grant } from 'aws-cdk-lib/aws-iam';
import {
  ConfigurationSet,
  ConfigurationSetEventDestination,
  ConfigurationSetTlsPolicy,
  DkimIdentity,
  EasyDkimSigningKeyLength,
  EmailIdentity,
  EmailSendingEvent,
  Identity,
  MailFromBehaviorOnMxFailure,
  EventDestination,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface MailProps {
  /** The From header, e.g. `parkrun practice nudges <nudges@example.org>`. */
  readonly from: string;
  readonly replyTo: string;
  /** The SES identity the From address belongs to: a domain (with Easy DKIM and a custom MAIL FROM) or an address. */
  readonly identity: string;
  /** The custom MAIL FROM domain, a subdomain of a domain identity: where bounces go and SPF is checked. */
  readonly mailFromDomain?: string;
  /** Where links in emails point. */
  readonly publicBaseUrl: string;
  /** The domain replies come in on (constructs/replies.ts); absent: every email's Reply-To is `replyTo`. */
  readonly replyDomain?: string;
}

/**
 * The EventBridge detail-type SES gives each event type published to the bus: the
 * configuration set publishes these, and the mail-feedback rule matches exactly these.
 */
export const feedbackDetailTypes = ['Email Bounced', 'Email Complaint Received'] as const;

/** A DNS record to add for the sender, as the stack outputs it. */
export interface DnsRecord {
  readonly purpose: string;
  readonly name: string;
  readonly type: 'CNAME' | 'MX' | 'TXT';
  readonly value: string;
}

/**
 * Sending email through SES (API v2): the identity (for a domain, Easy DKIM signing with
 * 2048-bit keys and a custom MAIL FROM domain, so SPF and DKIM both align with the From
 * domain, as Gmail, Yahoo and Outlook require of bulk senders), the configuration set
 * every message is sent through, its publishing of bounces and complaints to EventBridge,
 * and the permission to send as that identity. What stays outside the stack: adding the
 * DNS records it outputs (`dnsRecords`), and asking AWS to leave the SES sandbox.
 */
export class Mail extends Construct {
  readonly from: string;
  readonly replyTo: string;
  readonly publicBaseUrl: string;
  /** Set: an email about one link gets Reply-To `reply+<token>@` this domain (every mail sender is told: HouseFunction.useMail). */
  readonly replyDomain: string | undefined;
  readonly configurationSet: ConfigurationSet;
  readonly identityArn: string;
  readonly configurationSetArn: string;
  /** The account's default bus, the only one SES publishes to; bounces and complaints arrive there. */
  readonly feedbackBus: IEventBus;
  readonly feedbackDestination: ConfigurationSetEventDestination;
  readonly identity: EmailIdentity;
  /** What to add to DNS: DKIM, MAIL FROM (MX and SPF) and a suggested DMARC record; empty for an address identity. */
  readonly dnsRecords: readonly DnsRecord[];

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.from = props.from;
    this.replyTo = props.replyTo;
    this.publicBaseUrl = props.publicBaseUrl;
    this.replyDomain = props.replyDomain;

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
    const isDomain = !props.identity.includes('@');
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: isDomain ? Identity.domain(props.identity) : Identity.email(props.identity),
      configurationSet: this.configurationSet,
      dkimSigning: true,
      ...(isDomain ? { dkimIdentity: DkimIdentity.easyDkim(EasyDkimSigningKeyLength.RSA_2048_BIT) } : {}),
      ...(isDomain && props.mailFromDomain
        ? { mailFromDomain: props.mailFromDomain, mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE }
        : {}),
    });
    this.dnsRecords = isDomain
      ? [
          ...([1, 2, 3] as const).map((n) => ({
            purpose: `DKIM ${n} of 3`,
            name: this.identity[`dkimDnsTokenName${n}`],
            type: 'CNAME' as const,
            value: this.identity[`dkimDnsTokenValue${n}`],
          })),
          ...(props.mailFromDomain
            ? [
                { purpose: 'MAIL FROM: bounces come back to SES', name: props.mailFromDomain, type: 'MX' as const, value: `10 feedback-smtp.${stack.region}.amazonses.com` },
                { purpose: 'MAIL FROM: SPF', name: props.mailFromDomain, type: 'TXT' as const, value: '"v=spf1 include:amazonses.com ~all"' },
              ]
            : []),
          // Suggested: p=none reports without refusing anything; move to quarantine once the reports are clean.
          { purpose: 'DMARC (suggested)', name: `_dmarc.${props.identity}`, type: 'TXT' as const, value: `"v=DMARC1; p=none; rua=mailto:${props.replyTo}"` },
        ]
      : [];
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
