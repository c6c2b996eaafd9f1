import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import type { IReceiptRuleAction, ReceiptRule } from 'aws-cdk-lib/aws-ses';
import { Lambda, LambdaInvocationType } from 'aws-cdk-lib/aws-ses-actions';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { tableAccess } from '../table-access.js';
import type { Data } from './data.js';
import { failureQueue } from './failure-queue.js';
import { HouseFunction } from './house-function.js';
import type { Mail } from './mail.js';

/** Where SES stores each received message: `replies/<SES message id>`. */
export const replyObjectPrefix = 'replies/';
/** The receipt rule's name inside its rule set (named, so the bucket policy and the invoke permission can name the rule without a cycle). */
export const replyRuleName = 'relay-replies';

export interface RepliesProps {
  /** The domain replies come in on (the `replyDomain` setting): its MX points at SES's inbound endpoint. */
  readonly replyDomain: string;
  readonly data: Data;
  readonly tokenKey: ISecret;
  /** Sends the relayed replies; its `replyDomain` is this one. */
  readonly mail: Mail;
  /** Where failures the failure keeper could not keep go (constructs/failure-queue.ts). */
  readonly deadLetters: IQueue;
}

/**
 * Receiving replies by email (docs/replies.md): SES takes mail for the reply domain under a
 * receipt rule that requires TLS and scans for spam and viruses, stores each message in a
 * bucket (the Lambda action alone does not carry the body), then invokes the reply receiver
 * asynchronously with the receipt (recipients, time, verdicts); the receiver reads the
 * message from the bucket and relays, records or ignores it (use-cases/email-reply.ts).
 *
 * What stays outside the stack: the MX record (output ReplyMxRecord) and making the rule set
 * the account's active one (output ReplyReceiptRuleSetName): a region has one active rule set.
 */
export class Replies extends Construct {
  readonly bucket: Bucket;
  readonly ruleSet: ReceiptRuleSet;
  readonly rule: ReceiptRule;
  readonly handler: HouseFunction;
  /** Replies the receiver failed on after Lambda's retries: its on-failure destination. */
  readonly failures: Queue;
  /** `<replyDomain> MX 10 inbound-smtp.<region>.amazonaws.com` */
  readonly mxRecord: string;

  constructor(scope: Construct, id: string, props: RepliesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { data, tokenKey, mail } = props;

    this.bucket = new Bucket(this, 'Messages', {
      // SSE-S3: SES writes through S3 like any client, and the receiver reads with no key to
      // grant. (The S3 action's own KMS option is SES-side client encryption, which the
      // receiver would have to undo with the S3 encryption client: not worth it for a day.)
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      // A message is read once, within seconds (Lambda's retries last at most 6 hours): a day
      // is plenty, and a person's words are not kept (use-cases/email-reply.ts).
      lifecycleRules: [{ id: 'expire-received-mail', enabled: true, expiration: Duration.days(1), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Holds each received reply for one day, written only by SES under the one receipt rule and read only by the reply receiver (both pinned by policy); access logs would keep a record of every message longer than the messages themselves, in a second bucket needing its own retention and exemptions.',
    });

    const ruleSetName = `${stack.stackName}-replies`;
    // The rule's ARN from names, not Refs: the bucket policy and the invoke permission name
    // it, and the rule depends on both (SES checks them when the rule is created).
    const ruleArn = stack.formatArn({
      service: 'ses',
      resource: 'receipt-rule-set',
      resourceName: `${ruleSetName}:receipt-rule/${replyRuleName}`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

    this.failures = failureQueue(this, props.deadLetters);
    this.handler = new HouseFunction(this, 'Receiver', {
      entry: 'functions/watchers/reply-receiver.ts',
      description: 'SES receipt rule: reads a received reply from S3 and relays it to the other side of its link, or ignores it',
      timeout: Duration.seconds(30),
    })
      .useTable(data, tableAccess.replyReceiver, tokenKey)
      .useMail(mail)
      .useReceivedReplies(this.bucket, replyObjectPrefix)
      // SES invokes it asynchronously (InvocationType Event): Lambda retries, then the failure queue keeps it.
      .onAsyncFailure(this.failures, { attempts: 2, maxEventAge: Duration.hours(6) });
    // Added before the Lambda action binds, which then keeps it: this rule only, not any rule in the account.
    this.handler.addPermission('AllowSes', {
      action: 'lambda:InvokeFunction',
      principal: new ServicePrincipal('ses.amazonaws.com'),
      sourceAccount: stack.account,
      sourceArn: ruleArn,
    });

    this.ruleSet = new ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: ruleSetName });
    this.rule = this.ruleSet.addRule('Relay', {
      receiptRuleName: replyRuleName,
      recipients: [props.replyDomain],
      enabled: true,
      scanEnabled: true,
      tlsPolicy: TlsPolicy.REQUIRE,
      actions: [
        storeIn(this.bucket, replyObjectPrefix, { account: stack.account, ruleArn }),
        new Lambda({ function: this.handler, invocationType: LambdaInvocationType.EVENT }),
      ],
    });

    this.mxRecord = `${props.replyDomain} MX 10 inbound-smtp.${stack.region}.amazonaws.com`;
  }
}

/**
 * The S3 action, with SES's put allowed as AWS advises: under the prefix only, for this
 * account and this receipt rule (aws:SourceAccount and aws:SourceArn). aws-ses-actions' own S3
 * action adds a statement with aws:SourceAccount alone, which would let any rule in the account write.
 */
function storeIn(bucket: Bucket, prefix: string, source: { account: string; ruleArn: string }): IReceiptRuleAction {
  return {
    bind: (rule) => {
      const { statementAdded, policyDependable } = bucket.addToResourcePolicy(
        new PolicyStatement({
          sid: 'SesStoresReceivedReplies',
          principals: [new ServicePrincipal('ses.amazonaws.com')],
          actions: ['s3:PutObject'],
          resources: [bucket.arnForObjects(`${prefix}*`)],
          conditions: { StringEquals: { 'aws:SourceAccount': source.account, 'aws:SourceArn': source.ruleArn } },
        }),
      );
      if (!statementAdded || !policyDependable) throw new Error('Replies: the bucket policy for SES was not added');
      // SES writes a test object when the rule is created: the policy must exist first.
      rule.node.addDependency(policyDependable);
      return { s3Action: { bucketName: bucket.bucketName, objectKeyPrefix: prefix } };
    },
  };
}
