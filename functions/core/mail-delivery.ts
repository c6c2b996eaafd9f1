/**
 * Delivery: renders and sends one email made of parts whose ledger claims are held, then
 * records each part sent; and the headers every email carries, whatever its template.
 */
import type { EmailTemplate } from '../../templates/render.js';
import { oneLine, renderEmail, renderRoundUp } from '../../templates/render.js';
import { RecipientRejectedError } from './errors.js';
import { answerPurposes, daysFrom, linkExpiresAt, paths, replyAddressDays, unsubscribeLinkDays, type AnswerLinkSpec } from './magic-links.js';
import { replyAddress } from './policies/reply-address.js';
import type { ContactRole } from './model.js';
import type { MailKind } from './model.js';
import { isUnasked } from './policies/mail-budget.js';
import type { Clock, LinkTokens, MailTransport, OutboxLedger } from './ports.js';
import { domainToASCII } from 'node:url';

/** Tries at recording an accepted message, with backoff between them: well inside the lease. */
const markSentAttempts = 4;
const markSentBackoffMs = 100;

/**
 * Headers on every email, whatever its template:
 *  - Auto-Submitted (RFC 3834): no person wrote it, so auto-responders must not answer it;
 *  - X-Auto-Response-Suppress: the same for Exchange (NHSmail is Exchange), which ignores
 *    Auto-Submitted: without it every out-of-office reply lands in the reply-to inbox;
 *  - List-Id (RFC 2919): one list per kind of email (the kinds the preferences page stops
 *    separately, and `requested` for links people ask for), so a reader's mail rule matches
 *    what they can also turn off. The id is `<kind>.nudges.<sender's domain>`: it stays the
 *    same for as long as the sender does, is under a domain we control, and the `nudges.`
 *    label keeps it apart from any other list sent from that domain. The phrase is for people.
 */
export function automatedMailHeaders(kind: MailKind, listDomain: string, { mailing = true }: { mailing?: boolean } = {}): Array<{ name: string; value: string }> {
  return [
    { name: 'Auto-Submitted', value: 'auto-generated' },
    { name: 'X-Auto-Response-Suppress', value: 'OOF, AutoReply' },
    // An email that is not a mailing is on no list: a mail rule on a list is for mail one can also turn off.
    ...(mailing ? [{ name: 'List-Id', value: `parkrun practice nudges - ${kind} <${kind}.nudges.${listDomain}>` }] : []),
  ];
}

/** The domain of the From address ("Name <a@example.org>" or "a@example.org"), lower case and in ASCII (punycode), as a List-Id needs it. */
export function senderDomain(from: string): string {
  const address = /<([^<>]*)>\s*$/.exec(from)?.[1] ?? from;
  const domain = domainToASCII(address.slice(address.lastIndexOf('@') + 1).trim().toLowerCase());
  if (!address.includes('@') || !/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(domain)) throw new Error(`The sender address "${from}" has no domain to name the mailing lists after`);
  return domain;
}

/** Who an email is from, and where its links point. */
export interface Sender {
  publicBaseUrl: string;
  from: string;
  replyTo: string;
  /**
   * Where replies to an email about one link go (`reply+<token>@` it), to be relayed to the
   * other side (use-cases/email-reply.ts); unset, every email has the general `replyTo`.
   */
  replyDomain?: string;
  /** The sender's domain, as List-Id names the lists after it (senderDomain). */
  listDomain: string;
}

/**
 * The link an email is about, and as whom its reader is addressed, when it is about one
 * link only: every answer link it carries is about that link, for a contact of it. Such an
 * email gets a reply address of its own; a digest or a round-up (several links) does not.
 */
export function replyAbout(part: Pick<DeliveryPart, 'links'>): { subject: string; role: ContactRole } | undefined {
  const about = new Map<string, { subject: string; role: ContactRole }>();
  for (const spec of Object.values(part.links)) {
    if (!(answerPurposes as readonly string[]).includes(spec.purpose)) return undefined;
    if (spec.role !== 'champion' && spec.role !== 'event-director') return undefined;
    about.set(`${spec.subject} ${spec.role}`, { subject: spec.subject, role: spec.role });
  }
  return about.size === 1 ? [...about.values()][0] : undefined;
}

/** One email's part of a delivery: its claim in the ledger, its template, links and view. */
export interface DeliveryPart {
  key: string;
  claimId: string;
  kind: MailKind;
  template: EmailTemplate<object>;
  links: Record<string, AnswerLinkSpec>;
  view: object | ((urls: Record<string, string>) => object);
  reason: string;
}

/** What a ledger records of a failed send. */
export const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Issues the links, renders and sends one email made of `parts` (one: the email itself;
 * more: a round-up), whose ledger claims are held, then records each part sent. A failed
 * send gives every claim back and rethrows; one refused for its address
 * (RecipientRejectedError) marks every part suppressed and rethrows.
 */
