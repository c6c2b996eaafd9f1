/**
 * Whether a received message was sent by a machine rather than a person, from its headers:
 * such a message is never relayed nor counted as contact, and never answered (an
 * auto-responder answered by another loops). Returns why, or undefined for a person's.
 *
 *  - RFC 3834: `Auto-Submitted` other than `no`;
 *  - the older auto-responders' own flags: `X-Autoreply`, `X-Autorespond`, `X-Autoresponder`;
 *  - `Precedence: bulk`, `auto_reply`, `junk` or `list`;
 *  - Exchange's out-of-office, which may carry none of those: `X-Auto-Response-Suppress`
 *    on a message (Exchange puts it on what it generates; a person's reply has none) or
 *    a subject Exchange and Gmail give automatic replies;
 *  - a bounce: a delivery report, or mail from the mailer daemon or with an empty return path.
 */
export type Headers = ReadonlyMap<string, string>;

const autoSubjects = /^\s*(automatic reply|auto(matic)?[- ]?response|out of (the )?office|auto:|autoreply|undeliverable|delivery status notification|mail delivery failed|returned mail)\b/i;

export function automaticReason(headers: Headers, subject: string): string | undefined {
  const header = (name: string) => headers.get(name.toLowerCase())?.trim();
  const autoSubmitted = header('auto-submitted')?.toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return `Auto-Submitted: ${autoSubmitted}`;
  for (const flag of ['x-autoreply', 'x-autorespond', 'x-autoresponder']) if (header(flag) !== undefined) return flag;
  const precedence = header('precedence')?.toLowerCase();
  if (precedence && ['bulk', 'auto_reply', 'junk', 'list'].includes(precedence)) return `Precedence: ${precedence}`;
  if (header('x-auto-response-suppress') !== undefined) return 'X-Auto-Response-Suppress';
  const contentType = header('content-type')?.toLowerCase() ?? '';
  if (contentType.startsWith('multipart/report')) return 'a delivery report';
  const returnPath = header('return-path');
  if (returnPath !== undefined && /^<?\s*>?$/.test(returnPath)) return 'an empty return path';
  const from = header('from')?.toLowerCase() ?? '';
  if (/\b(mailer-daemon|postmaster)@/.test(from)) return 'the mailer daemon';
  if (autoSubjects.test(subject)) return `the subject "${subject.slice(0, 60)}"`;
  return undefined;
}
