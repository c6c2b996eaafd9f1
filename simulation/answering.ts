/**
 * A simulated person following a link from an email: opens the page, picks the form
 * their answer belongs to, keeps its hidden fields, fills in the rest and sends it, as a
 * browser would. What came back is counted: the report shows refused answers (a link
 * already used, a Saturday already taken) apart from errors, which must be none.
 */
import { sendToReplyInbox } from '../local/reply-inbox.js';
import type { PlannedAnswer } from './people.js';

export type AnswerOutcome = 'answered' | 'left' | 'refused' | 'error';

const attribute = (tag: string, name: string) => tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1];
const unescape = (value: string) => value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The form on `page` that contains `has`, with its action and hidden fields. */
export function formOn(page: string, has: string): { action?: string; hidden: Array<[string, string]> } | undefined {
  for (const match of page.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)) {
    const [, attributes, body] = match;
    if (!`${attributes}${body}`.includes(has)) continue;
    const hidden: Array<[string, string]> = [];
    for (const tag of body!.match(/<input[^>]*>/g) ?? []) {
      const name = attribute(tag, 'name');
      if (attribute(tag, 'type') === 'hidden' && name) hidden.push([name, unescape(attribute(tag, 'value') ?? '')]);
    }
    const action = attribute(` ${attributes}`, 'action');
    return { ...(action ? { action: unescape(action) } : {}), hidden };
  }
  return undefined;
}

/**
 * A reply by email, as a mail app sends it: over SMTP to the local reply inbox (standing in
 * for SES receiving), from the reader's address, the new words above the quoted subject
 * line. `answered` means the inbox took it; what the product made of it (relayed, counted
 * as contact, ignored) is in the inbox's own record (LocalStack.replies.received).
 */
async function replyByEmail(reply: NonNullable<PlannedAnswer['reply']>, smtpPort: number): Promise<{ outcome: AnswerOutcome; status: number; detail?: string }> {
  try {
    await sendToReplyInbox(smtpPort, {
      from: reply.from,
      to: reply.to,
      subject: reply.subject,
      ...(reply.inReplyTo ? { inReplyTo: reply.inReplyTo } : {}),
      text: `${reply.words}\n\nOn an earlier day, parkrun practice nudges wrote:\n> ${reply.subject.replace(/^Re: /, '')}\n`,
    });
    return { outcome: 'answered', status: 250 };
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode ?? 0;
    // 5xx: the inbox refused it for good (not a reply address); 4xx or no answer: a fault.
    return code >= 500 && code < 600 ? { outcome: 'refused', status: code } : { outcome: 'error', status: code, detail: error instanceof Error ? error.message : String(error) };
  }
}

/** `smtpPort`: the local reply inbox, for answers that are replies by email. */
export async function answer(planned: PlannedAnswer, smtpPort?: number): Promise<{ outcome: AnswerOutcome; status: number; detail?: string }> {
  if (planned.reply) {
    if (smtpPort === undefined) return { outcome: 'error', status: 0, detail: 'a reply by email, but no reply inbox to send it to' };
    return replyByEmail(planned.reply, smtpPort);
  }
  const opened = await fetch(planned.url);
  const page = await opened.text();
  if (opened.status >= 500) return { outcome: 'error', status: opened.status, detail: page.slice(0, 200) };
  if (opened.status >= 400) return { outcome: 'refused', status: opened.status };
  const filled = planned.form(page);
  if (!filled) return { outcome: 'left', status: opened.status };
  const form = formOn(page, filled.has);
  if (!form) return { outcome: 'left', status: opened.status };
  const body = new URLSearchParams(form.hidden);
  for (const [name, value] of Object.entries(filled.fields)) {
    body.delete(name);
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  }
  const target = form.action ? new URL(form.action, planned.url).toString() : planned.url;
  const sent = await fetch(target, { method: 'POST', body, redirect: 'manual' });
  const reply = await sent.text();
  if (sent.status >= 500) return { outcome: 'error', status: sent.status, detail: reply.slice(0, 200) };
  if (sent.status >= 400) return { outcome: 'refused', status: sent.status };
  return { outcome: 'answered', status: sent.status };
}
