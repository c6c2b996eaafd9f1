/**
 * The key that link tokens are hashed with. In AWS it lives in Secrets Manager (never in
 * a plain environment value); locally it is TOKEN_SECRET. Read once per cold start.
 */
import type { TokenSecretSource } from '../config.js';
import { SecretsManagerReader, type SecretReader } from './secrets-manager.js';

/**
 * `secrets` defaults to a Secrets Manager reader made only when the source is an ARN: the
 * reader needs an AWS region, which the local form of the config has no reason to set.
 */
export async function resolveTokenSecret(source: TokenSecretSource, secrets?: SecretReader): Promise<string> {
  if ('secret' in source) return source.secret;
  const secret = await (secrets ?? new SecretsManagerReader()).readSecretString(source.secretArn);
  if (!secret || secret.length < 32) {
    throw new Error(`Secret ${source.secretArn} is missing or shorter than 32 characters`);
  }
  return secret;
}
