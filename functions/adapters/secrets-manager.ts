/**
 * Reads secrets from Secrets Manager with the SDK's client, configured as every AWS client
 * of the product is (aws-clients.ts): one call per secret per cold start, re-read now and
 * then by the token keyring and the head-office allow-list.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsClientConfig, type AwsClientOptions } from './aws-clients.js';

/** What the secret-backed adapters need: a secret's text, or undefined when it has none (a binary secret). */
export interface SecretReader {
  /** `versionStage` defaults to AWSCURRENT; a stage no version has is a ResourceNotFoundException. */
  readSecretString(secretId: string, versionStage?: string): Promise<string | undefined>;
}

export class SecretsManagerReader implements SecretReader {
  private readonly client: SecretsManagerClient;

  constructor(options: AwsClientOptions = {}) {
    this.client = new SecretsManagerClient(awsClientConfig(options));
  }

  async readSecretString(secretId: string, versionStage?: string): Promise<string | undefined> {
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: secretId, ...(versionStage ? { VersionStage: versionStage } : {}) }));
    return out.SecretString;
  }
}
