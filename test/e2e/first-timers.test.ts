/**
 * Issue "attendance feedback and first-timer contacts", as a person tries it from
 * `npm start` (demo data, local mailbox, local clock), with the pages in Chromium on a
 * phone-sized screen and each checked with axe-core: move to the first week of a month
 * and see the asks (one waiting a week for its reader's budget); answer one; say two patients are coming; see the directors' monthly
 * summary; name and confirm a first-timer contact; move to the Thursday before and see
 * both notices.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/local-stack.js';
import { startTestStack } from '../support/local-stack.js';
import type { MailboxMessage } from '../../local/mailbox.js';
import { axeViolations } from '../support/axe.js';
import { launchChromium } from '../support/browser.js';
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

const mail = async () => (await (await fetch(`${stack.url}/dev/mail.json`)).json()) as MailboxMessage[];
const mailTo = async (to: string) => (await mail()).filter((m) => m.to[0] === to);
const advanceTo = async (iso: string) => {
  const days = (new Date(iso).getTime() - stack.clock.now().getTime()) / 86_400_000;
  await fetch(`${stack.url}/dev/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ days }) });
  await stack.drain();
};
/** The URL after `label`; with `about`, the one for that link (a round-up can carry the same label for two links). */
const link = (m: MailboxMessage, label: string, about = '') => new RegExp(`${label.replace(/[?()]/g, '\\$&')}: (\\S*${about.replace('.', '\\.')}\\S*)`).exec(m.text)?.[1];

const champion = 'anna.lewis@nhs.example'; // Hampton Wick Surgery, linked with Bushy parkrun
const director = 'sarah.bushy@parkrun.example';
const volunteer = 'sam.first.timers@runners.example';

describe('feedback and first-timer contacts from npm start', () => {
  it('asks, answers, summarises, names and confirms a contact, and tells both sides before the Saturday', async () => {
    // The first Tuesday of December, 10:00: the month's asks.
    await advanceTo('2026-12-01T10:30:00Z');
    const asks = (await mail()).filter((m) => m.subject.startsWith('November 2026 at '));
    // The live links are asked; a quiet one (Preston Road's, nudged before the demo began) is not: its champion is nudged to say hello instead.
    expect(asks.length).toBeGreaterThanOrEqual(6);
    expect(asks.filter((m) => m.subject.startsWith('November 2026 at Preston Road Practice'))).toEqual([]);
    // Anna had Monday's takeover prompt: her budget of unasked email is spent until the next
    // Monday, so her ask waits for it (core/policies/mail-budget.ts).
    const askSubject = 'November 2026 at Hampton Wick Surgery: how many patients did you point to Bushy parkrun?';
    expect((await mailTo(champion)).map((m) => m.subject)).not.toContain(askSubject);
    // Monday's jobs at 10:00 race for her budget: the nudge about her quiet Hackney Marshes link
    // (quiet, so not asked) may take it first, and the ask waits until its reminder, a week on,
    // takes its place. Either way, by the second Monday the question has reached her.
    await advanceTo('2026-12-14T10:30:00Z');
    const ask = (await mailTo(champion)).find((m) => [askSubject, 'Reminder: November 2026 at Hampton Wick Surgery and Bushy parkrun'].includes(m.subject) || m.text.includes(askSubject))!;
    expect(ask.text.match(/Choose which emails you get/g)).toHaveLength(1);
    expect(ask.text).toContain('never a name or anything else that could identify a patient');

    await page.goto(link(ask, 'Tell us about November 2026', '/E84001.bushy/')!);
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('#f-suggested', '9');
    await page.fill('#f-attended', '3');
    await page.check('#f-staff');
    await page.click('button[type=submit]');
    expect(await page.textContent('h1')).toBe('Thank you');
    expect(await page.textContent('.done')).toContain('suggested parkrun to 9 patients, 3 known to have come; staff walked');
    expect(await axeViolations(page)).toEqual([]);

    // From the same email: two patients plan to come on Saturday 19 December.
    await page.goto(link(ask, 'Patients coming on a Saturday soon? Tell the event team', '/E84001.bushy/')!);
    expect(await page.textContent('main')).toContain('Tell your patients to ask for Jo');
    expect(await axeViolations(page)).toEqual([]);
    await page.selectOption('#f-date', '2026-12-19');
    await page.fill('#f-count', '2');
    await page.click('form:not(:has(input[value=cancel])) button[type=submit]');
    expect(await page.textContent('h1')).toBe('Thank you: the event team will expect them');
    await stack.drain();

    // The third Tuesday: the month's summary in the directors' digest.
    await advanceTo('2026-12-15T11:30:00Z');
    const digest = (await mailTo(director)).find((m) => m.subject.includes('what practices told us about November 2026'))!;
    expect(digest.text).toContain('Hampton Wick Surgery: suggested parkrun to 9 patients, 3 known to have come; staff walked');

    // The director changes the first-timer contact from the digest; Sam confirms.
    const contactUrl = /Your first-timer contact: Jo, [^\n]*Change: (\S+)/.exec(digest.text)![1]!;
    await page.goto(contactUrl);
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('#f-firstName', 'Sam');
    await page.fill('#f-whereToFind', 'by the start funnel in a pink First Timers vest at 08:50');
    await page.fill('#f-email', volunteer);
    await page.click('button[type=submit]');
    expect(await page.textContent('h1')).toBe('Sam named');
    await stack.drain();
    const confirm = (await mailTo(volunteer)).find((m) => m.subject === "Will you be Bushy parkrun's first-timer contact?")!;
    await page.goto(link(confirm, 'Confirm, or say no')!);
    expect(await axeViolations(page)).toEqual([]);
    await page.click('text=Yes, I\'ll be the first-timer contact');
    expect(await page.textContent('h1')).toBe('Thank you for confirming');
    expect(await axeViolations(page)).toEqual([]);

    // Thursday 17 December, 10:00: both notices.
    await advanceTo('2026-12-17T10:30:00Z');
    const notice = (await mailTo(champion)).find((m) => m.subject === 'Saturday 19 December at Bushy parkrun: tell your patients to ask for Sam');
    expect(notice?.text).toContain('Please tell them to ask for Sam, by the start funnel in a pink First Timers vest at 08:50.');
    const expect2 = (await mailTo(volunteer)).find((m) => m.subject === 'Expect about 2 newcomers from Hampton Wick Surgery this Saturday');
    expect(expect2).toBeDefined();
    // Jo, replaced before the day, hears nothing about it.
    expect((await mailTo('jo.bushy@parkrun.example')).filter((m) => m.subject.startsWith('Expect'))).toEqual([]);
    // Weeks of scheduled runs over the demo data, and a browser: minutes on a busy machine.
  }, 240_000);
});
