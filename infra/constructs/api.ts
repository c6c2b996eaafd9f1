import { Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
  type Stage,
} from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { Data } from './data.js';
import { HouseFunction } from './house-function.js';
import { tableAccess } from '../table-access.js';

export interface ApiProps {
  readonly data: Data;
  readonly tokenKey: ISecret;
  /** Who may sign in to the head-office dashboard. */
  readonly headOfficeAllowlist: ISecret;
}

/** Volume is tiny (registrations, link clicks, a dashboard); these limits only stop a flood reaching the table. */
export const throttle = { rateLimit: 25, burstLimit: 50 };

/**
 * The firewall's rate rule: requests from one address in five minutes before it is refused
 * (403) for a while. Far above a person (a form, a few links, a dashboard) yet well below a
 * script; generous because a GP surgery's staff may all share one NHS (HSCN) address. The
 * app's own limits (core/policies/abuse-limits.ts) are the fine-grained ones.
 */
export const firewallRate = { requests: 500, windowSeconds: 300 };

/** The stage: in the API's own address (…/live/register) until a custom domain is mapped at its root. */
export const stageName = 'live';

/**
 * The hono app behind a REST API: every path goes to the one function (the root and a
 * `{proxy+}` resource), and routing happens inside hono, so paths are declared once. A REST
 * API rather than an HTTP API because only a REST API stage can carry a WAF web ACL; the
 * app puts the stage's name back into its links (functions/api/base-path.ts).
 */
export class Api extends Construct {
  readonly handler: HouseFunction;
  readonly restApi: RestApi;
  readonly stage: Stage;
  readonly accessLogs: LogGroup;
  readonly firewall: CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.handler = new HouseFunction(this, 'Handler', {
      entry: 'functions/api/lambda.ts',
      description: 'HTTP API: registration, magic links, dashboard (hono)',
    })
      .useTable(props.data, tableAccess.api, props.tokenKey)
      .useHeadOfficeAllowlist(props.headOfficeAllowlist)
      .acknowledgeNoAsyncInvocation('API Gateway (REST API)');

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    this.restApi = new RestApi(this, 'RestApi', {
      restApiName: Stack.of(this).stackName,
      description: 'parkrun practice nudges',
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // API Gateway writes access logs to CloudWatch through one account-wide role.
      cloudWatchRole: true,
      deployOptions: {
        stageName,
        throttlingRateLimit: throttle.rateLimit,
        throttlingBurstLimit: throttle.burstLimit,
        tracingEnabled: true,
        metricsEnabled: true,
        // No execution logs: they record each request's path, and magic-link tokens travel in the path.
        loggingLevel: MethodLoggingLevel.OFF,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        // REST API $context variables only. No path, query string or body (the resource path
        // is "/{proxy+}"): a log kept for months must not hold working links.
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTimeEpoch',
            sourceIp: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            method: '$context.httpMethod',
            resourcePath: '$context.resourcePath',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationStatus: '$context.integration.status',
            integrationError: '$context.integration.error',
            wafResponseCode: '$context.wafResponseCode',
          }),
        ),
      },
    });
    this.stage = this.restApi.deploymentStage;

    // One integration for every method and path; no test-invoke permission (nobody tests from the console).
    const integration = new LambdaIntegration(this.handler, { allowTestInvoke: false });
    const root = this.restApi.root.addMethod('ANY', integration);
    const proxy = this.restApi.root.addProxy({ defaultIntegration: integration, anyMethod: true });
    const publicReason =
      'Public web app: practices register without an account and every state-changing request is authorised inside the app by a single-purpose magic-link token. There is no caller identity for an API Gateway authorizer to check.';
    for (const method of [root, proxy.anyMethod!]) {
      Validations.of(method.node.defaultChild!).acknowledge(
        { id: 'AwsSolutions-APIG4', reason: publicReason },
        { id: 'AwsSolutions-COG4', reason: publicReason },
      );
    }
    Validations.of(this.restApi.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason: 'Every path goes to the one function, which validates each request itself (zod schemas, one per route) and answers a clear 400; API Gateway has no model of a form post or a magic-link path to check first.',
    });
    Validations.of(this.stage.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-APIG6',
      reason: 'Execution logs are off on purpose: they record request paths, and magic-link tokens travel in the path. Access logs (JSON, without the path) and the function\'s own structured logs record every request.',
    });
    const cloudWatchRole = this.restApi.node.findChild('CloudWatchRole');
    Validations.of(cloudWatchRole.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason: "API Gateway's account-wide logging role, assumable only by API Gateway; AWS's own policy for it is what API Gateway needs to write access logs.",
    });

    this.firewall = new CfnWebACL(this, 'Firewall', {
      description: 'In front of the API: refuses an address sending far more than a person would',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'nudges-api-firewall', sampledRequestsEnabled: true },
      rules: [
        {
          name: 'per-address-rate',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: firewallRate.requests, evaluationWindowSec: firewallRate.windowSeconds } },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'nudges-api-per-address-rate', sampledRequestsEnabled: true },
        },
      ],
    });
    new CfnWebACLAssociation(this, 'FirewallAssociation', { resourceArn: this.stage.stageArn, webAclArn: this.firewall.attrArn });
  }

  /** The base URL of the stage, e.g. https://abc123.execute-api.eu-west-2.amazonaws.com/live (no trailing slash). */
  get endpoint(): string {
    const stack = Stack.of(this);
    return `https://${this.restApi.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/${this.stage.stageName}`;
  }
}
