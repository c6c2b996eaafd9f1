/**
 * Reads a received reply (RFC 5322, as SES stores it in S3 or the local SMTP server takes
 * it) into what use-cases/email-reply.ts needs: who it is from and to, and its new words.
 *
 * mailparser does the MIME: charsets (ISO-8859-1, Windows-1252, …), quoted-printable and
 * base64, and an HTML-only message read as text. email-reply-parser keeps the new words,
 * dropping quoted history ("On … wrote:", Outlook's "From: … Sent: …" block) and signatures.
 */
import { createHash } from 'node:crypto';
import EmailReplyParser from 'email-reply-parser';
import { simpleParser, type AddressObject } from 'mailparser';
import { automaticReason } from '../core/policies/automatic-mail.js';
import { maxReplyBytes, type InboundReply } from '../core/use-cases/email-reply.js';

export interface Envelope {
  /** Where it was sent (SES's receipt recipients; SMTP's RCPT TO). */
  recipients: string[];
  receivedAt: Date;
  /** SES's verdicts; absent locally. */
  verdicts?: InboundReply['verdicts'];
}

/** Words beyond this are cut: a reply is a few lines, and a relayed email must stay readable. */
const maxWords = 20_000;

/** Names a message across deliveries: by its Message-ID, or by its bytes when it has none. */
const keyOf = (named: string | Buffer) => createHash('sha256').update(named).digest('hex').slice(0, 32);

const firstAddress = (from: AddressObject | AddressObject[] | undefined) => (Array.isArray(from) ? from[0] : from)?.value[0]?.address?.toLowerCase() ?? '';

export async function readReplyMessage(raw: Buffer, envelope: Envelope): Promise<InboundReply> {
  const recipients = envelope.recipients.map((r) => r.toLowerCase());
  // Not read at all: the use case refuses it by its size, and parsing megabytes is slow.
  if (raw.length > maxReplyBytes) {
    return { recipients, from: '', receivedAt: envelope.receivedAt, messageKey: keyOf(raw), words: '', attachments: 0, sizeBytes: raw.length };
  }
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const headers = new Map<string, string>();
  for (const line of parsed.headerLines) headers.set(line.key.toLowerCase(), line.line.slice(line.line.indexOf(':') + 1).trim());
  const text = parsed.text ?? '';
  const words = new EmailReplyParser().read(text.replace(/\r\n/g, '\n')).getVisibleText().trim();
  const automatic = automaticReason(headers, parsed.subject ?? '');
  return {
    recipients,
    from: firstAddress(parsed.from),
    receivedAt: envelope.receivedAt,
    messageKey: keyOf(parsed.messageId ?? raw),
    words: words.length > maxWords ? `${words.slice(0, maxWords)}…` : words,
    // Inline images (a logo in a signature) are part of the message, not something sent.
    attachments: parsed.attachments.filter((a) => !a.related).length,
    sizeBytes: raw.length,
    ...(automatic ? { automatic } : {}),
    ...(envelope.verdicts ? { verdicts: envelope.verdicts } : {}),
  };
}
