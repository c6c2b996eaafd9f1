import { allowlistPlaceholder } from '../../infra/constructs/secrets.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { ConfiguredAllowlist } from '../../functions/adapters/head-office-allowlist.js';
import { SecretsManagerReader } from '../../functions/adapters/secrets-manager.js';
import { startFakeAws, withEnv, type Answer, type FakeAwsServer } from '../support/fake-aws-server.js';

const arn = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:head-office-allowlist';
const credentials = { accessKeyId: 'AKIDALLOWLIST', secretAccessKey: 'allowlist-test-key' };

let server: FakeAwsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A clock the test moves by hand, to step over the 5-minute re-read. */
function handClock(start = new Date('2026-11-22T10:00:00Z')) {
  let now = start.getTime();
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

async function allowlistFrom(answer: (index: number) => Answer) {
  server = await startFakeAws((_, index) => answer(index));
  const clock = handClock();
  const reader = new SecretsManagerReader({ endpoint: server.endpoint, region: 'eu-west-2', credentials });
  return { server, clock, allowlist: new ConfiguredAllowlist({ secretArn: arn }, clock, reader) };
}

describe('head-office allowlist', () => {
  it('reads the addresses from Secrets Manager with a signed GetSecretValue', async () => {
    const { server, allowlist } = await allowlistFrom(() => ({ status: 200, body: { SecretString: 'Head.Office@example.org\npartnerships@example.org, ops@example.org' } }));

    expect(await allowlist.includes(' head.office@EXAMPLE.org ')).toBe(true);
    expect(await allowlist.includes('ops@example.org')).toBe(true);
    expect(await allowlist.includes('someone.else@example.org')).toBe(false);

    // Read once, then served from the cache.
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.method).toBe('POST');
    expect(request!.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(request!.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(request!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDALLOWLIST\//);
    expect(JSON.parse(request!.body)).toEqual({ SecretId: arn });
  });

  it('re-reads the list once it is 5 minutes old, so changes need no deploy', async () => {
    const lists = ['first@example.org', 'second@example.org'];
    const { server, clock, allowlist } = await allowlistFrom((index) => ({ status: 200, body: { SecretString: lists[Math.min(index, 1)] } }));

    expect(await allowlist.includes('first@example.org')).toBe(true);
    clock.advance(5 * 60_000 - 1);
    expect(await allowlist.includes('first@example.org')).toBe(true);
    expect(server.requests).toHaveLength(1);

    clock.advance(1);
    expect(await allowlist.includes('first@example.org')).toBe(false);
    expect(await allowlist.includes('second@example.org')).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it('lets nobody in while the secret still holds the placeholder it is deployed with', async () => {
    const { allowlist } = await allowlistFrom(() => ({ status: 200, body: { SecretString: allowlistPlaceholder } }));
    expect(await allowlist.includes('head.office@example.org')).toBe(false);
    expect(await allowlist.includes('nobody')).toBe(false);
  });

  it('surfaces a missing secret as AWS names it, without retrying', async () => {
    const { server, allowlist } = await allowlistFrom(() => ({
      status: 400,
      body: { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." },
    }));

    const error = (await allowlist.includes('head.office@example.org').catch((e: unknown) => e)) as SecretsManagerServiceException;

    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('uses configured addresses as they are, with no Secrets Manager reader and so no AWS region', async () => {
    // The default reader would throw "No AWS region" if it were made up front.
    await withEnv({ AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined }, async () => {
      const allowlist = new ConfiguredAllowlist({ addresses: ['local@example.org'] }, handClock());
      expect(await allowlist.includes('local@example.org')).toBe(true);
      expect(await allowlist.includes('other@example.org')).toBe(false);
    });
  });
});
