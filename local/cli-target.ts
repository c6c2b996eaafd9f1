/**
 * Which table `npm run cli` works on, and with what credentials.
 *
 * In AWS (TABLE_NAME set): the operator's own credentials, found as the AWS CLI finds
 * them, by the SDK's standard chain: the profile named by --profile or AWS_PROFILE (keys,
 * IAM Identity Center (SSO) after `aws sso login`, or a role it assumes), else keys in the
 * environment, else the default profile. The region likewise: AWS_REGION, else the
 * profile's. Locally: the table `npm start` is running, found through its runtime file, on
 * its local clock.
 */
import { existsSync, readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialSource } from '../functions/adapters/aws-clients.js';
import { createDocumentClient, type DocumentClient } from '../functions/adapters/dynamo/document-client.js';
import { localAwsEnv, localClientOptions } from './dynamodb-local.js';

export interface CliTarget {
  tableName: string;
  doc: DocumentClient;
  /** The environment the product's settings are read from (functions/config.ts). */
  env: Record<string, string | undefined>;
  /** Where AWS calls are signed from; absent locally. */
  credentials?: AwsCredentialSource;
  region: string;
  /** The local stack's clock, when the target is the local stack (it may have been moved on). */
  localNow?: Date;
  /** The local stack's address (its dev endpoints), when the target is the local stack. */
  localUrl?: string;
  where: 'aws' | 'local';
}

export class NoTargetError extends Error {}

/** Resolves the target, or throws NoTargetError saying what to start or set. */
export async function cliTarget(env: Record<string, string | undefined>, runtimeFile: string): Promise<CliTarget> {
  if (env.TABLE_NAME) {
    // As the SDK's own chain orders them: a named profile first, then keys in the
    // environment, then the default profile, SSO and the rest. `env` is read rather than
    // process.env, so the keys are looked at here; the chain does the rest.
    const profile = env.AWS_PROFILE || undefined;
    const keys =
      !profile && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
        ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) }
        : undefined;
    const credentials: AwsCredentialSource = keys ?? fromNodeProviderChain(profile ? { profile } : {});
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (await profileRegion(profile));
    if (!region) throw new NoTargetError(`No AWS region: set AWS_REGION, or a region in your AWS profile${profile ? ` ${profile}` : ''} (aws configure)`);
    const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL;
    return { tableName: env.TABLE_NAME, doc: createDocumentClient({ region, credentials, ...(endpoint ? { endpoint } : {}) }), env: { ...env, AWS_REGION: region }, credentials, region, where: 'aws' };
  }
  if (!existsSync(runtimeFile)) {
    throw new NoTargetError('Nothing to talk to: start the product with `npm start`, or set TABLE_NAME (and your AWS profile) for the table in AWS.');
  }
  const runtime = JSON.parse(readFileSync(runtimeFile, 'utf8')) as { url: string; endpoint: string; tableName: string; tokenSecret: string };
  const local = {
    ...env,
    ...localAwsEnv,
    TABLE_NAME: runtime.tableName,
    TOKEN_SECRET: runtime.tokenSecret,
    PUBLIC_BASE_URL: runtime.url,
    MAIL_FROM: env.MAIL_FROM ?? 'parkrun practice nudges <nudges@parkrun-practice.example>',
    MAIL_REPLY_TO: env.MAIL_REPLY_TO ?? 'health@parkrun-practice.example',
    AWS_ENDPOINT_URL_DYNAMODB: runtime.endpoint,
    AWS_ENDPOINT_URL_SESV2: runtime.url,
  };
  // The local stack's clock may have been moved on: ask it.
  const clock = await fetch(`${runtime.url}/dev/clock`).then(
    async (res) => new Date(((await res.json()) as { now: string }).now),
    () => {
      throw new NoTargetError(`The local stack in ${runtimeFile} does not answer at ${runtime.url}: is \`npm start\` still running?`);
    },
  );
  return {
    tableName: runtime.tableName,
    doc: createDocumentClient({ ...localClientOptions, endpoint: runtime.endpoint }),
    env: local,
    credentials: localClientOptions.credentials,
    region: localAwsEnv.AWS_REGION,
    localNow: clock,
    localUrl: runtime.url,
    where: 'local',
  };
}

/** The region of the AWS profile in use, as the SDK reads ~/.aws/config. */
async function profileRegion(profile: string | undefined): Promise<string | undefined> {
  const probe = new DynamoDBClient(profile ? { profile } : {});
  try {
    return await probe.config.region();
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
}
