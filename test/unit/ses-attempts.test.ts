/**
 * One owner for retries on SES: each email reaches SES at most as many times as
 * RetryingTransport tries it, counted on the wire against a local HTTP server standing in
 * for SES (a mocked client would skip the SDK's own retry step, where the extra sends hid).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutgoingEmail } from '../../functions/core/ports.js';
import { mailTransport } from '../../functions/wiring.js';
import { withEnv } from '../support/fake-aws-server.js';

const email = (): OutgoingEmail => ({
  to: 'sarah@parkrun.example',
  from: 'nudges@example.org',
  replyTo: 'health@example.org',
  subject: 'Riverside Surgery has linked with Bushy parkrun',
  text: 'Hello Sarah',
  html: '<p>Hello Sarah</p>',
  headers: [],
  tags: [],
});
const mail = { publicBaseUrl: 'https://nudges.test', from: 'nudges@example.org', replyTo: 'health@example.org', sendRatePerSecond: 1000 };

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** SES's SendEmail, refusing the first `refusals` sends with throttling; every request counted. */
async function ses(refusals: number) {
  const sends: string[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      sends.push(`${req.method} ${req.url}`);
      if (sends.length <= refusals) {
        res.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' });
        res.end(JSON.stringify({ message: 'Maximum sending rate exceeded.' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ MessageId: `ses-${sends.length}` }));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const env = {
    AWS_ENDPOINT_URL_SESV2: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`,
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'AKIDSES',
    AWS_SECRET_ACCESS_KEY: 'ses-test-key',
    AWS_SESSION_TOKEN: undefined,
  };
  return { sends, send: () => withEnv(env, () => mailTransport(mail).send(email())) };
}

describe('sending to SES', () => {
  it('retries throttling as RetryingTransport says, each attempt one request: three refusals, then the fourth goes', async () => {
    const s = await ses(3);
    expect(await s.send()).toEqual({ messageId: 'ses-4' });
    expect(s.sends).toEqual(Array(4).fill('POST /v2/email/outbound-emails'));
  });

  it('gives up after four requests in all, not four attempts of three requests each', async () => {
    const s = await ses(100);
    await expect(s.send()).rejects.toThrow('Maximum sending rate exceeded.');
    expect(s.sends).toHaveLength(4);
  });
});
