/**
 * A small client for AWS's JSON protocol (one signed POST per operation, named by the
 * X-Amz-Target header), which is all DynamoDB and Secrets Manager need from us.
 *
 * Why not the SDK here: its generic client stack (schema serde, endpoint rules, the
 * credential chain and its nested STS/SSO clients) was over 350 KB of the API Lambda's
 * 600 KB bundle against a 400 KB budget, and in the simulated year it was a third of all
 * CPU, more than the product's own code. SES and EventBridge Scheduler, used only by jobs
 * and watchers, stay on the SDK.
 *
 * What it keeps from the SDK's behaviour: the standard retry policy (3 attempts, jittered
 * exponential backoff, on throttling, 5xx and dropped connections), errors named by AWS's
 * error type with `$metadata.httpStatusCode` and every field AWS returned (so code that
 * checks `error.name` or reads CancellationReasons works unchanged), endpoints from the
 * same AWS_ENDPOINT_URL_* variables, and credentials from the environment, which is where
 * Lambda puts them.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { signRequest, type AwsCredentials } from './sigv4.js';

export type { AwsCredentials } from './sigv4.js';

export interface AwsJsonService {
  /** The signing name: 'dynamodb', 'secretsmanager'. */
  signingName: string;
  /** X-Amz-Target's prefix: 'DynamoDB_20120810', 'secretsmanager'. */
  targetPrefix: string;
  jsonVersion: '1.0' | '1.1';
  /** The endpoint's first label: https://{hostPrefix}.{region}.amazonaws.com */
  hostPrefix: string;
  /** The SDK's per-service endpoint variable, e.g. AWS_ENDPOINT_URL_DYNAMODB. */
  endpointVariable: string;
}

/**
 * Credentials as they are, or a provider that resolves (and refreshes) them: the SDK's own
 * chain (profiles, SSO, the environment), which the CLI hands in for an operator's laptop.
 */
export type AwsCredentialSource = AwsCredentials | (() => Promise<AwsCredentials>);

export interface AwsJsonClientOptions {
  endpoint?: string;
  region?: string;
  /** Default: the environment, which is where Lambda puts its role's credentials. */
  credentials?: AwsCredentialSource;
  /** Attempts per call, the first included. The SDK's default is 3. */
  maxAttempts?: number;
  /** A call that has had no answer for this long is dropped and retried. */
  timeoutMs?: number;
}

/** An error AWS answered with, or a call that could not reach it after every attempt. */
export class AwsServiceError extends Error {
  readonly $metadata: { httpStatusCode?: number; requestId?: string; attempts: number };
  [field: string]: unknown;

  constructor(name: string, message: string, metadata: AwsServiceError['$metadata'], fields: Record<string, unknown> = {}) {
    super(message);
    Object.assign(this, fields);
    this.name = name;
    this.$metadata = metadata;
  }
}

/** AWS's error types that mean "slow down", as the SDK's retry strategy lists them. */
const throttlingErrors = new Set([
  'ThrottlingException',
  'ThrottledException',
  'Throttling',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
  'PriorRequestNotComplete',
  'TransactionInProgressException',
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
]);
/** As the SDK: a server error that may pass (not 501 Not Implemented, say). */
const transientStatuses = new Set([500, 502, 503, 504]);
const transientNetworkCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 50 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 50 });

function credentialsFromEnvironment(): AwsCredentials {
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error('No AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (Lambda sets them for its role)');
  }
  return { accessKeyId, secretAccessKey, sessionToken: process.env.AWS_SESSION_TOKEN || undefined };
}

interface RawResponse {
  status: number;
  requestId: string | undefined;
  body: string;
}

export class AwsJsonClient {
  private readonly url: URL;
  private readonly region: string;
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly service: AwsJsonService,
    private readonly options: AwsJsonClientOptions = {},
  ) {
    const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new Error(`No AWS region for ${service.signingName}: set AWS_REGION`);
    this.region = region;
    this.url = new URL(
      options.endpoint ?? process.env[service.endpointVariable] ?? process.env.AWS_ENDPOINT_URL ?? `https://${service.hostPrefix}.${region}.amazonaws.com`,
    );
    this.maxAttempts = options.maxAttempts ?? 3;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Calls `operation` with `input` and returns AWS's answer, parsed. */
  async call<T = Record<string, unknown>>(operation: string, input: object): Promise<T> {
    const body = JSON.stringify(input);
    for (let attempt = 1; ; attempt++) {
      let error: AwsServiceError | Error;
      let retryable: boolean;
      let throttled = false;
      try {
        const response = await this.post(operation, body);
        if (response.status >= 200 && response.status < 300) return (response.body ? JSON.parse(response.body) : {}) as T;
        error = this.toError(response, attempt);
        throttled = throttlingErrors.has(error.name) || response.status === 429;
        retryable = throttled || transientStatuses.has(response.status);
      } catch (thrown) {
        error = thrown as Error;
        const code = (thrown as { code?: string }).code;
        retryable = code !== undefined && transientNetworkCodes.has(code);
      }
      if (!retryable || attempt >= this.maxAttempts) throw error;
      // Full jitter, as the SDK's standard strategy: up to 100 ms doubling, 500 ms for throttling.
      const base = throttled ? 500 : 100;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(20_000, base * 2 ** (attempt - 1))));
    }
  }

  private toError(response: RawResponse, attempts: number): AwsServiceError {
    let fields: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(response.body);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) fields = parsed as Record<string, unknown>;
    } catch {
      // Not JSON (a proxy's HTML, an empty body): the status says what there is to say.
    }
    const type = String(fields.__type ?? (response.status >= 500 ? 'InternalServerError' : 'UnknownError'));
    const name = type.slice(type.lastIndexOf('#') + 1);
    const message = String(fields.message ?? fields.Message ?? `${this.service.signingName} answered HTTP ${response.status}`);
    delete fields.__type;
    delete fields.message;
    delete fields.Message;
    return new AwsServiceError(name, message, { httpStatusCode: response.status, requestId: response.requestId, attempts }, fields);
  }

  private async post(operation: string, body: string): Promise<RawResponse> {
    const { url, service } = this;
    const source = this.options.credentials;
    const credentials = typeof source === 'function' ? await source() : (source ?? credentialsFromEnvironment());
    const headers = signRequest(
      {
        method: 'POST',
        host: url.host,
        path: url.pathname || '/',
        headers: {
          'content-type': `application/x-amz-json-${service.jsonVersion}`,
          'x-amz-target': `${service.targetPrefix}.${operation}`,
        },
        body,
      },
      credentials,
      this.region,
      service.signingName,
      new Date(),
    );
    headers['content-length'] = String(Buffer.byteLength(body));
    const https = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)(
        {
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port || undefined,
          path: url.pathname || '/',
          method: 'POST',
          headers,
          agent: https ? httpsAgent : httpAgent,
          timeout: this.timeoutMs,
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              requestId: (res.headers['x-amzn-requestid'] as string | undefined) ?? undefined,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error(`${service.signingName} ${operation}: no answer in ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(body);
    });
  }
}
