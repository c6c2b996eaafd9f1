import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesMailTransport } from '../../functions/adapters/ses-mail-transport.js';
import { RecipientRejectedError } from '../../functions/core/errors.js';
import type { OutgoingEmail } from '../../functions/core/ports.js';

const ses = mockClient(SESv2Client);
const email = (): OutgoingEmail => ({
  to: 'sarah@parkrun.example',
  from: 'parkrun practice nudges <nudges@example.org>',
  replyTo: 'health@example.org',
  subject: 'Riverside Surgery has linked with Bushy parkrun',
  text: 'Hello Sarah',
  html: '<p>Hello Sarah</p>',
  headers: [
    { name: 'List-Unsubscribe', value: '<https://nudges.example.org/unsubscribe/t>' },
    { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
  ],
  tags: [
    { name: 'kind', value: 'introductions' },
    { name: 'template', value: 'intro-practice' },
  ],
});

describe('SES mail transport', () => {
  beforeEach(() => ses.reset());

  it('sends exactly this SendEmail command', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const result = await new SesMailTransport(new SESv2Client({ region: 'eu-west-2' }), 'nudges-config').send(email());
    expect(result).toEqual({ messageId: 'ses-1' });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input).toEqual({
      FromEmailAddress: 'parkrun practice nudges <nudges@example.org>',
      ReplyToAddresses: ['health@example.org'],
      Destination: { ToAddresses: ['sarah@parkrun.example'] },
      // What the email is travels as SES message tags: into bounce and complaint events, and per-tag sending figures.
      EmailTags: [
        { Name: 'kind', Value: 'introductions' },
        { Name: 'template', Value: 'intro-practice' },
      ],
      ConfigurationSetName: 'nudges-config',
      Content: {
        Simple: {
          Subject: { Data: 'Riverside Surgery has linked with Bushy parkrun', Charset: 'UTF-8' },
          Body: { Text: { Data: 'Hello Sarah', Charset: 'UTF-8' }, Html: { Data: '<p>Hello Sarah</p>', Charset: 'UTF-8' } },
          Headers: [
            { Name: 'List-Unsubscribe', Value: '<https://nudges.example.org/unsubscribe/t>' },
            { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
          ],
        },
      },
    });
  });

  it('leaves out the configuration set when there is none (local mailbox)', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-2' });
    await new SesMailTransport(new SESv2Client({ region: 'eu-west-2' })).send(email());
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input).not.toHaveProperty('ConfigurationSetName');
  });

  it('passes SES throttling on to the caller, to retry', async () => {
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException' }));
    await expect(new SesMailTransport(new SESv2Client({ region: 'eu-west-2' })).send(email())).rejects.toThrow('Maximum sending rate exceeded.');
  });

  it('turns SES refusing the address itself into a RecipientRejectedError, and nothing else', async () => {
    const transport = new SesMailTransport(new SESv2Client({ region: 'eu-west-2' }));
    const refusal = (name: string, message: string) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
    for (const message of ['Illegal address', "Missing final '@domain'", 'Local address contains control or whitespace', 'Domain contains illegal character']) {
      ses.reset();
      ses.on(SendEmailCommand).rejects(refusal('BadRequestException', message));
      const error = await transport.send(email()).catch((e: unknown) => e);
      expect(error, message).toBeInstanceOf(RecipientRejectedError);
      // The address stays out of what goes to logs and the ledger.
      expect((error as Error).message).not.toContain('sarah@');
    }
    // The account's problems, not the address's: they stay failures, to alarm and retry.
    for (const [name, message] of [
      ['MessageRejected', 'Email address is not verified. The following identities failed the check in region EU-WEST-2: sarah@parkrun.example'],
      ['BadRequestException', 'Illegal header value'],
      ['SendingPausedException', 'Sending is paused for this account.'],
    ] as const) {
      ses.reset();
      ses.on(SendEmailCommand).rejects(refusal(name, message));
      const error = await transport.send(email()).catch((e: unknown) => e);
      expect(error, message).not.toBeInstanceOf(RecipientRejectedError);
      expect((error as Error).name).toBe(name);
    }
  });
});
