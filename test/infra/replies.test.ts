/**
 * Receiving replies by email (constructs/replies.ts), in a stack synthesised with the
 * `replyDomain` setting (bundling skipped: the wiring is what is checked; cdk-nag runs). The
 * stack without it, cdk.json's default, is stack.test.ts's: it has none of this (checked there).
 */
import { Names, Validations, type App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadReplyReceiverSettings, loadWatcherConfig } from '../../functions/config.js';
import { replyObjectPrefix, replyRuleName } from '../../infra/constructs/replies.js';
import { createApp } from '../../infra/parkrun-nudges-app.js';
import type { ParkrunNudgesStack } from '../../infra/parkrun-nudges-stack.js';
import { readActions, tableAccess, writeActions } from '../../infra/table-access.js';
import { appProps, list, logicalId, only, render, skipBundling } from './synth.js';

type Json = any;
type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: Json; Condition?: Json; Principal?: Json };

const replyDomain = 'reply.example.org';

let stack: ParkrunNudgesStack;
let template: Template;
let resources: Record<string, { Type: string; Properties: Json; DeletionPolicy?: string; DependsOn?: string[] }>;
let ids: { bucket: string; receiver: string; failures: string; ruleSet: string; rule: string; table: string; secret: string; configSet: string };
const ruleSetName = 'ParkrunPracticeNudges-replies';
const ruleArn = `arn:\${AWS::Partition}:ses:\${AWS::Region}:\${AWS::AccountId}:receipt-rule-set/${ruleSetName}:receipt-rule/${replyRuleName}`;

beforeAll(() => {
  ({ stack } = createApp(appProps({ ...skipBundling, replyDomain: 'Reply.Example.org' })));
  // Synthesises, the cdk-nag packs included: a finding fails here.
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
  const replies = stack.replies!;
  ids = {
    bucket: logicalId(replies.bucket),
    receiver: logicalId(replies.handler),
    failures: logicalId(replies.failures),
    ruleSet: logicalId(replies.ruleSet),
    rule: logicalId(replies.rule),
    table: logicalId(stack.data.table),
    secret: logicalId(stack.secrets.tokenKey),
    configSet: logicalId(stack.mail.configurationSet),
  };
});

function statementsOf(functionId: string): Statement[] {
  const roleId = resources[functionId]!.Properties.Role['Fn::GetAtt'][0];
  const inline = (resources[roleId]!.Properties.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement);
  const attached = Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((role: Json) => role.Ref === roleId))
    .flatMap((r) => r.Properties.PolicyDocument.Statement);
  expect(resources[roleId]!.Properties.ManagedPolicyArns ?? []).toEqual([]);
  return [...inline, ...attached];
}

describe('the receipt rule', () => {
  it('is the one rule of its own, named rule set: for the reply domain, TLS required, scanned, storing the message in S3 and then invoking the receiver asynchronously', () => {
    expect(only(template.findResources('AWS::SES::ReceiptRuleSet')).Properties).toEqual({ RuleSetName: ruleSetName });
    const rule = only(template.findResources('AWS::SES::ReceiptRule')) as Json;
    expect(rule.Properties.RuleSetName).toEqual({ Ref: ids.ruleSet });
    expect(rule.Properties.Rule).toEqual({
      Name: replyRuleName,
      Enabled: true,
      // The setting in lower case, as it was given in any case.
      Recipients: [replyDomain],
      ScanEnabled: true,
      TlsPolicy: 'Require',
      Actions: [
        { S3Action: { BucketName: { Ref: ids.bucket }, ObjectKeyPrefix: replyObjectPrefix } },
        { LambdaAction: { FunctionArn: { 'Fn::GetAtt': [ids.receiver, 'Arn'] }, InvocationType: 'Event' } },
      ],
    });
    // Created after what SES checks when the rule is made: its write to the bucket, and its right to invoke.
    const permission = Object.entries(template.findResources('AWS::Lambda::Permission')).find(([, p]) => p.Properties.Principal === 'ses.amazonaws.com')![0];
    const bucketPolicy = Object.entries(template.findResources('AWS::S3::BucketPolicy')).find(([, p]) => p.Properties.Bucket.Ref === ids.bucket)![0];
    expect([...rule.DependsOn].sort()).toEqual([bucketPolicy, permission].sort());
  });

  it('lets SES invoke the receiver for this rule of this account only, and nothing else invoke it', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).map((p) => p.Properties);
    const onReceiver = permissions.filter((p) => JSON.stringify(p.FunctionName).includes(ids.receiver));
    expect(onReceiver).toHaveLength(1);
    const { SourceArn, ...rest } = onReceiver[0]!;
    expect(rest).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [ids.receiver, 'Arn'] },
      Principal: 'ses.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
    expect(render(SourceArn)).toBe(ruleArn);
  });
});

