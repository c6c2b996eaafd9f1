/**
 * Issue "takeover planning", as a person tries it from `npm start`: move the clock until
 * the planning prompt arrives, choose Saturdays, accept one as the event director from
 * the mailbox, move through the countdown and see each reminder arrive at its time,
 * answer the after-the-day question, and see the takeover recorded as done.
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
  stack = await startTestStack({ port: 0, start: new Date('2026-11-23T09:00:00Z'), settings: storySettings });
});
afterAll(async () => {
  await stack?.stop();
});

const champion = 'takeover.champion@nhs.example';
const mailTo = async (to: string) => ((await (await fetch(`${stack.url}/dev/mail.json`)).json()) as MailboxMessage[]).filter((m) => m.to[0] === to);
const advance = (days: number) =>
  fetch(`${stack.url}/dev/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ days }) }).then((r) => r.json());
const post = (url: string, body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
const linkAfter = (text: string, label: string) => new RegExp(`${label}: (\\S+)`).exec(text)?.[1];

describe('a takeover from prompt to done', () => {
  it('is planned, fixed, counted down, and recorded', async () => {
    expect((await fetch(`${stack.url}/api/registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(registrationBody({ practiceCode: 'Y07007', practiceName: 'Takeover Surgery', events: ['southampton'], champion: { name: 'Tess', role: 'Practice nurse', email: champion } })),
    })).status).toBe(201);
    expect(await confirmFromMailbox(stack, champion)).toBe(200);
    await stack.drain();

    // The first prompt comes four weeks after the introduction, on the Monday run.
    await advance(29);
    const prompt = (await mailTo(champion)).find((m) => m.subject === 'Could Takeover Surgery take over Southampton parkrun one Saturday?');
    expect(prompt).toBeDefined();
    const firstDate = /^(Saturday \d+ \w+): (\S+)$/m.exec(prompt!.text)!;
    const secondDate = [...prompt!.text.matchAll(/^(Saturday \d+ \w+): (\S+)$/gm)][1]!;
    const dateOf = (url: string) => new URL(url).searchParams.get('date')!;

    // Offering a day not on offer is refused, and nothing is stored.
    const refused = await post(firstDate[2]!, 'dates=2026-12-25');
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('not one of the Saturdays on offer');
    const offered = await post(firstDate[2]!, `dates=${dateOf(firstDate[2]!)}&dates=${dateOf(secondDate[2]!)}`);
    expect(offered.status).toBe(200);
    await stack.drain();

    // The offer reaches the event director in their digest, within the hour.
    await advance(1 / 24);
    const digest = (await mailTo('gareth.southampton@parkrun.example')).find((m) => m.subject === 'Southampton parkrun: a practice would like to take over');
    expect(digest?.text).toContain(`Takeover Surgery (Tess, ${champion}) offers: ${firstDate[1]}, ${secondDate[1]}`);
    const offerUrl = linkAfter(digest!.text, 'Choose a date or say no')!;
    expect((await fetch(offerUrl)).status).toBe(200);
    const fixed = await post(offerUrl, `date=${dateOf(firstDate[2]!)}`);
    expect(fixed.status).toBe(200);
    expect(await fixed.text()).toContain(`Takeover fixed for ${firstDate[1]}`);
    await stack.drain();

    // Countdown: each reminder arrives at its time, and no sooner.
    const subjects = async () => (await mailTo(champion)).map((m) => m.subject);
    const saturday = new Date(`${dateOf(firstDate[2]!)}T09:00:00Z`);
    const daysTo = (target: Date) => (target.getTime() - stack.clock.now().getTime()) / 86_400_000;
    await advance(daysTo(new Date(saturday.getTime() - 43 * 86_400_000)));
    expect(await subjects()).not.toContain('Six weeks to your takeover of Southampton parkrun');
    await advance(daysTo(new Date(saturday.getTime() - 30 * 86_400_000)));
    expect(await subjects()).toContain('Six weeks to your takeover of Southampton parkrun');
    expect(await subjects()).not.toContain('Two weeks to your takeover of Southampton parkrun');
    await advance(daysTo(new Date(saturday.getTime() - 4 * 86_400_000)));
    expect(await subjects()).toContain('Two weeks to your takeover of Southampton parkrun');
    expect(await subjects()).not.toContain('This Saturday: your takeover of Southampton parkrun');
    await advance(daysTo(new Date(saturday.getTime() - 1 * 86_400_000)));
    expect(await subjects()).toContain('This Saturday: your takeover of Southampton parkrun');
    expect((await mailTo('gareth.southampton@parkrun.example')).map((m) => m.subject)).toContain('This Saturday: Takeover Surgery takes over');
    await advance(daysTo(new Date(saturday.getTime() + 3 * 86_400_000)));
    const after = (await mailTo(champion)).find((m) => m.subject === `How did the takeover on ${firstDate[1]} go?`);
    expect(after).toBeDefined();

    const outcomeUrl = linkAfter(after!.text, 'Tell us how it went')!;
    expect((await post(outcomeUrl, 'happened=yes&staffVolunteered=lots&again=yes')).status).toBe(400);
    const answered = await post(outcomeUrl, 'happened=yes&staffVolunteered=14&again=yes');
    expect(answered.status).toBe(200);
    const link = await stack.store.partnerships.getLink('Y07007', 'southampton');
    expect(link?.activities?.['volunteer-takeover']?.status).toBe('done');
    expect(link?.status).toBe('active');
    // The answer counts as contact, just now (the local clock keeps ticking, so within a minute).
    expect(Math.abs(new Date(link!.lastContactAt!).getTime() - stack.clock.now().getTime())).toBeLessThan(60_000);
    // Eleven weeks of a takeover's life with every run that has work: about 25 s on a quiet
    // 2-core machine, 50 at a load of 9; the run's 120 s limit tripped beside a simulated year.
  }, 300_000);
});
