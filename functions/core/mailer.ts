/**
 * Sends one email exactly once. Every send goes through here, so the rules hold for
 * every kind of email:
 *  - an address that opted out of this kind (or of all mail) is never sent to;
 *  - a message with the same idempotency key is sent at most once, however often or
 *    concurrently the trigger fires: the ledger's conditional claim decides who sends;
 *  - every message carries a working one-click unsubscribe (RFC 8058) from the first on.
 * A failed send gives its claim back and rethrows, so the caller's retry sends it; a
 * crash between the provider accepting a message and markSent is the one window in which
 * a retry after the lease (leaseMs) could send again: providers offer no idempotency key.
 */
import type { EmailTemplate } from '../../templates/render.js';
import { oneLine, renderEmail } from '../../templates/render.js';
import { MessageInFlightError } from './errors.js';
import type { EmailKind } from './model.js';
import type { Clock, LinkTokens, MailTransport, OptOutStore, OutboxLedger } from './ports.js';

export interface MailerSettings {
  publicBaseUrl: string;
  from: string;
  replyTo: string;
}

export interface MailRequest<View extends object> {
  /** Names the intended message, not the attempt: e.g. `intro-practice#<registration>`. */
  idempotencyKey: string;
  kind: EmailKind;
  to: string;
  template: EmailTemplate<View>;
  view: View;
  /** Why this person gets this email, shown in the footer. */
  reason: string;
  practiceCode?: string;
  eventShortName?: string;
}

export type SendOutcome = 'sent' | 'already-sent' | 'opted-out';

export const sendLeaseMs = 5 * 60_000;
export const unsubscribeTokenDays = 400;

export interface MailerDeps {
  ledger: OutboxLedger;
  optOuts: OptOutStore;
  tokens: LinkTokens;
  transport: MailTransport;
  clock: Clock;
}

export class Mailer {
  constructor(
    private readonly deps: MailerDeps,
    private readonly settings: MailerSettings,
  ) {}

  async send<View extends object>(request: MailRequest<View>): Promise<SendOutcome> {
    const { ledger, optOuts, tokens, transport, clock } = this.deps;
    const to = request.to.trim().toLowerCase();
    const key = request.idempotencyKey;

    const claim = await ledger.claim(
      key,
      {
        kind: request.kind,
        template: request.template.name,
        to,
        ...(request.practiceCode ? { practiceCode: request.practiceCode } : {}),
        ...(request.eventShortName ? { eventShortName: request.eventShortName } : {}),
      },
      clock.now(),
      sendLeaseMs,
    );
    if (claim === 'already-done') return 'already-sent';
    if (claim === 'in-flight') throw new MessageInFlightError(key);

    try {
      if (await optOuts.isOptedOut(to, request.kind)) {
        await ledger.markSuppressed(key, clock.now());
        return 'opted-out';
      }
      const now = clock.now();
      const token = await tokens.issue(
        { purpose: 'unsubscribe', subject: request.kind, recipient: to, expiresAt: new Date(now.getTime() + unsubscribeTokenDays * 86_400_000) },
        now,
      );
      const unsubscribeUrl = `${this.settings.publicBaseUrl}/unsubscribe/${token}`;
      const rendered = renderEmail(request.template, request.view, { unsubscribeUrl, reason: request.reason });
      const { messageId } = await transport.send({
        to,
        from: oneLine(this.settings.from),
        replyTo: oneLine(this.settings.replyTo),
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        headers: [
          { name: 'List-Unsubscribe', value: `<${unsubscribeUrl}>` },
          { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
        ],
      });
      await ledger.markSent(key, { messageId, subject: rendered.subject }, clock.now());
      return 'sent';
    } catch (error) {
      await ledger.markFailed(key, error instanceof Error ? error.message : String(error), clock.now());
      throw error;
    }
  }
}
