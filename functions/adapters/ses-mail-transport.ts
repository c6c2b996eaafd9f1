/**
 * SES API v2 SendEmail. Locally the same client talks to the local mailbox, because the
 * SDK reads AWS_ENDPOINT_URL_SESV2; nothing here knows which it is talking to.
 */
import { SendEmailCommand, type SendEmailCommandInput, SESv2Client } from '@aws-sdk/client-sesv2';
import type { MailTransport, OutgoingEmail } from '../core/ports.js';

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
    const out = await this.client.send(new SendEmailCommand(SesMailTransport.commandInput(email, this.configurationSet)));
    if (!out.MessageId) throw new Error('SES accepted the message but returned no MessageId');
    return { messageId: out.MessageId };
  }
}
