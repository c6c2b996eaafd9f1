/**
 * The app as API Gateway's REST API hands it requests (payload 1.0, through hono's Lambda
 * adapter, as functions/api/lambda.ts does), on DynamoDB Local. On the API's own address
 * every path carries the stage name, which API Gateway strips: pages, redirects and
 * cookies must put it back, or a click leaves the API. The source address for the limits
 * is API Gateway's identity.sourceIp, never X-Forwarded-For.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { describe, expect, it } from 'vitest';
import { registrationBody } from '../support/fixtures.js';
import { magicLinkWorld } from '../support/magic-links.js';

const host = 'abc123.execute-api.eu-west-2.amazonaws.com';

function restEvent(method: string, path: string, options: { stage?: string; body?: string; headers?: Record<string, string>; sourceIp?: string } = {}): APIGatewayProxyEvent {
  const stage = options.stage ?? 'live';
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: method,
    headers: { host, ...options.headers },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    body: options.body ?? null,
    isBase64Encoded: false,
    requestContext: {
      path: stage ? `/${stage}${path}` : path,
      stage: stage || '$default',
      httpMethod: method,
      domainName: host,
      identity: { sourceIp: options.sourceIp ?? '203.0.113.9' },
      resourcePath: '/{proxy+}',
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

async function restApi() {
  const w = await magicLinkWorld();
  const lambda = handle(w.app) as unknown as (event: APIGatewayProxyEvent, context: unknown) => Promise<APIGatewayProxyResult>;
  const send = (event: APIGatewayProxyEvent) => lambda(event, {});
  return { w, send };
}

const sameOrigin = { origin: `https://${host}`, 'sec-fetch-site': 'same-origin' };

describe('the app behind a REST API stage', () => {
  it("writes every link, form and stylesheet of a page under the stage's name", async () => {
    const { send } = await restApi();
    const page = await send(restEvent('GET', '/register'));
    expect(page.statusCode).toBe(200);
    const own = [...page.body.matchAll(/\s(?:href|action|src)="(\/[^"]*)"/g)].map((m) => m[1]!);
    expect(own.length).toBeGreaterThan(0);
    expect(own.filter((path) => !path.startsWith('/live/'))).toEqual([]);
    expect(page.body).toContain('href="/live/assets/site.css"');
  });

  it('redirects and sets its cookie under the stage: signing in to head office lands on the dashboard', async () => {
    const { w, send } = await restApi();
    const token = await w.store.tokens.issue(
      { purpose: 'head-office-sign-in', subject: 'analyst@parkrun.example', recipient: 'analyst@parkrun.example', role: 'head-office', expiresAt: new Date(w.clock.now().getTime() + 15 * 60_000) },
      w.clock.now(),
    );
    const res = await send(restEvent('POST', `/head-office/sign-in/${token}`, { headers: { ...sameOrigin, 'content-type': 'application/x-www-form-urlencoded' }, body: '' }));
    expect(res.statusCode).toBe(303);
    const headers = { ...res.headers, ...res.multiValueHeaders };
    expect(headers.location).toEqual(['/live/head-office']);
    expect(String(headers['set-cookie'])).toMatch(/Path=\/live\/head-office/);
  });

  it('changes nothing without a stage in the path (a custom domain mapped at its root)', async () => {
    const { send } = await restApi();
    const page = await send(restEvent('GET', '/register', { stage: '' }));
    expect(page.body).toContain('href="/assets/site.css"');
    expect(page.body).not.toContain('/live/');
  });

  it("limits registrations per API Gateway's source address, whatever X-Forwarded-For says", async () => {
    const { send } = await restApi();
    const register = (i: number, forwardedFor: string) =>
      send(
        restEvent('POST', '/api/registrations', {
          headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
          body: JSON.stringify(registrationBody({ practiceCode: `C${10000 + i}`, champion: { name: 'Dr Jane Smith', role: 'GP', email: `champion${i}@nhs.example` } })),
          sourceIp: '198.51.100.7',
        }),
      );
    for (let i = 0; i < 10; i++) expect((await register(i, `10.0.0.${i}`)).statusCode).toBe(201);
    const refused = await register(10, '10.0.0.99');
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toMatch(/from your connection/);
  });
});
