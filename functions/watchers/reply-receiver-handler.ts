/**
 * The reply receiver (entry: reply-receiver.ts): SES's receipt rule stores each message
 * sent to the reply domain in S3, then invokes this asynchronously with the receipt. For
 * each record it reads the stored message, builds the envelope from SES's receipt (the
 * recipients, its time, the verdicts) and hands the reply to use-cases/email-reply.ts, as
 * the local reply inbox (local/reply-inbox.ts) does with what it takes over SMTP.
 *
 * Nothing of the message's words is ever logged: only the outcome, SES's message id and the
 * verdicts. A failure is thrown, so Lambda retries the invocation and then keeps it in the
 * failure queue; what a retry sets off once more is keyed by the message (email-reply.ts).
 */
import middy from '@middy/core';
import type { SESEvent } from 'aws-lambda';
import * as z from '../core/zod.js';
import { readReplyMessage, type Envelope } from '../adapters/reply-message.js';
import { receiveReply, type EmailReplyDeps, type ReplyOutcome } from '../core/use-cases/email-reply.js';
import { log } from '../log.js';

/** Where the received messages are: SES's S3 action stored each as `<prefix><messageId>`. */
export interface ReceivedMessages {
  /** The stored message, byte for byte (RFC 5322). */
  read(key: string): Promise<Buffer>;
}

export interface ReplyReceiverDeps extends EmailReplyDeps {
  messages: ReceivedMessages;
  /** The S3 action's object key prefix, e.g. `replies/`. */
  objectPrefix: string;
}

const verdict = z.object({ status: z.string() });
/** SES's message ids are letters and digits: anything else (a `/`, a `..`) is not a key we look up. */
const messageId = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/, 'not an SES message id'));
const sesRecord = z.object({
  ses: z.object({
    mail: z.object({ messageId }),
    receipt: z.object({
      recipients: z.array(z.string()).check(z.minLength(1)),
      timestamp: z.iso.datetime({ offset: true }),
      spfVerdict: verdict,
      dkimVerdict: verdict,
      spamVerdict: verdict,
      virusVerdict: verdict,
    }),
  }),
});

/** One SES record, as what the reply's reading needs: the stored message's id and the envelope. A malformed record throws. */
export function envelopeOf(record: unknown): { messageId: string; envelope: Envelope } {
  const { mail, receipt } = sesRecord.parse(record).ses;
  return {
    messageId: mail.messageId,
    envelope: {
      recipients: receipt.recipients,
      receivedAt: new Date(receipt.timestamp),
      verdicts: { spf: receipt.spfVerdict.status, dkim: receipt.dkimVerdict.status, spam: receipt.spamVerdict.status, virus: receipt.virusVerdict.status },
    },
  };
}

/** What a log line may say of an outcome: never the words, nor an address. */
function loggable(outcome: ReplyOutcome): Record<string, unknown> {
  switch (outcome.outcome) {
    case 'relayed':
      return { outcome: outcome.outcome, relayedTo: outcome.to.length, contactRecorded: outcome.contactRecorded };
    case 'stopped':
      return { outcome: outcome.outcome, kind: outcome.kind };
    case 'ignored':
      return { outcome: outcome.outcome, reason: outcome.reason };
    default:
      return { outcome: outcome.outcome };
  }
}

export function createReplyReceiver(deps: ReplyReceiverDeps) {
  return middy<SESEvent, void>().handler(async (event) => {
    for (const record of event.Records) {
      const { messageId: id, envelope } = envelopeOf(record);
      try {
        const raw = await deps.messages.read(`${deps.objectPrefix}${id}`);
        const reply = await readReplyMessage(raw, envelope);
        const outcome = await receiveReply(deps, reply);
        log.info('Reply received', { messageId: id, sizeBytes: raw.length, verdicts: envelope.verdicts, ...loggable(outcome) });
      } catch (error) {
        // Rethrown: Lambda retries the whole invocation, then the failure queue keeps it.
        log.error('Reply not handled; Lambda will retry it', error, { messageId: id });
        throw error;
      }
    }
  });
}
