/**
 * Reads secrets from Secrets Manager with the small AWS JSON client rather than the SDK's
 * Secrets Manager client, which pulled the SDK's whole client stack into every Lambda for
 * one call made once per cold start (see aws-json.ts).
 */
import { AwsJsonClient, type AwsJsonClientOptions, type AwsJsonService } from './aws-json.js';

export const secretsManagerService: AwsJsonService = {
  signingName: 'secretsmanager',
  targetPrefix: 'secretsmanager',
  jsonVersion: '1.1',
  hostPrefix: 'secretsmanager',
  endpointVariable: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
};

/** What the secret-backed adapters need: a secret's text, or undefined when it has none (a binary secret). */
export interface SecretReader {
  /** `versionStage` defaults to AWSCURRENT; a stage no version has is a ResourceNotFoundException. */
  readSecretString(secretId: string, versionStage?: string): Promise<string | undefined>;
}

export class SecretsManagerReader implements SecretReader {
  private readonly client: AwsJsonClient;

  constructor(options: AwsJsonClientOptions = {}) {
    this.client = new AwsJsonClient(secretsManagerService, options);
  }

  async readSecretString(secretId: string, versionStage?: string): Promise<string | undefined> {
    const out = await this.client.call<{ SecretString?: string }>('GetSecretValue', { SecretId: secretId, ...(versionStage ? { VersionStage: versionStage } : {}) });
    return out.SecretString;
  }
}
