/**
 * The local mailbox: answers the SES v2 SendEmail call (the real SES adapter is pointed
 * here with AWS_ENDPOINT_URL_SESV2) and shows what arrived at /dev/mail and
 * /dev/mail.json. Nothing leaves the machine.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { sendToReplyInbox } from './reply-inbox.js';
import { html } from 'hono/html';

export interface MailboxMessage {
  /** The MessageId SES answers with (its form: `0100…-…-000000`), which the product logs. */
  id: string;
  to: string[];
  from: string;
  replyTo: string[];
  subject: string;
  text: string;
  html: string;
  /**
   * The headers as the reader's mail app gets them: `Date` and `Message-ID`, which SES adds
   * to every message (replacing any the sender gave), then the sender's own.
   */
  headers: Record<string, string>;
  /** The SES message tags the sender gave (what kind of email, which template, whether it was unasked). */
  tags: Record<string, string>;
  configurationSet?: string;
  sentAt: string;
}

export class Mailbox {
  readonly messages: MailboxMessage[] = [];
  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Accepts the JSON body of SES v2 SendEmail (simple content). */
  receive(body: unknown): MailboxMessage {
    const b = body as {
      FromEmailAddress?: string;
      ReplyToAddresses?: string[];
      Destination?: { ToAddresses?: string[] };
      ConfigurationSetName?: string;
      EmailTags?: Array<{ Name?: string; Value?: string }>;
      Content?: {
        Simple?: {
          Subject?: { Data?: string };
          Body?: { Text?: { Data?: string }; Html?: { Data?: string } };
          Headers?: Array<{ Name?: string; Value?: string }>;
        };
      };
    };
    const simple = b.Content?.Simple;
    if (!simple || !b.FromEmailAddress || !b.Destination?.ToAddresses?.length) {
      throw new Error('Only SendEmail with simple content, a sender and recipients is supported');
    }
    const sentAt = this.now();
    const id = sesMessageId(sentAt);
    const given = Object.fromEntries(
      (simple.Headers ?? []).map((h) => [h.Name ?? '', h.Value ?? '']).filter(([name]) => !/^(date|message-id)$/i.test(name!)),
    ) as Record<string, string>;
    const message: MailboxMessage = {
      id,
      to: b.Destination.ToAddresses,
      from: b.FromEmailAddress,
      replyTo: b.ReplyToAddresses ?? [],
      subject: simple.Subject?.Data ?? '',
      text: simple.Body?.Text?.Data ?? '',
      html: simple.Body?.Html?.Data ?? '',
      headers: { Date: rfc5322Date(sentAt), 'Message-ID': `<${id}@${sesMessageIdDomain}>`, ...given },
      tags: Object.fromEntries((b.EmailTags ?? []).map((t) => [t.Name ?? '', t.Value ?? ''])),
      ...(b.ConfigurationSetName ? { configurationSet: b.ConfigurationSetName } : {}),
      sentAt: sentAt.toISOString(),
    };
    this.messages.push(message);
    return message;
  }
}

/** The domain of the Message-ID SES gives a message (in us-east-1; other regions put the region first, as `eu-west-2.amazonses.com`). */
export const sesMessageIdDomain = 'email.amazonses.com';

/** A MessageId shaped as SES's: 0100, the time in milliseconds as 12 hex digits, a UUID, then -000000. */
export function sesMessageId(at: Date): string {
  return `0100${at.getTime().toString(16).padStart(12, '0')}-${randomUUID()}-000000`;
}

/** A date as a mail header writes it (RFC 5322), in UTC: "Mon, 23 Nov 2026 10:00:00 +0000". */
export function rfc5322Date(at: Date): string {
  return at.toUTCString().replace(/GMT$/, '+0000');
}

/**
 * Links in a shown email open in the whole window, as they would from a mail app.
 *
 * The frame's sandbox never has allow-scripts, so no script runs in an email and only a
 * clicked link can leave it; within that, two tokens are there for the clicks:
 * - `allow-top-navigation` rather than `…-by-user-activation`: with no script, only a click
 *   can navigate anyway, and the latter also holds the click to its few seconds of
 *   transient activation;
 * - `allow-same-origin` keeps the frame in the page's own renderer. Without it the frame has
 *   an opaque origin, Chromium gives it a process of its own, and a click soon after that
 *   process first paints can be lost on its way there (microsoft/playwright#28023): a
 *   browser test's click in an email, on a busy machine, now and then went nowhere.
 */
const withTopTarget = (html: string) => html.replace(/<head>/i, '<head><base target="_top">');

/** The SES v2 REST path the SDK calls for SendEmail. */
export function sesEndpointRoutes(mailbox: Mailbox) {
  return new Hono().post('/v2/email/outbound-emails', async (c) => {
    try {
      const message = mailbox.receive(await c.req.json());
      return c.json({ MessageId: message.id });
    } catch (error) {
      return c.json({ message: error instanceof Error ? error.message : String(error) }, 400, { 'x-amzn-errortype': 'BadRequestException' });
    }
  });
}

/**
 * Sends a reply to `message` as its reader would from a mail app: over real SMTP to the
 * local reply inbox (reply-inbox.ts), from the reader's address to the message's Reply-To,
 * with the original quoted below the new words as mail apps quote it.
 */
