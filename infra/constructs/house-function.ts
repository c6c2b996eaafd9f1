import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Grant, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { houseBundling, houseNodeOptions } from './bundling.js';
import type { Data } from './data.js';
import type { TableAccess } from '../table-access.js';
import type { Mail } from './mail.js';
import type { Reminders } from './reminders.js';

/** The repository root: entries, package-lock.json and tsconfig.json resolve from here, whatever the cwd. */
const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A resource ARN as cdk-nag names it in a finding (`Resource::<that>`): the resolved value with
 * Fn::Join concatenated, each Ref written `<Name>` and each Fn::GetAtt `<Name.Attribute>`, e.g. `arn:<AWS::Partition>:scheduler:...`.
 */
function nagResource(scope: Construct, arn: string): string {
  const flatten = (node: unknown): string => {
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
    const value = node as { 'Fn::Join'?: [string, unknown[]]; Ref?: unknown; 'Fn::GetAtt'?: [string, string] };
    if (value['Fn::Join']) return value['Fn::Join'][1].map(flatten).join(value['Fn::Join'][0]);
    if (value.Ref !== undefined) return `<${flatten(value.Ref)}>`;
    if (value['Fn::GetAtt']) return `<${value['Fn::GetAtt'].join('.')}>`;
    throw new Error(`nagResource: cannot flatten ${JSON.stringify(node)}`);
  };
  return flatten(Stack.of(scope).resolve(arn));
}

/** Lambda's own retries of an asynchronous invocation that failed. */
export interface AsyncRetry {
  /** 0 to 2 */
  readonly attempts: number;
  /** How long an invocation may wait (queued, or between retries) before it counts as failed; 1 minute to 6 hours. */
  readonly maxEventAge: Duration;
}

export interface HouseFunctionProps {
  /** Entry file relative to the repository root, e.g. `functions/api/lambda.ts`; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** @default 512 MB: arm64 CPU scales with memory, and a bundled SDK cold-starts slowly below this */
  readonly memorySize?: number;
}

/**
 * Every Lambda in the project is one of these. The defaults live here and nowhere else;
 * each `use*` helper sets a function's environment variable and grants the matching access
 * in one call, so a function is never told about a resource it may not touch, nor allowed
 * to touch one it has not been told about.
 */