describe('the bucket of received messages', () => {
  it('is encrypted, closed to the public, kept on stack deletion like the other data, and forgets every object after a day', () => {
    const bucket = resources[ids.bucket]!;
    expect(only(template.findResources('AWS::S3::Bucket'))).toBe(template.findResources('AWS::S3::Bucket')[ids.bucket]);
    expect(bucket.Properties.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    // One rule, on every object (no prefix or tag filter), expiring it after one day.
    const [rule, ...more] = bucket.Properties.LifecycleConfiguration.Rules;
    expect(more).toEqual([]);
    expect(rule).toMatchObject({ Status: 'Enabled', ExpirationInDays: 1 });
    expect(rule.Prefix ?? rule.Filter).toBeUndefined();
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(resources[ids.table]!.DeletionPolicy).toBe('Retain');
  });

  it('refuses anything but TLS, and lets SES put objects under the prefix only, for this account and this receipt rule', () => {
    const policy = only(template.findResources('AWS::S3::BucketPolicy')) as Json;
    expect(policy.Properties.Bucket).toEqual({ Ref: ids.bucket });
    const statements: Statement[] = policy.Properties.PolicyDocument.Statement;
    const [tlsOnly, sesPut, ...others] = statements;
    expect(others).toEqual([]);
    expect(tlsOnly).toMatchObject({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(list(tlsOnly!.Resource).map(render).sort()).toEqual([`\${${ids.bucket}.Arn}`, `\${${ids.bucket}.Arn}/*`]);
    expect({ ...sesPut, Resource: render(sesPut!.Resource), Condition: { StringEquals: { ...sesPut!.Condition.StringEquals, 'aws:SourceArn': render(sesPut!.Condition.StringEquals['aws:SourceArn']) } } }).toEqual({
      Sid: 'SesStoresReceivedReplies',
      Effect: 'Allow',
      Principal: { Service: 'ses.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `\${${ids.bucket}.Arn}/${replyObjectPrefix}*`,
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': ruleArn } },
    });
    // No other principal is allowed anything on it.
    expect(statements.filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Principal) !== JSON.stringify({ Service: 'ses.amazonaws.com' }))).toEqual([]);
  });
});

describe('the reply receiver', () => {
  it('is a mail sender told where the messages are, and fails at start without them', () => {
    const env: Record<string, Json> = resources[ids.receiver]!.Properties.Environment.Variables;
    expect(Object.keys(env).sort()).toEqual(
      ['MAIL_FROM', 'MAIL_REPLY_DOMAIN', 'MAIL_REPLY_TO', 'NODE_OPTIONS', 'PUBLIC_BASE_URL', 'REPLY_BUCKET', 'REPLY_OBJECT_PREFIX', 'SES_CONFIGURATION_SET', 'TABLE_NAME', 'TOKEN_SECRET_ARN'].sort(),
    );
    expect(env.REPLY_BUCKET).toEqual({ Ref: ids.bucket }); // Ref of a bucket is its name
    expect(env.REPLY_OBJECT_PREFIX).toBe(replyObjectPrefix);
    expect(env.MAIL_REPLY_DOMAIN).toBe(replyDomain);
    // As deployed, through the function's own loaders.
    const deployed: Record<string, string> = {
      ...Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string')),
      TABLE_NAME: 'ParkrunPracticeNudges-DataTable-1A2B3C',
      TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:SecretsTokenKey-AbCdEf',
      SES_CONFIGURATION_SET: 'MailConfigurationSet-4D5E6F',
      PUBLIC_BASE_URL: 'https://a1b2c3d4e5.execute-api.eu-west-2.amazonaws.com',
      REPLY_BUCKET: 'parkrunpracticenudges-repliesmessages-1a2b3c4d5e6f',
    };
    const config = loadWatcherConfig(deployed);
    expect(config.mail.replyDomain).toBe(replyDomain);
    expect(loadReplyReceiverSettings(deployed, config.mail.replyDomain)).toEqual({ bucket: deployed.REPLY_BUCKET!, objectPrefix: replyObjectPrefix, replyDomain });
    const { MAIL_REPLY_DOMAIN: _domain, ...withoutDomain } = deployed;
    expect(() => loadReplyReceiverSettings(withoutDomain, loadWatcherConfig(withoutDomain).mail.replyDomain)).toThrow(/MAIL_REPLY_DOMAIN: required/);
    const { REPLY_BUCKET: _bucket, ...withoutBucket } = deployed;
    expect(() => loadReplyReceiverSettings(withoutBucket, replyDomain)).toThrow(/REPLY_BUCKET/);
  });

  it('may read the stored messages under the prefix and nothing else in S3: GetObject alone, no s3:* and no other bucket', () => {
    const s3 = statementsOf(ids.receiver).filter((s) => list(s.Action).some((a) => a.startsWith('s3:')));
    expect(s3.map((s) => ({ ...s, Resource: list(s.Resource).map(render) }))).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: [`\${${ids.bucket}.Arn}/${replyObjectPrefix}*`] },
    ]);
    // And no function may do anything else in S3.
    const anyS3 = Object.keys(template.findResources('AWS::Lambda::Function')).flatMap((id) =>
      statementsOf(id).flatMap((s) => list(s.Action).filter((a) => a.startsWith('s3:') || a === '*').map((a) => `${id} ${a}`)),
    );
    expect(anyS3).toEqual([`${ids.receiver} s3:GetObject`]);
  });

  it("has the table access table-access.ts declares for it (a mail sender's: no DeleteItem), the token key, and sending as the identity", () => {
    const statements = statementsOf(ids.receiver);
    const table = `\${${ids.table}.Arn}`;
    const dynamo = statements
      .filter((s) => list(s.Action).some((a) => a.startsWith('dynamodb:')))
      .map((s) => ({ actions: list(s.Action).sort(), resources: list(s.Resource).map(render).sort(), condition: s.Condition }));
    const access = tableAccess.replyReceiver;
    expect(access.deletesUnder).toEqual([]);
    expect(dynamo).toEqual([
      { actions: [...readActions, ...writeActions].map((a) => `dynamodb:${a}`).sort(), resources: [table], condition: undefined },
      { actions: ['dynamodb:Query'], resources: ['byStatus', 'due', 'gsi1'].map((i) => `${table}/index/${i}`), condition: undefined },
      { actions: ['dynamodb:BatchWriteItem'], resources: [table], condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TOKEN#*'] } } },
    ]);
    const secrets = statements.filter((s) => list(s.Action).some((a) => a.startsWith('secretsmanager:')));
    expect(secrets).toEqual([{ Effect: 'Allow', Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], Resource: { Ref: ids.secret } }]);
    const ses = statements.filter((s) => list(s.Action).some((a) => a.startsWith('ses:')));
    expect(ses.map((s) => ({ action: s.Action, resources: list(s.Resource).map(render).sort() }))).toEqual([
      {
        action: 'ses:SendEmail',
        resources: [`arn:\${AWS::Partition}:ses:\${AWS::Region}:\${AWS::AccountId}:configuration-set/\${${ids.configSet}}`, 'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/example.org'],
      },
    ]);
    // Nothing on the control plane: it invokes nothing and plans no schedule.
    expect(statements.filter((s) => list(s.Action).some((a) => /^(lambda|events|scheduler|iam|sts):/.test(a)))).toEqual([]);
  });

  it('retries a failed invocation twice within 6 hours, then parks it in its own failure queue, which the failure keeper reads and an alarm watches', () => {
    const config = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')).find((c) => c.Properties.FunctionName.Ref === ids.receiver)!;
    expect(config.Properties).toEqual({
      FunctionName: { Ref: ids.receiver },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [ids.failures, 'Arn'] } } },
    });
    const sqs = statementsOf(ids.receiver).filter((s) => list(s.Action).some((a) => a.startsWith('sqs:')));
    expect(sqs).toEqual([{ Effect: 'Allow', Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], Resource: { 'Fn::GetAtt': [ids.failures, 'Arn'] } }]);
    expect(resources[ids.failures]!.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    const keeper = logicalId(stack.failureKeeper.handler);
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter((m) => m.Properties.FunctionName.Ref === keeper);
    expect(mappings.map((m) => m.Properties.EventSourceArn['Fn::GetAtt'][0])).toContain(ids.failures);

    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Json[];
    const on = (metric: string, dimensions: Json) => alarms.filter((a) => a.Properties.MetricName === metric && JSON.stringify(a.Properties.Dimensions) === JSON.stringify(dimensions));
    expect(on('Errors', [{ Name: 'FunctionName', Value: { Ref: ids.receiver } }])).toHaveLength(1);
    expect(on('Throttles', [{ Name: 'FunctionName', Value: { Ref: ids.receiver } }])).toHaveLength(1);
    expect(on('NumberOfMessagesSent', [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids.failures, 'QueueName'] } }])).toHaveLength(1);
  });
});

