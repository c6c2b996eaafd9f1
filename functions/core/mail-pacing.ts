/**
 * Sending at a steady pace, and riding out short refusals. Both wrap the MailTransport
 * port, so every sender (watchers, sweeps) gets them from the wiring, and tests can
 * measure them against a transport that takes its time.
 */
import type { MailTransport, OutgoingEmail } from './ports.js';

export type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * At most `perSecond` sends start in any second. Each send starts at least a gap after
 * the one before actually started (measured after waiting, so a timer that fires late
 * never lets the next send in early); the gap is 2% wider than 1/perSecond so that no
 * one-second window holds more, even with a few milliseconds' jitter on the way to SES.
 * SES's quota is per account, so the pace is configuration. Several callers may wait at
 * once: that is how a job keeps to the pace when each send takes longer than its gap.
 */
export class PacedTransport implements MailTransport {
  private lastStart = Number.NEGATIVE_INFINITY;
  private readonly gapMs: number;
  constructor(
    private readonly inner: MailTransport,
    perSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: Sleep = realSleep,
  ) {
    this.gapMs = (1000 / perSecond) * 1.02;
  }

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    for (;;) {
      const now = this.now();
      const wait = this.lastStart + this.gapMs - now;
      if (wait <= 0) {
        this.lastStart = now;
        return this.inner.send(email);
      }
      await this.sleep(wait);
    }
  }
}

/** Throttling and server-side errors are worth another try; anything else is not. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return (
    ['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'LimitExceededException', 'ServiceUnavailable', 'InternalFailure'].includes(error.name) ||
    (status !== undefined && (status === 429 || status >= 500))
  );
}

/** Retries throttling and 5xx with exponential backoff and jitter; then the error goes to the caller, who records it as failed. */
export class RetryingTransport implements MailTransport {
  constructor(
    private readonly inner: MailTransport,
    private readonly attempts = 4,
    private readonly baseMs = 200,
    private readonly sleep: Sleep = realSleep,
  ) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.inner.send(email);
      } catch (error) {
        if (attempt >= this.attempts || !isRetryable(error)) throw error;
        await this.sleep(this.baseMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
      }
    }
  }
}
