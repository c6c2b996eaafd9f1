/**
 * SES API v2 SendEmail. Locally the same client talks to the local mailbox, because the
 * SDK reads AWS_ENDPOINT_URL_SESV2; nothing here knows which it is talking to.
 */
import { SendEmailCommand, type SendEmailCommandInput, SESv2Client } from '@aws-sdk/client-sesv2';
import { RecipientRejectedError } from '../core/errors.js';
import type { MailTransport, OutgoingEmail } from '../core/ports.js';

/**
 * SES's own words (400, BadRequestException) for an address it will not send to at all:
 * malformed, or with a domain that cannot exist. Not MessageRejected ("Email address is
 * not verified": an account still in the SES sandbox), nor throttling or a paused
 * account: those are ours to fix, and stay failures that alarm.
 */
const addressRefusal = /^(illegal address|missing final '@domain'|missing (local name|domain)|(local address|domain) (contains|starts with|ends with))/i;

/** Whether SES refused the message for its recipient's address itself. */
export const isAddressRefusal = (error: unknown): error is Error =>
  error instanceof Error && error.name === 'BadRequestException' && addressRefusal.test(error.message.trim());

export class SesMailTransport implements MailTransport {
  constructor(
    private readonly client: SESv2Client,
    private readonly configurationSet?: string,
  ) {}

  static commandInput(email: OutgoingEmail, configurationSet?: string): SendEmailCommandInput {
    return {
      FromEmailAddress: email.from,
      ReplyToAddresses: [email.replyTo],
      Destination: { ToAddresses: [email.to] },
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: email.text, Charset: 'UTF-8' },
            Html: { Data: email.html, Charset: 'UTF-8' },
          },
          Headers: email.headers.map((h) => ({ Name: h.name, Value: h.value })),
        },
      },
      EmailTags: email.tags.map((t) => ({ Name: t.name, Value: t.value })),
      ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
    };
  }

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const out = await this.client.send(new SendEmailCommand(SesMailTransport.commandInput(email, this.configurationSet))).catch((error: unknown) => {
      throw isAddressRefusal(error) ? new RecipientRejectedError(error.message) : error;
    });
    if (!out.MessageId) throw new Error('SES accepted the message but returned no MessageId');
    return { messageId: out.MessageId };
  }
}