describe('mail senders, with a reply domain', () => {
  it('every function that sends mail is told the reply domain; none that does not is', () => {
    const functions = Object.entries(template.findResources('AWS::Lambda::Function'));
    const env = (fn: Json): Record<string, Json> => fn.Properties.Environment?.Variables ?? {};
    const senders = functions.filter(([, fn]) => 'MAIL_FROM' in env(fn));
    // The watchers that mail, mail feedback, the four jobs, the reminder, and the receiver itself.
    expect(senders.length).toBe(12);
    for (const [id, fn] of senders) expect(env(fn).MAIL_REPLY_DOMAIN, id).toBe(replyDomain);
    for (const [id, fn] of functions.filter(([, fn]) => !('MAIL_FROM' in env(fn)))) expect(env(fn).MAIL_REPLY_DOMAIN, id).toBeUndefined();
  });
});

describe('outputs', () => {
  it('name the MX record to add and the rule set to make active', () => {
    const outputs = template.toJSON().Outputs;
    expect(render(outputs.ReplyMxRecord.Value)).toBe(`${replyDomain} MX 10 inbound-smtp.\${AWS::Region}.amazonaws.com`);
    expect(outputs.ReplyReceiptRuleSetName.Value).toEqual({ Ref: ids.ruleSet }); // Ref of a rule set is its name
    expect(outputs.ReplyReceiptRuleSetName.Description).toContain('aws ses set-active-receipt-rule-set --rule-set-name');
    expect(outputs.ReplyFailuresQueueUrl.Value).toEqual({ Ref: ids.failures });
  });
});

