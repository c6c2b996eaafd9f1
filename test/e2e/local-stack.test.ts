/**
 * The product as `npm start` runs it: DynamoDB Local, the API, the stream-fed watcher and
 * the local mailbox, driven over HTTP the way the README's curl example does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/local-stack.js';
import { startTestStack } from '../support/local-stack.js';
import type { MailboxMessage } from '../../local/mailbox.js';
import { registrationBody, workingMonday } from '../support/fixtures.js';
import { confirmFromMailbox } from '../support/local-mailbox.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack({ port: 0, start: workingMonday });
});
afterAll(async () => {
  await stack?.stop();
});

async function mail(): Promise<MailboxMessage[]> {
  return (await (await fetch(`${stack.url}/dev/mail.json`)).json()) as MailboxMessage[];
}

async function waitForMail(count: number, withinMs: number): Promise<MailboxMessage[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const messages = await mail();
    if (messages.length >= count || Date.now() > deadline) return messages;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const post = (body: unknown) =>
  fetch(`${stack.url}/api/registrations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the local stack', () => {
  it('answers /health, /register and /dev/mail', async () => {
    const health = await fetch(`${stack.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', table: 'reachable' });
    const register = await fetch(`${stack.url}/register`);
    expect(register.status).toBe(200);
    expect(await register.text()).toMatch(/<optgroup label="London">.*<option value="hackney-marshes">Hackney Marshes parkrun<\/option>/s);
    expect((await fetch(`${stack.url}/dev/mail`)).status).toBe(200);
  });

  it('asks the champion to confirm a registration, then introduces both sides within 10 seconds, each email with both unsubscribe headers', async () => {
    const body = registrationBody({ practiceCode: 'Y02001', events: ['hackney-marshes'], champion: { name: 'Dr Jane Smith', role: 'GP', email: 'jane.smith@nhs.example' } });
    const res = await post(body);
    expect(res.status).toBe(201);
    expect(await confirmFromMailbox(stack, 'jane.smith@nhs.example')).toBe(200);
    const messages = await waitForMail(3, 10_000);
    expect(messages.map((m) => [m.to[0], m.subject]).sort()).toEqual([
      ['jane.smith@nhs.example', 'Confirm your parkrun practice registration'],
      ['jane.smith@nhs.example', 'Meet your parkrun team at Hackney Marshes parkrun'],
      ['priya.hackneymarshes@parkrun.example', 'Riverside Surgery has linked with Hackney Marshes parkrun'],
    ]);
    for (const m of messages) {
      expect(m.headers['List-Unsubscribe']).toMatch(new RegExp(`^<${stack.url}/unsubscribe/[A-Za-z0-9_-]{43}>$`));
      expect(m.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
      expect(m.from).toContain('nudges@');
      expect(m.text.length).toBeGreaterThan(100);
      expect(m.html).toContain('<!doctype html>');
    }
    const toEvent = messages.find((m) => m.to[0]!.startsWith('priya'))!;
    expect(toEvent.text).toContain('jane.smith@nhs.example');
    const toChampion = messages.find((m) => m.to[0] === 'jane.smith@nhs.example' && m.subject.startsWith('Meet'))!;
    expect(toChampion.text).toContain('Event director: Priya Shah, priya.hackneymarshes@parkrun.example');
  });

  it('answers the same registration again with 409 and sends no further email', async () => {
    const before = (await mail()).length;
    const res = await post(registrationBody({ practiceCode: 'Y02001', events: ['hackney-marshes'] }));
    expect(res.status).toBe(409);
    await stack.drain();
    expect((await mail()).length).toBe(before);
  });

  it('honours a one-click unsubscribe from a received email', async () => {
    const [first] = await mail();
    const url = first!.headers['List-Unsubscribe']!.slice(1, -1);
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    expect(res.redirected).toBe(false);
  });
});