async function replyBySmtp(message: MailboxMessage, words: string, smtpPort: number): Promise<void> {
  const quoted = message.text.split('\n').map((line) => `> ${line}`).join('\n');
  await sendToReplyInbox(smtpPort, {
    from: message.to[0],
    to: message.replyTo[0],
    subject: `Re: ${message.subject}`,
    inReplyTo: message.headers['Message-ID'],
    text: `${words}\n\nOn ${message.sentAt.slice(0, 16).replace('T', ' ')} UTC, ${message.from} wrote:\n${quoted}\n`,
  });
}

export function mailboxRoutes(mailbox: Mailbox, replies?: { smtpPort: number }) {
  return new Hono()
    .get('/mail.json', (c) => c.json(mailbox.messages))
    .post('/mail/:id/reply', async (c) => {
      const message = mailbox.messages.find((m) => m.id === c.req.param('id'));
      if (!message) return c.text('No such message in the local mailbox', 404);
      if (!replies) return c.text('No reply inbox is running', 409);
      const body = await c.req.parseBody();
      const words = typeof body.words === 'string' ? body.words.trim() : '';
      if (!words) return c.text('Write something to reply with', 400);
      await replyBySmtp(message, words, replies.smtpPort);
      return c.redirect(`/dev/mail?to=${encodeURIComponent(message.to[0] ?? '')}`, 303);
    })
    .post('/mail/clear', (c) => {
      mailbox.messages.length = 0;
      return c.redirect('/dev/mail', 303);
    })
    .get('/mail', (c) => {
      // Filtered by recipient, newest first, one open at a time (an exclusive <details> group): a week's mail stays readable.
      const to = c.req.query('to')?.trim().toLowerCase() ?? '';
      const recipients = [...new Set(mailbox.messages.flatMap((m) => m.to.map((a) => a.toLowerCase())))].sort();
      const shown = [...mailbox.messages].reverse().filter((m) => !to || m.to.some((a) => a.toLowerCase() === to));
      return c.html(html`<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Local mailbox (${mailbox.messages.length})</title>
<style>
body{font-family:system-ui,Arial,sans-serif;margin:0;background:#f4f4f6;color:#1d1d1f}
header{background:#2b233d;color:#fff;padding:.75rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
header h1{font-size:1.2rem;margin:0} header a{color:#fff}
header button{color:#fff;background:none;border:1px solid #fff;border-radius:4px;padding:.2rem .6rem;font:inherit;cursor:pointer}
main{max-width:60rem;margin:0 auto;padding:1rem}
.filter{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center;margin-bottom:1rem}
.filter select{font:inherit;max-width:100%}
.filter button{font:inherit;padding:.3rem .7rem}
.filter span{min-width:0;overflow-wrap:anywhere}
details{background:#fff;border:1px solid #dddde3;border-radius:6px;margin-bottom:.5rem;padding:.5rem 1rem}
summary{cursor:pointer;overflow-wrap:anywhere} summary h2{display:inline;font-size:1.05rem} summary small{color:#555;display:block}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:.8rem 0;font-size:.9rem}
dt{font-weight:700} dd{margin:0;word-break:break-all}
iframe{width:100%;height:80vh;border:1px solid #dddde3;background:#fff}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f7f7f9;padding:.6rem;font-size:.85rem}
.reply{display:grid;gap:.4rem;margin:.8rem 0} .reply textarea{font:inherit;width:100%;box-sizing:border-box} .reply button{justify-self:start;font:inherit;padding:.3rem .8rem}
</style></head><body>
<header><h1>Local mailbox: ${mailbox.messages.length} message${mailbox.messages.length === 1 ? '' : 's'}</h1>
<a href="/dev/mail">Refresh</a> <a href="/dev/mail.json">JSON</a> <a href="/">Local home</a> <a href="/register">Register a practice</a>
<form method="post" action="/dev/mail/clear"><button type="submit">Clear</button></form></header>
<main>
<form class="filter" method="get" action="/dev/mail"><label for="to">To</label>
<select id="to" name="to"><option value="">everyone</option>${recipients.map((r) => html`<option value="${r}"${r === to ? ' selected' : ''}>${r}</option>`)}</select>
<button type="submit">Show</button> ${to ? html`<span>${shown.length} to ${to}</span>` : ''}</form>
${shown.length === 0 ? html`<p>${to ? `No email to ${to}.` : 'No email yet. Register a practice and this page will show the introductions.'}</p>` : ''}
${shown.map(
  (m, i) => html`<details name="message"${i === 0 ? ' open' : ''}>
<summary><h2>${m.subject}</h2><small>to ${m.to.join(', ')}, ${m.sentAt.slice(0, 16).replace('T', ' ')} UTC</small></summary>
<article><dl><dt>To</dt><dd>${m.to.join(', ')}</dd><dt>From</dt><dd>${m.from}</dd><dt>Reply-To</dt><dd>${m.replyTo.join(', ')}</dd>
${Object.entries(m.headers).map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
<iframe title="HTML part of ${m.subject}" loading="lazy" sandbox="allow-same-origin allow-top-navigation allow-popups" srcdoc="${withTopTarget(m.html)}"></iframe>
<details><summary>Plain-text part</summary><pre>${m.text}</pre></details>
${
  replies && m.replyTo[0]?.startsWith('reply+')
    ? html`<form class="reply" method="post" action="/dev/mail/${m.id}/reply"><label for="words-${m.id}">Reply as ${m.to[0]}, over SMTP to the reply inbox</label>
<textarea id="words-${m.id}" name="words" rows="3" required></textarea><button type="submit">Send reply</button></form>`
    : ''
}
</article></details>`,
)}
</main></body></html>`);
    });
}

