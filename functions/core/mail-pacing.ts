/**
 * Sending at a steady pace, and riding out short refusals. Both wrap the MailTransport
 * port, so every sender (watchers, sweeps) gets them from the wiring, and tests can
 * measure them against a transport that takes its time.
 */
import type { MailTransport, OutgoingEmail } from './ports.js';

export type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * At most `perSecond` sends start in any second: each send waits for its slot, spaced
 * 1/perSecond apart. SES's own quota is per account, so the pace is configuration.
 */
export class PacedTransport implements MailTransport {
  private nextSlot = 0;
  constructor(
    private readonly inner: MailTransport,
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: Sleep = realSleep,
  ) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const gap = 1000 / this.perSecond;
    const slot = Math.max(this.now(), this.nextSlot);
    this.nextSlot = slot + gap;
    const wait = slot - this.now();
    if (wait > 0) await this.sleep(wait);
    return this.inner.send(email);
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