export class HouseFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    // Both are created beside the function: a constructor cannot add children before super().
    // An explicit group, so retention is set rather than Lambda's never-expiring implicit one.
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.THREE_MONTHS });
    // An own role rather than AWSLambdaBasicExecutionRole, which may write to every log group
    // in the account. X-Ray is granted here, in the role's inline policy, instead of letting
    // `tracing: Tracing.ACTIVE` add it to the default policy: its `*` (X-Ray has no
    // resource-level permissions) is acknowledged on its own, and any other wildcard a
    // function's grants pick up still fails cdk-nag.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${scope.node.path}/${id}`,
      inlinePolicies: {
        tracing: new PolicyDocument({
          statements: [
            new PolicyStatement({
              actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
              resources: ['*'],
            }),
          ],
        }),
      },
    });
    const xrayReason =
      'The inline policy holds only xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.';
    Validations.of(role.node.defaultChild!).acknowledge(
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: xrayReason },
      { id: 'Serverless-LambdaStarPermissions', reason: xrayReason },
    );

    super(scope, id, {
      entry: `${projectRoot}${props.entry}`,
      handler: 'handler',
      projectRoot,
      depsLockFilePath: `${projectRoot}package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      environment: { NODE_OPTIONS: houseNodeOptions },
      // The values live in bundling.ts, which bench/lambda-cold-import.ts builds with too.
      bundling: {
        format: houseBundling.format === 'esm' ? OutputFormat.ESM : OutputFormat.CJS,
        target: houseBundling.target,
        mainFields: [...houseBundling.mainFields],
        banner: houseBundling.banner,
        minify: houseBundling.minify,
        sourceMap: houseBundling.sourceMap,
        sourcesContent: houseBundling.sourcesContent,
        esbuildArgs: Object.fromEntries(Object.entries(houseBundling.alias).map(([from, to]) => [`--alias:${from}`, to])),
        // The SDK (DynamoDB and its stream, Secrets Manager, SES, EventBridge Scheduler: see
        // adapters/aws-clients.ts) is bundled, at the versions package-lock.json pins, not
        // taken from the runtime: the deployed SDK is the one the tests ran against, and Node
        // loads one file rather than the SDK's many at each cold start (measured on the API:
        // about 190 ms external against 60 ms bundled). AWS's own cold-start advice is to bundle.
        bundleAwsSDK: true,
        externalModules: [...houseBundling.externalModules],
        tsconfig: `${projectRoot}tsconfig.json`,
      },
    });
    // Active tracing without the L2 `tracing` prop (see the role above).
    this.cfn.tracingConfig = { mode: Tracing.ACTIVE };
    logGroup.grantWrite(role);

    const runtimeReason =
      'Node.js 22 is the runtime the project is built and tested for (docs/architecture.md); moving to a newer runtime is a deliberate change, not a lint fix.';
    Validations.of(this.cfn).acknowledge(
      { id: 'AwsSolutions-L1', reason: runtimeReason },
      { id: 'Serverless-LambdaLatestVersion', reason: runtimeReason },
    );
  }

  private get cfn(): CfnFunction {
    return this.node.defaultChild as CfnFunction;
  }

  /**
   * Sets TABLE_NAME and grants the item access infra/table-access.ts declares for this
   * function, nothing more; and, where it declares the magic-link key, TOKEN_SECRET_ARN
   * and reading that one secret.
   */
  useTable(data: Data, access: TableAccess, tokenKey: ISecret): this {
    this.addEnvironment('TABLE_NAME', data.table.tableName);
    data.grantItems(this, access);
    if (access.tokenKey) {
      this.addEnvironment('TOKEN_SECRET_ARN', tokenKey.secretArn);
      tokenKey.grantRead(this);
    }
    return this;
  }

  /**
   * Sets HEAD_OFFICE_ALLOWLIST_ARN (who may sign in to the head-office dashboard) and grants
   * secretsmanager:GetSecretValue on that one secret. Not `grantRead`, which adds DescribeSecret:
   * the function only ever reads the value.
   */
  useHeadOfficeAllowlist(allowlist: ISecret): this {
    this.addEnvironment('HEAD_OFFICE_ALLOWLIST_ARN', allowlist.secretArn);
    Grant.addToPrincipal({
      grantee: this,
      actions: ['secretsmanager:GetSecretValue'],
      // A secret made in this stack has its full ARN; an imported one by partial ARN needs the random suffix matched.
      resourceArns: [allowlist.secretFullArn ?? `${allowlist.secretArn}-??????`],
    });
    allowlist.encryptionKey?.grantDecrypt(this);
    return this;
  }

  /**
   * Sets MAIL_FROM, MAIL_REPLY_TO, SES_CONFIGURATION_SET and PUBLIC_BASE_URL, and grants sending
   * as the sender identity; and MAIL_REPLY_DOMAIN where the stack receives replies, so every
   * email about a link, whoever sends it, carries a reply address (docs/replies.md).
   */
  useMail(mail: Mail): this {
    this.addEnvironment('MAIL_FROM', mail.from);
    this.addEnvironment('MAIL_REPLY_TO', mail.replyTo);
    if (mail.replyDomain) this.addEnvironment('MAIL_REPLY_DOMAIN', mail.replyDomain);
    this.addEnvironment('SES_CONFIGURATION_SET', mail.configurationSet.configurationSetName);
    this.addEnvironment('PUBLIC_BASE_URL', mail.publicBaseUrl);
    mail.grantSend(this);
    return this;
  }

  /**
   * Sets REMINDER_TARGET_ARN, REMINDER_ROLE_ARN, REMINDER_DLQ_ARN and REMINDER_GROUP (what
   * loadReminderConfig reads) and grants creating and deleting schedules in the reminder group
   * and passing the reminder role to EventBridge Scheduler: what a function needs to plan and
   * cancel one-time reminders, and no more.
   */
  useReminders(reminders: Reminders): this {
    this.addEnvironment('REMINDER_TARGET_ARN', reminders.handler.functionArn);
    this.addEnvironment('REMINDER_ROLE_ARN', reminders.schedulerRole.roleArn);
    this.addEnvironment('REMINDER_DLQ_ARN', reminders.failures.queueArn);
    this.addEnvironment('REMINDER_GROUP', reminders.group.scheduleGroupName);
    reminders.grantScheduling(this);
    const grants = this.role!.node.findChild('DefaultPolicy').node.defaultChild!;
    Validations.of(grants).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResource(this, reminders.scheduleArns)}]`,
      reason:
        'Only scheduler:CreateSchedule and scheduler:DeleteSchedule, on the schedules of the reminder group alone: reminder names are made at run time (one per takeover and reminder, one per newcomer plan), so they cannot be listed in advance.',
    });
    return this;
  }

  /**
   * Sets REPLY_BUCKET and REPLY_OBJECT_PREFIX (where SES stores each received reply, as
   * `<prefix><messageId>`) and grants s3:GetObject on the objects under that prefix alone:
   * no listing, no writing or deleting (the bucket's lifecycle rule removes them), nothing
   * else in the bucket.
   */
  useReceivedReplies(bucket: IBucket, prefix: string): this {
    this.addEnvironment('REPLY_BUCKET', bucket.bucketName);
    this.addEnvironment('REPLY_OBJECT_PREFIX', prefix);
    const objects = bucket.arnForObjects(`${prefix}*`);
    Grant.addToPrincipal({ grantee: this, actions: ['s3:GetObject'], resourceArns: [objects] });
    const grants = this.role!.node.findChild('DefaultPolicy').node.defaultChild!;
    Validations.of(grants).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResource(this, objects)}]`,
      reason:
        'Only s3:GetObject, on the received-reply objects under their prefix alone: each is named by the SES message id of a message not yet received, so they cannot be listed in advance.',
    });
    return this;
  }

  /**
   * For functions invoked asynchronously (EventBridge Scheduler, an EventBridge rule): bounded
   * retries by Lambda, then the invocation, with its error and request, lands in `failures`
   * (an on-failure destination; grants sending to that queue). The invoker's own retry policy
   * and dead-letter queue only cover failing to hand the event to Lambda, not the function failing.
   */
  onAsyncFailure(failures: IQueue, retry: AsyncRetry): this {
    this.configureAsyncInvoke({
      retryAttempts: retry.attempts,
      maxEventAge: retry.maxEventAge,
      onFailure: new SqsDestination(failures),
    });
    Validations.of(this.cfn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Failed asynchronous invocations go to the on-failure destination of this function\'s EventInvokeConfig, which records the error and the request; a DeadLetterConfig as well would only deliver each failure twice.',
    });
    return this;
  }

  /**
   * For functions only ever invoked synchronously (API Gateway, an event source mapping):
   * a function-level dead-letter queue would never receive anything.
   */
  acknowledgeNoAsyncInvocation(invokedBy: string): this {
    Validations.of(this.cfn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: `Invoked synchronously only, by ${invokedBy}; a DeadLetterConfig applies to asynchronous invocations, which this function never receives.`,
    });
    return this;
  }
}