describe('under cdk-nag', () => {
  const app = () => stack.node.root as App;

  it('leaves no finding in either pack', () => {
    for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
      const findings = pack.validateScope(app()).violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}`));
      expect(findings).toEqual([]);
    }
  });

  it('acknowledges, for the receiving parts, only what every function has, the one prefix wildcard, the access logs and the keeper mapping, each with its reason', () => {
    const acknowledged = app()
      .node.findAll()
      .flatMap((c) =>
        c.node.metadata
          .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((m) => Object.entries(m.data as Record<string, string>))
          .map(([id, reason]) => ({ at: c.node.path, id: id.replace(/^annotation::/i, ''), reason })),
      )
      .filter(({ at }) => at.includes('Replies'));
    for (const { reason } of acknowledged) expect(reason.length).toBeGreaterThan(60);
    const prefix = `AwsSolutions-IAM5[Resource::<${ids.bucket}.Arn>/${replyObjectPrefix}*]`;
    expect(acknowledged.map(({ at, id }) => `${id} @ ${at}`).sort()).toEqual(
      [
        `${prefix} @ ParkrunPracticeNudges/Replies/ReceiverRole/DefaultPolicy/Resource`,
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Replies/ReceiverRole/Resource',
        'Serverless-LambdaStarPermissions @ ParkrunPracticeNudges/Replies/ReceiverRole/Resource',
        'AwsSolutions-L1 @ ParkrunPracticeNudges/Replies/Receiver/Resource',
        'Serverless-LambdaLatestVersion @ ParkrunPracticeNudges/Replies/Receiver/Resource',
        'Serverless-LambdaDLQ @ ParkrunPracticeNudges/Replies/Receiver/Resource',
        'AwsSolutions-S1 @ ParkrunPracticeNudges/Replies/Messages/Resource',
        `Serverless-LambdaEventSourceMappingDestination @ ParkrunPracticeNudges/FailureKeeper/Keeper/SqsEventSource:${Names.nodeUniqueId(stack.replies!.failures.node)}/Resource`,
      ].sort(),
    );
    const reason = (id: string) => acknowledged.find((a) => a.id === id)!.reason;
    expect(reason(prefix)).toMatch(/Only s3:GetObject/);
    expect(reason('Serverless-LambdaDLQ')).toMatch(/on-failure destination/);
    expect(reason('AwsSolutions-S1')).toMatch(/one day/);
  });
});
