import { Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
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
const throttle = { rateLimit: 25, burstLimit: 50 };

/**
 * The hono app behind an HTTP API: every route goes to the one function
 * (`$default` route), and routing happens inside hono, so paths are declared once.
 */
export class Api extends Construct {
  readonly handler: HouseFunction;
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.handler = new HouseFunction(this, 'Handler', {
      entry: 'functions/api/lambda.ts',
      description: 'HTTP API: registration, magic links, dashboard (hono)',
    })
      .useTable(props.data, tableAccess.api, props.tokenKey)
      .useHeadOfficeAllowlist(props.headOfficeAllowlist)
      .acknowledgeNoAsyncInvocation('API Gateway (HTTP API)');

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: Stack.of(this).stackName,
      description: 'parkrun practice nudges',
      // The stage is declared below, with throttling and access logs.
      createDefaultStage: false,
    });
    const route = new HttpRoute(this, 'DefaultRoute', {
      httpApi: this.httpApi,
      routeKey: HttpRouteKey.DEFAULT,
      integration: new HttpLambdaIntegration('Handler', this.handler),
    });
    Validations.of(route.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Public web app: practices register without an account and every state-changing request is authorised inside the app by a single-purpose magic-link token. There is no caller identity for an API Gateway authorizer to check.',
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        // HTTP API $context variables only. No path, query string or body: magic-link tokens
        // travel in the path, and a log kept for months must not hold working links.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTimeEpoch',
            sourceIp: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationStatus: '$context.integrationStatus',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
  }

  /** The base URL of the default stage, e.g. https://abc123.execute-api.eu-west-2.amazonaws.com (no trailing slash). */
  get endpoint(): string {
    return this.httpApi.apiEndpoint;
  }
}
