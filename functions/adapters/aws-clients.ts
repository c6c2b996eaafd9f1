/**
 * The settings every AWS SDK client the product makes for DynamoDB, its stream and Secrets
 * Manager shares, so there is one answer to "who retries, and how long is a call waited for".
 *
 * Retries have one owner, the SDK's standard retry strategy (throttling, 5xx, dropped
 * connections and timed-out attempts, with jittered backoff): nothing in the product loops
 * around a call to retry it again. Each attempt has a deadline, so a request that has gone
 * quiet is dropped and retried rather than holding the Lambda until its own timeout.
 *
 * Left to the SDK's defaults, as in every other client: the endpoint (AWS_ENDPOINT_URL_DYNAMODB,
 * AWS_ENDPOINT_URL_DYNAMODB_STREAMS, AWS_ENDPOINT_URL_SECRETS_MANAGER, which the local stack
 * points at DynamoDB Local), the region (AWS_REGION), and the standard credential chain (the
 * environment in Lambda; a profile or SSO on an operator's machine).
 */
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/** Credentials as they are, or a provider that resolves (and refreshes) them, as the SDK takes them. */
export type AwsCredentialSource = NonNullable<DynamoDBClientConfig['credentials']>;

export interface AwsClientOptions {
  /** Default: the SDK's (AWS_ENDPOINT_URL_<SERVICE>, else the service's own). */
  endpoint?: string;
  /** Default: the SDK's (AWS_REGION, else the profile's). */
  region?: string;
  /** Default: the SDK's standard chain. */
  credentials?: AwsCredentialSource;
  /** Attempts per call, the first included. The SDK's default is 3. */
  maxAttempts?: number;
  /** How long one attempt may go unanswered (waiting for a connection included) before it is dropped and retried. */
  timeoutMs?: number;
}

/** In Lambda: DynamoDB answers in milliseconds, so an attempt quiet for 10 s is lost, and three attempts fit well inside any function's timeout. */
export const defaultAttempts = 3;
export const defaultTimeoutMs = 10_000;

/** The SDK client configuration for `options`: the same shape for DynamoDB, its stream and Secrets Manager. */
export function awsClientConfig(options: AwsClientOptions = {}) {
  const { endpoint, region, credentials, maxAttempts = defaultAttempts, timeoutMs = defaultTimeoutMs } = options;
  return {
    ...(endpoint ? { endpoint } : {}),
    ...(region ? { region } : {}),
    ...(credentials ? { credentials } : {}),
    maxAttempts,
    // Without throwOnRequestTimeout the SDK only warns when requestTimeout passes and keeps
    // waiting; with it, the attempt fails as a TimeoutError, which the retry strategy retries.
    requestHandler: { requestTimeout: timeoutMs, connectionTimeout: timeoutMs, throwOnRequestTimeout: true },
  };
}
