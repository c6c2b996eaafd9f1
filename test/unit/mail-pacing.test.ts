import { describe, expect, it } from 'vitest';
import { isRetryable, PacedTransport, RetryingTransport } from '../../functions/core/mail-pacing.js';
import type { MailTransport, OutgoingEmail } from '../../functions/core/ports.js';

const email = (to: string): OutgoingEmail => ({ to, from: 'f@x', replyTo: 'r@x', subject: 's', text: 't', html: 'h', headers: [], tags: [] });

/** A clock that only moves when someone sleeps, so pacing is measured exactly. */
function virtualTime() {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms) };
}

describe('paced sending', () => {
  it('starts sends 2% more than 1/rate apart, so no second holds more than the rate', async () => {
    const time = virtualTime();
    const starts: number[] = [];
    const inner: MailTransport = { send: async () => (starts.push(time.now()), { messageId: 'm' }) };
    const paced = new PacedTransport(inner, 10, time.now, time.sleep);
    for (let i = 0; i < 25; i++) await paced.send(email(`p${i}@x`));
    expect(starts).toHaveLength(25);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeCloseTo(102, 6);
    const perWindow = starts.map((start) => starts.filter((s) => s >= start && s <= start + 1000).length);
    expect(Math.max(...perWindow)).toBe(10);
  });

  it('keeps the gap from when a send really started, when a timer fires late, and among several callers', async () => {
    let now = 0;
    const starts: number[] = [];
    // Every sleep overshoots by 37 ms, as a busy machine's timers do.
    const paced = new PacedTransport({ send: async () => (starts.push(now), { messageId: 'm' }) }, 10, () => now, async (ms) => void (now += ms + 37));
    await Promise.all(Array.from({ length: 4 }, async (_, caller) => {
      for (let i = 0; i < 5; i++) await paced.send(email(`c${caller}-${i}@x`));
    }));
    expect(starts).toHaveLength(20);
    const sorted = [...starts].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(102 - 1e-9);
  });
});

describe('retrying sends', () => {
  it.each([
    [Object.assign(new Error('rate'), { name: 'TooManyRequestsException' }), true],
    [Object.assign(new Error('5xx'), { name: 'Whatever', $metadata: { httpStatusCode: 503 } }), true],
    [Object.assign(new Error('bad'), { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } }), false],
    ['not an error', false],
  ])('judges %s retryable: %s', (error, retryable) => {
    expect(isRetryable(error)).toBe(retryable);
  });

  it('retries throttling with growing waits, then gives up and passes the error on', async () => {
    const waits: number[] = [];
    let calls = 0;
    const inner: MailTransport = {
      send: async () => {
        calls++;
        throw Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException' });
      },
    };
    const retrying = new RetryingTransport(inner, 4, 200, async (ms) => void waits.push(ms));
    await expect(retrying.send(email('a@x'))).rejects.toThrow('Maximum sending rate exceeded.');
    expect(calls).toBe(4);
    expect(waits).toHaveLength(3);
    waits.forEach((w, i) => {
      expect(w).toBeGreaterThanOrEqual(100 * 2 ** i);
      expect(w).toBeLessThanOrEqual(200 * 2 ** i);
    });
  });

  it('does not retry a message SES rejected', async () => {
    let calls = 0;
    const inner: MailTransport = { send: async () => (calls++, Promise.reject(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }))) };
    await expect(new RetryingTransport(inner, 4, 1, async () => undefined).send(email('a@x'))).rejects.toThrow('not verified');
    expect(calls).toBe(1);
  });
});
