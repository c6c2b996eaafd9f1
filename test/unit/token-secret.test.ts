import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { resolveTokenSecret } from '../../functions/adapters/token-secret.js';

const secrets = mockClient(SecretsManagerClient);
const arn = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:tokens';

describe('token secret', () => {
  beforeEach(() => secrets.reset());

  it('reads the key from Secrets Manager in AWS', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: arn }).resolves({ SecretString: 'k'.repeat(48) });
    expect(await resolveTokenSecret({ secretArn: arn }, new SecretsManagerClient({ region: 'eu-west-2' }))).toBe('k'.repeat(48));
    expect(secrets.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: arn });
  });

  it('refuses a key too short to be safe', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'short' });
    await expect(resolveTokenSecret({ secretArn: arn }, new SecretsManagerClient({ region: 'eu-west-2' }))).rejects.toThrow(/shorter than 32/);
  });

  it('uses the local key as it is', async () => {
    expect(await resolveTokenSecret({ secret: 'l'.repeat(32) })).toBe('l'.repeat(32));
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });
});