export async function deliver(
  { ledger, tokens, transport, clock }: { ledger: OutboxLedger; tokens: LinkTokens; transport: MailTransport; clock: Clock },
  sender: Sender,
  to: string,
  kind: MailKind,
  parts: DeliveryPart[],
): Promise<void> {
  const one = parts.length === 1 ? parts[0]! : undefined;
  let accepted: { messageId: string; subject: string };
  try {
    const now = clock.now();
    const base = sender.publicBaseUrl;
    // Tokens are issued here, after the claim, so an email that is never sent leaves no live link;
    // all of an email's in one write. A round-up's parts' links are kept apart by a prefix.
    const prefix = (i: number) => (one ? '' : `${i}:`);
    const links = parts.flatMap((p, i) => Object.entries(p.links).map(([name, spec]) => [`${prefix(i)}${name}`, spec] as const));
    // Only a mailing has a way to stop it: an email that is not one gets no unsubscribe token at all.
    const mailing = parts.some((p) => p.template.mailing !== false);
    const about = one && sender.replyDomain ? replyAbout(one) : undefined;
    const issued = await tokens.issueAll(
      [
        ...(mailing ? [{ purpose: 'unsubscribe' as const, subject: to, recipient: to, expiresAt: daysFrom(now, unsubscribeLinkDays) }] : []),
        ...links.map(([, spec]) => ({
          purpose: spec.purpose,
          subject: spec.subject,
          recipient: to,
          role: spec.role,
          ...(spec.detail ? { detail: spec.detail } : {}),
          expiresAt: linkExpiresAt(spec, now),
        })),
        // Last: the reply address. Its kind is kept with it, so a reply saying "stop" stops that kind.
        ...(about ? [{ purpose: 'reply' as const, subject: about.subject, recipient: to, role: about.role, detail: { kind }, expiresAt: daysFrom(now, replyAddressDays) }] : []),
      ],
      now,
    );
    const unsubscribeToken = mailing ? issued[0]! : undefined;
    const linkTokens = issued.slice(mailing ? 1 : 0, mailing ? 1 + links.length : links.length);
    const replyTo = about && sender.replyDomain ? replyAddress(issued.at(-1)!, sender.replyDomain) : oneLine(sender.replyTo);
    const layout =
      unsubscribeToken === undefined
        ? undefined
        : {
            unsubscribeUrl: `${base}${paths.unsubscribe(unsubscribeToken)}`,
            preferencesUrl: `${base}${paths.preferences(unsubscribeToken)}`,
            reason: [...new Set(parts.map((p) => p.reason))].join(' '),
          };
    const urls = Object.fromEntries(links.map(([name, spec], i) => [name, `${base}${paths.answer(spec, linkTokens[i]!)}`]));
    const viewOf = (p: DeliveryPart, i: number) => {
      const own = Object.fromEntries(Object.keys(p.links).map((name) => [name, urls[`${prefix(i)}${name}`] ?? '']));
      return typeof p.view === 'function' ? p.view(own) : p.view;
    };
    const rendered = one
      ? renderEmail(one.template, viewOf(one, 0), layout)
      : renderRoundUp(
          parts.map((p, i) => ({ template: p.template, view: viewOf(p, i) })),
          layout!,
        );
    const unasked = parts.some((p) => isUnasked(p.template.name));
    const { messageId } = await transport.send({
      to,
      from: oneLine(sender.from),
      replyTo,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      headers: [
        ...(layout
          ? [
              { name: 'List-Unsubscribe', value: `<${layout.unsubscribeUrl}>` },
              { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
            ]
          : []),
        ...automatedMailHeaders(kind, sender.listDomain, { mailing }),
      ],
      tags: [
        { name: 'kind', value: kind },
        { name: 'template', value: one ? one.template.name : 'round-up' },
        ...(one ? [] : [{ name: 'parts', value: parts.map((p) => p.template.name).join('_').slice(0, 256) }]),
        { name: 'budget', value: unasked ? 'unasked' : 'outside' },
      ],
    });
    accepted = { messageId, subject: rendered.subject };
  } catch (error) {
    // An address the mail service refuses will never take the email: never sent, as to an
    // address that bounced, rather than failed, which the next run would try again.
    for (const p of parts) {
      if (error instanceof RecipientRejectedError) await ledger.markSuppressed(p.key, p.claimId, clock.now());
      else await ledger.markFailed(p.key, p.claimId, reasonOf(error), clock.now());
    }
    throw error;
  }
  // Outside the try: once the provider has accepted the message it must never be marked
  // failed (a retry would send it again). If this write keeps failing, the record stays
  // "sending" until its lease ends: the one window, named in mailer.ts, where a resend can happen.
  for (const p of parts) {
    for (let attempt = 1; ; attempt++) {
      try {
        await ledger.markSent(p.key, p.claimId, accepted, clock.now());
        break;
      } catch (error) {
        if (attempt >= markSentAttempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, markSentBackoffMs * 2 ** (attempt - 1)));
      }
    }
  }
}
