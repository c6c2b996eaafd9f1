/**
 * Issue "quiet-link nudges", as a person tries it from `npm start`: move the local clock
 * 43 days and the champion's nudge is in the mailbox; answer "we're in touch" and the
 * link is no longer quiet; move on past the next rungs for another link and see the
 * event director's digest and the at-risk flag.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/local-stack.js';
import { startTestStack } from '../support/local-stack.js';
import type { MailboxMessage } from '../../local/mailbox.js';
import { registrationBody } from '../support/fixtures.js';
import { confirmFromMailbox } from '../support/local-mailbox.js';
import { storySettings } from '../support/local-mailbox.js';

let stack: LocalStack;
beforeAll(async () => {
  // A Tuesday morning, so the 42nd day is a weekday: practices are mailed only then.
  stack = await startTestStack({ port: 0, start: new Date('2026-11-24T09:30:00Z'), settings: storySettings });
});
afterAll(async () => {
  await stack?.stop();
});

const mail = async () => (await (await fetch(`${stack.url}/dev/mail.json`)).json()) as MailboxMessage[];
const advance = (days: number) =>
  fetch(`${stack.url}/dev/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ days }) }).then((r) => r.json());
/** Registers, and the champion confirms from the email: the answer to the registration itself. */
const register = async (code: string, email: string, events: string[]) => {
  const res = await fetch(`${stack.url}/api/registrations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(registrationBody({ practiceCode: code, practiceName: `Practice ${code}`, events, champion: { name: 'Sam', role: 'GP', email } })),
  });
  if (res.status === 201) expect(await confirmFromMailbox(stack, email)).toBe(200);
  return res;
};

describe('quiet-link nudges from npm start', () => {
  it('nudges, is answered, digests and flags at risk', async () => {
    const events = await (await fetch(`${stack.url}/register`)).text();
    expect(events).toContain('Bushy parkrun');
    expect((await register('Y05005', 'answers@nhs.example', ['bushy'])).status).toBe(201);
    expect((await register('Y06006', 'silent@nhs.example', ['colwick'])).status).toBe(201);
    await stack.drain();

    await advance(43);
    const ours = ['answers@nhs.example', 'silent@nhs.example'];
    const nudges = (await mail()).filter((m) => m.subject.endsWith('time to say hello') && ours.includes(m.to[0]!));
    expect(nudges.map((m) => m.to[0]).sort()).toEqual(['answers@nhs.example', 'silent@nhs.example']);
    const nudge = nudges.find((m) => m.to[0] === 'answers@nhs.example')!;
    expect((await stack.store.partnerships.getLink('Y05005', 'bushy'))?.status).toBe('quiet');
    // The first nudge also puts the silent link in the Colwick director's next digest.
    const digests = async () => (await mail()).filter((m) => m.subject === 'Colwick parkrun: 1 practice link could do with a hello').map((m) => m.to[0]);
    expect(await digests()).toEqual(['helen.colwick@parkrun.example']);

    const inTouch = /We're in touch: (\S+)/.exec(nudge.text)![1]!;
    const answered = await fetch(inTouch, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(answered.status).toBe(200);
    expect(await stack.store.partnerships.getLink('Y05005', 'bushy')).toMatchObject({ status: 'active', ladder: { rung: 0 } });

    // The second nudge falls due 14 days on; the month's feedback ask may have spent the
    // champion's budget of unasked email that week, so it can wait up to a week more.
    await advance(22);
    const stillThere = (await mail()).filter((m) => m.subject.startsWith('Still there?') && ours.includes(m.to[0]!));
    expect(stillThere.map((m) => m.to[0])).toEqual(['silent@nhs.example']);
    // The second nudge keeps it in her next digest, once her digest interval since the last is out.
    expect(await digests()).toEqual(['helen.colwick@parkrun.example', 'helen.colwick@parkrun.example']);

    await advance(15);
    expect((await stack.store.partnerships.getLink('Y06006', 'colwick'))?.status).toBe('at-risk');
    expect((await stack.store.partnerships.getLink('Y05005', 'bushy'))?.status).toBe('active');
    const home = await (await fetch(`${stack.url}/`)).text();
    expect(home).toMatch(/<tr class="at-risk"><td>Colwick parkrun<\/td><td>Practice Y06006 \(Y06006\)<\/td><td>at-risk<\/td>/);
  });
});
