/**
 * `npm start` listens before it has wired the product (DynamoDB Local, the table, the
 * watchers): a request meanwhile gets a short 503 with Retry-After, never a 500 from a
 * half-wired app; once wiring is done the same requests are answered by the product.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { notReadyRetryAfterSeconds, type LocalStack } from '../../local/local-stack.js';
import { startTestStack } from '../support/local-stack.js';
import { registrationBody, workingMonday } from '../support/fixtures.js';

let stack: LocalStack | undefined;
afterAll(async () => {
  await stack?.stop();
});

type Seen = { request: string; status: number; retryAfter: string | null; type: string | null; body: string };

async function ask(url: string): Promise<Seen[]> {
  const seen: Seen[] = [];
  const requests: Array<[string, RequestInit]> = [
    ['/health', {}],
    ['/', {}],
    ['/register', {}],
    ['/dev/mail', {}],
    ['/links/A81001.bushy/in-touch/x', {}],
    ['/head-office', {}],
    ['/api/registrations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(registrationBody()) }],
  ];
  for (const [path, init] of requests) {
    const res = await fetch(`${url}${path}`, { ...init, redirect: 'manual' });
    seen.push({ request: `${init.method ?? 'GET'} ${path}`, status: res.status, retryAfter: res.headers.get('retry-after'), type: res.headers.get('content-type'), body: await res.text() });
  }
  return seen;
}

describe('the local stack while it starts', () => {
  it('answers 503 with Retry-After on /health and every route until it is wired, then the product answers', async () => {
    let before: Seen[] = [];
    stack = await startTestStack({ port: 0, start: workingMonday, demoData: false, beforeReady: async (url) => void (before = await ask(url)) });
    expect(before.map((s) => s.request)).toContain('GET /health');
    for (const s of before) {
      expect(s.status, s.request).toBe(503);
      expect(Number(s.retryAfter), s.request).toBe(notReadyRetryAfterSeconds);
      expect(s.type, s.request).toMatch(/^text\/plain/);
      expect(s.body, s.request).toMatch(/starting/);
      expect(s.body.length, s.request).toBeLessThan(200);
      expect(s.body, s.request).not.toMatch(/Error|\bat .*\(|\.ts:\d+/);
    }

    const after = await ask(stack.url);
    const health = after.find((s) => s.request === 'GET /health')!;
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', table: 'reachable' });
    for (const s of after) {
      expect(s.status, s.request).not.toBe(503);
      expect(s.status, s.request).toBeLessThan(500);
    }
  });
});
