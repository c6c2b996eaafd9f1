/** The takeover pages in Chromium on a phone-sized screen, each checked with axe-core. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/local-stack.js';
import { startTestStack } from '../support/local-stack.js';
import type { MailboxMessage } from '../../local/mailbox.js';
import { axeViolations } from '../support/axe.js';
import { launchChromium } from '../support/browser.js';
import { registrationBody } from '../support/fixtures.js';
import { confirmFromMailbox } from '../support/local-mailbox.js';
import { storySettings } from '../support/local-mailbox.js';

let stack: LocalStack;
let browser: Browser;
let page: Page;
beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ port: 0, start: new Date('2026-11-23T09:00:00Z'), settings: storySettings }), launchChromium()]);
  page = await (await browser.newContext({ viewport: { width: 360, height: 740 }, bypassCSP: true })).newPage();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const mailTo = async (to: string) => ((await (await fetch(`${stack.url}/dev/mail.json`)).json()) as MailboxMessage[]).filter((m) => m.to[0] === to);
const advance = (days: number) => fetch(`${stack.url}/dev/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ days }) });
const link = (m: MailboxMessage, label: string) => new RegExp(`${label}: (\\S+)`).exec(m.text)![1]!;

describe('takeover pages', () => {
  it('are accessible at each step, and work without typing a URL', async () => {
    await fetch(`${stack.url}/api/registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(registrationBody({ practiceCode: 'Y08008', practiceName: 'Axe Surgery', events: ['newcastle'], champion: { name: 'Ada', role: 'GP', email: 'ada@nhs.example' } })),
    });
    expect(await confirmFromMailbox(stack, 'ada@nhs.example')).toBe(200);
    await stack.drain();
    await advance(29);
    const prompt = (await mailTo('ada@nhs.example')).find((m) => m.subject.startsWith('Could Axe Surgery'))!;
    const firstDay = /^Saturday \d+ \w+: (\S+)$/m.exec(prompt.text)![1]!;

    await page.goto(firstDay);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Offer these Saturdays' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Saturdays offered');
    await stack.drain();
    // The offer goes in the directors' next digest: at most one a week, so it may wait some days.
    let digest: MailboxMessage | undefined;
    for (let days = 0; !digest && days < 8; days++) {
      await advance(1);
      digest = (await mailTo('ian.newcastle@parkrun.example')).find((m) => m.subject.includes('would like to take over'));
    }
    if (!digest) throw new Error('no digest with the takeover offer within a week');
    await page.goto(link(digest, 'Choose a date or say no'));
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'None of these suit' }).click();
    await expect.poll(() => page.title()).toContain('A takeover offer');
    expect(await page.getByRole('alert').textContent()).toContain('Say briefly why');
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('input[name=date]').first().check();
    await page.getByRole('button', { name: 'Fix this Saturday' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/^Takeover fixed for Saturday/);
    expect(await axeViolations(page)).toEqual([]);
    await stack.drain();

    // Through the countdown to the two-weeks reminder: roles, then move or cancel.
    const fixed = (await stack.store.partnerships.getLink('Y08008', 'newcastle'))!;
    expect(fixed).toBeDefined();
    // The first Saturday on offer is six or seven weeks on; its two-weeks reminder is five weeks on.
    await advance(38);
    const twoWeeks = (await mailTo('ada@nhs.example')).find((m) => m.subject.startsWith('Two weeks to your takeover'))!;
    await page.goto(link(twoWeeks, 'Most are filled'));
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.getByLabel('Most are filled').isChecked()).toBe(true);
    await page.goto(link(twoWeeks, 'Move or cancel the takeover'));
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Cancel the takeover' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Takeover cancelled');
    expect(await axeViolations(page)).toEqual([]);
  });
});
