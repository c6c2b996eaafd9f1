/**
 * Reply by email, as `npm start` runs it: an introduction's Reply-To is the director's own
 * reply address; a reply sent to it over real SMTP (nodemailer, to the local reply inbox)
 * reaches the champion without the quoted original, and the link shows contact by email
 * reply. An out-of-office, a tampered address and a stranger's reply relay nothing.
 */
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/local-stack.js';
import type { MailboxMessage } from '../../local/mailbox.js';
import { registrationBody, workingMonday } from '../support/fixtures.js';
import { confirmFromMailbox, mailboxOf } from '../support/local-mailbox.js';
import { startTestStack } from '../support/local-stack.js';

let stack: LocalStack;
const champion = 'jane.smith@nhs.example';
const director = 'priya.hackneymarshes@parkrun.example';
let intro: MailboxMessage;

beforeAll(async () => {
  stack = await startTestStack({ port: 0, start: workingMonday });
  const registered = await fetch(`${stack.url}/api/registrations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(registrationBody({ practiceCode: 'Y02001', events: ['hackney-marshes'], champion: { name: 'Dr Jane Smith', role: 'GP', email: champion } })),
  });
  expect(registered.status).toBe(201);
  expect(await confirmFromMailbox(stack, champion)).toBe(200);
  await stack.drain();
  intro = (await mailboxOf(stack)).find((m) => m.to[0] === director)!;
});
afterAll(async () => {
  await stack?.stop();
});

/** Sends a message over SMTP to the local reply inbox, as any mail client would. */
async function sendReply(message: SendMailOptions) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: stack.replies.port, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail(message);
  } finally {
    transport.close();
  }
}

const quoted = (text: string) => text.split('\n').map((l) => `> ${l}`).join('\n');
const mailTo = async (to: string) => (await mailboxOf(stack)).filter((m) => m.to[0] === to);
const linkOf = async () => (await stack.store.partnerships.getLink('Y02001', 'hackney-marshes'))!;

describe('a reply by email', () => {
  it("gives the introduction the director's own reply address, on the reply domain", () => {
    expect(intro.replyTo).toHaveLength(1);
    expect(intro.replyTo[0]).toMatch(/^reply\+[a-z2-7]{52}@reply\.parkrun-practice\.example$/);
  });

  it('relays a director reply to the champion within 10 seconds, without the quoted original, and records contact', async () => {
    const before = await linkOf();
    const started = Date.now();
    await sendReply({
      from: `Priya <${director}>`,
      to: intro.replyTo[0],
      subject: `Re: ${intro.subject}`,
      messageId: '<reply-1@parkrun.example>',
      text: `Lovely to hear from you, come and say hello at the finish funnel on Saturday.\n\nPriya\n\nOn Mon, 23 Nov 2026 at 10:00, parkrun practice nudges <nudges@parkrun-practice.example> wrote:\n${quoted(intro.text)}\n`,
    });
    await stack.drain();
    const relayed = (await mailTo(champion)).filter((m) => /replied$/.test(m.subject));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(relayed).toHaveLength(1);
    expect(relayed[0]!.subject).toMatch(/\(Hackney Marshes parkrun\) replied$/);
    expect(relayed[0]!.text).toContain('Lovely to hear from you, come and say hello at the finish funnel on Saturday.');
    expect(relayed[0]!.text).not.toContain('wrote:');
    expect(relayed[0]!.text).not.toContain(intro.text.split('\n')[0]!);
    // The champion can answer in turn: their own reply address, not the director's.
    expect(relayed[0]!.replyTo[0]).toMatch(/^reply\+[a-z2-7]{52}@reply\.parkrun-practice\.example$/);
    expect(relayed[0]!.replyTo[0]).not.toBe(intro.replyTo[0]);

    const after = await linkOf();
    expect(after.lastContactAt).not.toBe(before.lastContactAt);
    expect(after.lastContactBy).toBe('event');
    expect(after.lastContactHow).toBe('email-reply');
    expect(stack.replies.received.at(-1)?.result).toMatchObject({ outcome: 'relayed', to: [champion], contactRecorded: true });
  });

  it('relays the same message once, however often it is delivered', async () => {
    const count = async () => (await mailTo(champion)).filter((m) => /replied$/.test(m.subject)).length;
    const before = await count();
    const again = { from: director, to: intro.replyTo[0], subject: 'Re: again', messageId: '<reply-twice@parkrun.example>', text: 'See you at 9.' };
    await sendReply(again);
    await sendReply(again);
    await stack.drain();
    expect(await count()).toBe(before + 1);
  });

  it('relays nothing for an out-of-office, a tampered address or a stranger, and tells head office of the stranger', async () => {
    const relayedBefore = (await mailTo(champion)).length;
    const headOfficeBefore = (await mailTo('health@parkrun-practice.example')).length;
    const address = intro.replyTo[0]!;
    await sendReply({
      from: director,
      to: address,
      subject: 'Automatic reply: Riverside Surgery has linked with Hackney Marshes parkrun',
      headers: { 'Auto-Submitted': 'auto-replied' },
      text: 'I am away until Monday.',
    });
    // One letter changed in the token part: no such address.
    const tampered = address.replace(/^reply\+(.)/, (_, c: string) => `reply+${c === 'a' ? 'b' : 'a'}`);
    await sendReply({ from: director, to: tampered, subject: 'Re: hello', text: 'Tampered.' });
    await sendReply({ from: 'someone.else@example.com', to: address, subject: 'Re: hello', messageId: '<stranger@example.com>', text: 'I am not Priya.' });
    await stack.drain();

    expect((await mailTo(champion)).length).toBe(relayedBefore);
    const outcomes = stack.replies.received.slice(-3).map((r) => r.result);
    expect(outcomes).toEqual([{ outcome: 'ignored', reason: 'automatic' }, { outcome: 'ignored', reason: 'unknown-address' }, { outcome: 'forwarded' }]);
    const toHeadOffice = (await mailTo('health@parkrun-practice.example')).slice(headOfficeBefore);
    expect(toHeadOffice.map((m) => m.subject)).toEqual(['A reply from someone.else@example.com was not passed on']);
  });

  it("sends a reply from the local mailbox's Reply form over SMTP, relayed without the quoted original", async () => {
    const page = await (await fetch(`${stack.url}/dev/mail?to=${encodeURIComponent(director)}`)).text();
    expect(page).toContain(`action="/dev/mail/${intro.id}/reply"`);
    const before = (await mailTo(champion)).length;
    const sent = await fetch(`${stack.url}/dev/mail/${intro.id}/reply`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ words: 'Sent from the local mailbox form.' }),
      redirect: 'manual',
    });
    expect(sent.status).toBe(303);
    await stack.drain();
    const relayed = (await mailTo(champion)).slice(before);
    expect(relayed.map((m) => m.text.includes('Sent from the local mailbox form.'))).toEqual([true]);
    expect(relayed[0]!.text).not.toContain('wrote:');
  });

  it('refuses mail for any other domain at the SMTP level', async () => {
    await expect(sendReply({ from: director, to: 'someone@example.com', subject: 'Hi', text: 'Hi' })).rejects.toThrow(/550/);
  });
});
