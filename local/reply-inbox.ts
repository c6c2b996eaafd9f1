/**
 * The local stand-in for SES receiving: an SMTP server (smtp-server, nodemailer's) on
 * localhost that takes replies for the reply domain and hands each message to the same
 * reading (adapters/reply-message.ts) and use case (use-cases/email-reply.ts) as the
 * receiving Lambda. Any SMTP client can send to it; the local mailbox's Reply form does.
 *
 * It answers as SES receiving does: mail for another domain is refused at RCPT, a message
 * over 10 MB at DATA; everything else is accepted (250) whatever the use case makes of it,
 * so nothing about an address's validity leaks back. A fault while handling it answers
 * 451, so the sender tries again later and nothing is lost.
 */
import type { AddressInfo } from 'node:net';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { readReplyMessage } from '../functions/adapters/reply-message.js';
import { maxReplyBytes, type InboundReply, type ReplyOutcome } from '../functions/core/use-cases/email-reply.js';
import { log } from '../functions/log.js';

export interface ReplyInbox {
  port: number;
  /** What each message received so far came to, oldest first (for the dev pages and tests). */
  received: Array<{ at: string; to: string[]; result: ReplyOutcome | { outcome: 'failed'; error: string } }>;
  stop(): Promise<void>;
}

export interface ReplyInboxOptions {
  /** 0 picks a free port. */
  port: number;
  replyDomain: string;
  clock: { now(): Date };
  receive(reply: InboundReply): Promise<ReplyOutcome>;
}

export async function startReplyInbox(options: ReplyInboxOptions): Promise<ReplyInbox> {
  const received: ReplyInbox['received'] = [];
  const domain = options.replyDomain.toLowerCase();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxReplyBytes,
    logger: false,
    banner: 'parkrun practice nudges, local reply inbox',
    onRcptTo(address, _session, callback) {
      if (address.address.toLowerCase().endsWith(`@${domain}`)) callback();
      else callback(Object.assign(new Error(`Not a reply address: mail for ${domain} only`), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if ((stream as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(Object.assign(new Error('Message too large: 10 MB at most'), { responseCode: 552 }));
          return;
        }
        const to = session.envelope.rcptTo.map((r) => r.address);
        const at = options.clock.now();
        readReplyMessage(Buffer.concat(chunks), { recipients: to, receivedAt: at })
          .then((reply) => options.receive(reply))
          .then(
            (result) => {
              received.push({ at: at.toISOString(), to, result });
              callback();
            },
            (error: unknown) => {
              log.error('Local reply inbox: a reply failed; asked the sender to try again', error);
              received.push({ at: at.toISOString(), to, result: { outcome: 'failed', error: error instanceof Error ? error.message : String(error) } });
              callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
            },
          );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Sends one message to the reply inbox on `port` as a mail app would, over plain SMTP on
 * localhost: for the local mailbox's Reply form and the simulation's people. A refusal
 * throws nodemailer's error, with the SMTP `responseCode`.
 */
export async function sendToReplyInbox(port: number, mail: SendMailOptions): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail(mail);
  } finally {
    transport.close();
  }
}
