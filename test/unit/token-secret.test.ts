import { afterEach, describe, expect, it } from 'vitest';
import type { SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerReader } from '../../functions/adapters/secrets-manager.js';
import { resolveTokenKeys, resolveTokenSecret } from '../../functions/adapters/token-secret.js';
import { startFakeAws, withEnv, type Answer, type FakeAwsServer } from '../support/fake-aws-server.js';

const arn = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:tokens';
const region = 'eu-west-2';
const credentials = { accessKeyId: 'AKIDTOKENSECRET', secretAccessKey: 'token-secret-test-key' };

let server: FakeAwsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function secretsManager(answer: (index: number) => Answer) {
  server = await startFakeAws((_, index) => answer(index));
  return { server, reader: new SecretsManagerReader({ endpoint: server.endpoint, region, credentials }) };
}

describe('token secret', () => {
  it('reads the key from Secrets Manager in AWS with a signed GetSecretValue', async () => {
    const { server, reader } = await secretsManager(() => ({ status: 200, body: { ARN: arn, Name: 'tokens', SecretString: 'k'.repeat(48) } }));

    expect(await resolveTokenSecret({ secretArn: arn }, reader)).toBe('k'.repeat(48));

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/');
    expect(request!.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(request!.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(request!.headers.authorization).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/\\d{8}/${region}/secretsmanager/aws4_request, SignedHeaders=`),
    );
    expect(JSON.parse(request!.body)).toEqual({ SecretId: arn });
  });

  it('refuses a key too short to be safe', async () => {
    const { reader } = await secretsManager(() => ({ status: 200, body: { SecretString: 'short' } }));
    await expect(resolveTokenSecret({ secretArn: arn }, reader)).rejects.toThrow(`Secret ${arn} is missing or shorter than 32 characters`);
  });

  it('refuses a secret with no text (a binary secret)', async () => {
    const { reader } = await secretsManager(() => ({ status: 200, body: { SecretBinary: Buffer.from('k'.repeat(48)).toString('base64') } }));
    await expect(resolveTokenSecret({ secretArn: arn }, reader)).rejects.toThrow(/missing or shorter than 32/);
  });

  it('uses the local key as it is, asking nothing of Secrets Manager', async () => {
    const { server, reader } = await secretsManager(() => ({ status: 500 }));
    expect(await resolveTokenSecret({ secret: 'l'.repeat(32) }, reader)).toBe('l'.repeat(32));
    expect(server.requests).toHaveLength(0);
  });

  it('makes no Secrets Manager reader for the local key, so needs no AWS region', async () => {
    // The default reader would throw "No AWS region" if it were made up front.
    await withEnv({ AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined }, async () => {
      expect(await resolveTokenSecret({ secret: 'l'.repeat(32) })).toBe('l'.repeat(32));
    });
  });

  it('surfaces a missing secret as AWS names it, without retrying', async () => {
    const { server, reader } = await secretsManager(() => ({
      status: 400,
      body: { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." },
    }));

    const error = (await resolveTokenSecret({ secretArn: arn }, reader).catch((e: unknown) => e)) as SecretsManagerServiceException;

    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe("Secrets Manager can't find the specified secret.");
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('by default reads from the endpoint, region and credentials Lambda puts in the environment', async () => {
    server = await startFakeAws(() => ({ status: 200, body: { SecretString: 'e'.repeat(40) } }));
    const env = {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: server.endpoint,
      AWS_ENDPOINT_URL: undefined,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDFROMENV',
      AWS_SECRET_ACCESS_KEY: 'secret-from-env',
      AWS_SESSION_TOKEN: 'session-from-env',
    };

    await withEnv(env, async () => {
      expect(await resolveTokenSecret({ secretArn: arn })).toBe('e'.repeat(40));
    });

    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDFROMENV\/\d{8}\/eu-west-1\/secretsmanager\/aws4_request, /);
    expect(server.requests[0]!.headers['x-amz-security-token']).toBe('session-from-env');
  });

  it('reads the previous key too, once the secret has been rotated (its AWSPREVIOUS version)', async () => {
    const { server, reader } = await secretsManager((index) => ({ status: 200, body: { SecretString: index === 0 ? 'n'.repeat(64) : 'o'.repeat(64) } }));
    expect(await resolveTokenKeys({ secretArn: arn }, reader)).toEqual({ current: 'n'.repeat(64), previous: 'o'.repeat(64) });
    expect(server.requests.map((r) => JSON.parse(r.body))).toEqual([{ SecretId: arn }, { SecretId: arn, VersionStage: 'AWSPREVIOUS' }]);
  });

  it('has no previous key for a secret never rotated, which has no AWSPREVIOUS version', async () => {
    const { reader } = await secretsManager((index) =>
      index === 0
        ? { status: 200, body: { SecretString: 'n'.repeat(64) } }
        : { status: 400, body: { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS" } },
    );
    expect(await resolveTokenKeys({ secretArn: arn }, reader)).toEqual({ current: 'n'.repeat(64) });
  });

  it('takes the local previous key from the configuration', async () => {
    expect(await resolveTokenKeys({ secret: 'n'.repeat(32), previous: 'o'.repeat(32) })).toEqual({ current: 'n'.repeat(32), previous: 'o'.repeat(32) });
  });
});
