/**
 * The key that link tokens are hashed with. In AWS it lives in Secrets Manager (never in
 * a plain environment value); locally it is TOKEN_SECRET. Read once per cold start.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { TokenSecretSource } from '../config.js';

export async function resolveTokenSecret(source: TokenSecretSource, client?: SecretsManagerClient): Promise<string> {
  if ('secret' in source) return source.secret;
  const out = await (client ?? new SecretsManagerClient({})).send(new GetSecretValueCommand({ SecretId: source.secretArn }));
  if (!out.SecretString || out.SecretString.length < 32) {
    throw new Error(`Secret ${source.secretArn} is missing or shorter than 32 characters`);
  }
  return out.SecretString;
}
