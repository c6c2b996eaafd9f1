/**
 * The local stack's mailbox, read as a person reads their inbox: for following the
 * confirmation link a registration sends its champion, as they would from their email.
 */
import type { LocalStack } from '../../local/local-stack.js';
import type { MailboxMessage } from '../../local/mailbox.js';

export const mailboxOf = async (stack: Pick<LocalStack, 'url'>) => (await (await fetch(`${stack.url}/dev/mail.json`)).json()) as MailboxMessage[];

const followed = new WeakMap<object, Set<string>>();

/**
 * Waits for the confirmation request to `to` (the watchers drained first; at most a minute, a
 * limit for a request that never comes rather than for a busy machine), confirms it from the link in
 * it (a POST, as the page's button sends), and returns the page's status. Each request is
 * followed once.
 */
export async function confirmFromMailbox(stack: Pick<LocalStack, 'url'> & Partial<Pick<LocalStack, 'drain'>>, to: string): Promise<number> {
  const done = followed.get(stack) ?? new Set<string>();
  followed.set(stack, done);
  await stack.drain?.();
  const deadline = Date.now() + 60_000;
  for (;;) {
    const request = (await mailboxOf(stack)).find((m) => m.to[0] === to && m.subject === 'Confirm your parkrun practice registration' && !done.has(m.text));
    if (request) {
      done.add(request.text);
      const url = /(https?:\/\/\S+\/registrations\/\S+\/confirm\/[A-Za-z0-9_-]+)/.exec(request.text)![1]!;
      return (await fetch(url, { method: 'POST' })).status;
    }
    if (Date.now() > deadline) throw new Error(`no confirmation request reached ${to}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The settings the end-to-end stories run with: weekly digests and no monthly count of
 * unasked email. Each story follows one feature over a few weeks of days fixed in its
 * steps; the two-a-month count and the 16-day digest would move those days, and have their
 * own tests (test/unit/mail-budget.test.ts, test/integration/takeovers.test.ts).
 */
export const storySettings = { NUDGE_DIGEST_INTERVAL_DAYS: '7', UNASKED_EMAILS_PER_MONTH: '31' };
