import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, SourceData } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { amzDate, signRequest, type AwsCredentials } from '../../functions/adapters/sigv4.js';

/**
 * The SDK's signer takes its SHA-256 as a class; @smithy/hash-node (the SDK's own) is not
 * installed here, so this is the same thing over node:crypto.
 */
class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key =
      typeof this.secret === 'string'
        ? Buffer.from(this.secret, 'utf8')
        : ArrayBuffer.isView(this.secret)
          ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength)
          : Buffer.from(this.secret);
    return createHmac('sha256', key);
  }
}

interface Case {
  name: string;
  service: string;
  region: string;
  hostname: string;
  port?: number;
  headers: Record<string, string>;
  body: string;
  credentials: AwsCredentials;
}

const keys = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

const cases: Case[] = [
  {
    name: 'a DynamoDB call without a session token',
    service: 'dynamodb',
    region: 'eu-west-2',
    hostname: 'dynamodb.eu-west-2.amazonaws.com',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' },
    body: JSON.stringify({ TableName: 'nudges', Key: { pk: { S: 'PRACTICE#1' }, sk: { S: 'META' } } }),
    credentials: keys,
  },
  {
    name: 'a Secrets Manager call with a session token',
    service: 'secretsmanager',
    region: 'eu-west-1',
    hostname: 'secretsmanager.eu-west-1.amazonaws.com',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
    body: JSON.stringify({ SecretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tokens' }),
    credentials: { ...keys, sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE/session+token==' },
  },
  {
    name: 'a host with a port',
    service: 'dynamodb',
    region: 'eu-west-2',
    hostname: '127.0.0.1',
    port: 4566,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.Query' },
    body: '{}',
    credentials: keys,
  },
  {
    name: 'a unicode body and headers named in mixed case',
    service: 'dynamodb',
    region: 'us-east-1',
    hostname: 'dynamodb.us-east-1.amazonaws.com',
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.PutItem' },
    body: JSON.stringify({ Item: { name: { S: 'Ōtautahi café — Zoë’s 5k 🏃‍♀️ 日本' } } }),
    credentials: { ...keys, sessionToken: 'token' },
  },
];

// Two days, so the once-a-day signing key is derived afresh and not taken from the cache.
const dates = [new Date('2026-11-22T10:15:00.000Z'), new Date('2027-01-01T00:00:59.987Z')];

async function sdkSignature(c: Case, at: Date) {
  const signer = new SignatureV4({ service: c.service, region: c.region, credentials: c.credentials, sha256: NodeSha256, applyChecksum: false });
  const host = c.port ? `${c.hostname}:${c.port}` : c.hostname;
  const signed = await signer.sign(
    { method: 'POST', protocol: 'https:', hostname: c.hostname, port: c.port, path: '/', query: {}, headers: { ...c.headers, host }, body: c.body },
    { signingDate: at },
  );
  return signed.headers;
}

describe('sigv4', () => {
  for (const c of cases) {
    for (const at of dates) {
      it(`signs ${c.name} as the SDK does, on ${at.toISOString()}`, async () => {
        const host = c.port ? `${c.hostname}:${c.port}` : c.hostname;
        const ours = signRequest({ method: 'POST', host, path: '/', headers: c.headers, body: c.body }, c.credentials, c.region, c.service, at);
        const sdk = await sdkSignature(c, at);

        expect(ours.authorization).toBe(sdk.authorization);
        expect(ours['x-amz-date']).toBe(sdk['x-amz-date']);
        expect(ours['x-amz-security-token']).toBe(sdk['x-amz-security-token']);
        expect(ours.host).toBe(host);
      });
    }
  }

  it("matches AWS's published post-vanilla example, independently of the SDK", () => {
    // From the AWS Signature Version 4 test suite: POST / to example.amazonaws.com, empty body.
    const headers = signRequest(
      { method: 'POST', host: 'example.amazonaws.com', path: '/', headers: {}, body: '' },
      keys,
      'us-east-1',
      'service',
      new Date('2015-08-30T12:36:00Z'),
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
    );
  });

  it('signs differently when anything signed changes', () => {
    const c = cases[0]!;
    const at = dates[0]!;
    const sign = (body: string, target = c.headers['x-amz-target']!) =>
      signRequest({ method: 'POST', host: c.hostname, path: '/', headers: { ...c.headers, 'x-amz-target': target }, body }, c.credentials, c.region, c.service, at)
        .authorization;
    expect(sign(c.body)).not.toBe(sign(`${c.body} `));
    expect(sign(c.body)).not.toBe(sign(c.body, 'DynamoDB_20120810.DeleteItem'));
  });

  it('formats the date as AWS wants it, without milliseconds', () => {
    expect(amzDate(new Date('2027-01-01T00:00:59.987Z'))).toBe('20270101T000059Z');
  });
});
