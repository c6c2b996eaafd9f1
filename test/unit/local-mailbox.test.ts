/**
 * The local mailbox records each message as SES would deliver it: with the Date and
 * Message-ID SES adds (replacing any the sender gave), a MessageId of SES's form, and the
 * sender's headers as they came over the SES wire; /dev/mail shows them.
 */
import type { AddressInfo } from 'node:net';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesMailTransport } from '../../functions/adapters/ses-mail-transport.js';
import type { OutgoingEmail } from '../../functions/core/ports.js';
import { Mailbox, mailboxRoutes, sesEndpointRoutes } from '../../local/mailbox.js';

let now = new Date('2026-11-23T10:04:05.678Z');
const mailbox = new Mailbox(() => now);
let server: ServerType;
let transport: SesMailTransport;

beforeAll(async () => {
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: sesEndpointRoutes(mailbox).fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  transport = new SesMailTransport(new SESv2Client({ region: 'eu-west-2', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const email = (subject: string, headers: OutgoingEmail['headers'] = []): OutgoingEmail => ({
  to: 'sarah@parkrun.example',
  from: 'parkrun practice nudges <nudges@parkrun-practice.example>',
  replyTo: 'health@parkrun-practice.example',
  subject,
  text: 'Hello',
  html: '<!doctype html><html><head></head><body>Hello</body></html>',
  headers,
  tags: [{ name: 'template', value: 'quiet-link-nudge' }],
});

describe('the local mailbox', () => {
  it('records the Date and Message-ID SES would add, over the sender’s own, and keeps the sender’s other headers', async () => {
    const { messageId } = await transport.send(
      email('First', [
        { name: 'List-Id', value: 'parkrun practice nudges - nudges <nudges.nudges.parkrun-practice.example>' },
        { name: 'Date', value: 'Thu, 01 Jan 1970 00:00:00 +0000' },
        { name: 'message-id', value: '<forged@example.org>' },
      ]),
    );
    const message = mailbox.messages.at(-1)!;
    // The MessageId the SDK got back is the message's id, in SES's form: 0100, the time in ms as hex, a UUID, -000000.
    expect(message.id).toBe(messageId);
    expect(messageId).toMatch(/^0100[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-000000$/);
    expect(parseInt(messageId.slice(4, 16), 16)).toBe(now.getTime());
    expect(message.headers).toEqual({
      Date: 'Mon, 23 Nov 2026 10:04:05 +0000',
      'Message-ID': `<${messageId}@email.amazonses.com>`,
      'List-Id': 'parkrun practice nudges - nudges <nudges.nudges.parkrun-practice.example>',
    });
    expect(new Date(message.headers.Date!).getTime()).toBe(Math.floor(now.getTime() / 1000) * 1000);
    expect(message.sentAt).toBe(now.toISOString());
    // The message tags the real SES transport sent (SendEmail's EmailTags), as the simulation reads them.
    expect(message.tags).toEqual({ template: 'quiet-link-nudge' });
  });

  it('gives each message its own Message-ID and the time it arrived', async () => {
    now = new Date('2026-12-05T18:30:00Z');
    const a = await transport.send(email('Second'));
    const b = await transport.send(email('Third'));
    const [second, third] = mailbox.messages.slice(-2);
    expect(a.messageId).not.toBe(b.messageId);
    expect(second!.headers['Message-ID']).toBe(`<${a.messageId}@email.amazonses.com>`);
    expect(third!.headers['Message-ID']).toBe(`<${b.messageId}@email.amazonses.com>`);
    expect(second!.headers['Message-ID']).not.toBe(third!.headers['Message-ID']);
    expect(third!.headers.Date).toBe('Sat, 05 Dec 2026 18:30:00 +0000');
  });

  it('shows Date and Message-ID on /dev/mail, and in /dev/mail.json', async () => {
    const routes = mailboxRoutes(mailbox);
    const page = await (await routes.request('/mail')).text();
    expect(page.startsWith('<!doctype html>')).toBe(true);
    for (const m of mailbox.messages) {
      expect(page).toContain(`<dt>Date</dt><dd>${m.headers.Date}</dd>`);
      expect(page).toContain(`<dt>Message-ID</dt><dd>&lt;${m.id}@email.amazonses.com&gt;</dd>`);
    }
    const json = (await (await routes.request('/mail.json')).json()) as Array<{ id: string; headers: Record<string, string> }>;
    expect(json.map((m) => m.headers['Message-ID'])).toEqual(mailbox.messages.map((m) => `<${m.id}@email.amazonses.com>`));
    expect(json.every((m) => /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/.test(m.headers.Date ?? ''))).toBe(true);
  });

  it('shows each email in a frame that runs no script, in the page’s own process, whose links open in the whole window', async () => {
    const page = await (await mailboxRoutes(mailbox).request('/mail')).text();
    const frames = [...page.matchAll(/<iframe [^>]*sandbox="([^"]*)"[^>]*srcdoc="([^"]*)"/g)];
    expect(frames).toHaveLength(mailbox.messages.length);
    for (const [, sandbox, srcdoc] of frames) {
      // No allow-scripts, ever: allow-top-navigation and allow-same-origin are safe only while no script can run in the frame.
      expect(sandbox!.split(' ').sort()).toEqual(['allow-popups', 'allow-same-origin', 'allow-top-navigation']);
      expect(srcdoc).toContain('&lt;base target=&quot;_top&quot;&gt;');
    }
  });
});
