/**
 * From `npm start`'s world, as a person: open an email in the local mailbox, follow its
 * link, confirm, and see the change in the data and on a second visit. axe-core checks
 * every page on the way for WCAG 2.2 AA.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/local-stack.js';
import { startTestStack } from '../support/local-stack.js';
import type { MailboxMessage } from '../../local/mailbox.js';
import { axeViolations } from '../support/axe.js';
import { launchChromium, openEmail } from '../support/browser.js';
import { registrationBody, workingMonday } from '../support/fixtures.js';
import { confirmFromMailbox } from '../support/local-mailbox.js';

let stack: LocalStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ port: 0, start: workingMonday }), launchChromium()]);
  // A phone-sized screen; bypassCSP only so that axe-core can be injected.
  context = await browser.newContext({ viewport: { width: 360, height: 740 }, bypassCSP: true });
  page = await context.newPage();
  const res = await fetch(`${stack.url}/api/registrations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(registrationBody({ practiceCode: 'Y04004', practiceName: 'Riverside Surgery', events: ['cardiff'] })),
  });
  expect(res.status).toBe(201);
  expect(await confirmFromMailbox(stack, 'jane.smith@nhs.example')).toBe(200);
  await stack.drain();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function mail(): Promise<MailboxMessage[]> {
  return (await (await fetch(`${stack.url}/dev/mail.json`)).json()) as MailboxMessage[];
}

/** Opens the mailbox, finds the newest email with this subject, and clicks a link in it. */
async function clickInEmail(subject: string, linkText: string | RegExp) {
  const article = await openEmail(page, stack.url, subject);
  await article.frameLocator('iframe').getByRole('link', { name: linkText }).first().click();
  await page.waitForURL(/\/links\/|\/preferences\/|\/handovers\//);
}

async function expectAccessible() {
  expect(await axeViolations(page)).toEqual([]);
}

const link = () => stack.store.partnerships.getLink('Y04004', 'cardiff');
const toEventTeam = 'Riverside Surgery has linked with Cardiff parkrun';
const toChampion = 'Meet your parkrun team at Cardiff parkrun';

describe('magic links in a real browser', () => {
  it("records we're in touch from the event director's email, and shows it on a second visit", async () => {
    await clickInEmail(toEventTeam, "We're in touch");
    const url = page.url();
    expect(await page.locator('h1').textContent()).toBe("Tell us you're in touch");
    await expectAccessible();
    await page.getByLabel('In person at parkrun').check();
    await page.getByRole('button', { name: "Record that we're in touch" }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe("Thank you: you're in touch");
    await expectAccessible();
    expect(await link()).toMatchObject({ status: 'active', lastContactBy: 'event', lastContactHow: 'in-person' });

    await page.goto(url);
    expect(await page.locator('h1').textContent()).toBe('This link has already been used');
    expect(await page.locator('.summary').textContent()).toContain('recorded by the event team (in person at parkrun)');
    await expectAccessible();
    await page.getByRole('button', { name: 'Email me a new link' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('New link on its way');
    await expectAccessible();
    await stack.drain();
    expect((await mail()).some((m) => m.subject === "Your new link: Tell us you're in touch")).toBe(true);
  });

  it('records activities from the champion’s email', async () => {
    await clickInEmail(toChampion, 'Record what you have done or planned');
    await expectAccessible();
    await page.getByRole('group', { name: 'Give the practice parkrun flyers and posters' }).getByLabel('Done').check();
    await page.getByRole('group', { name: 'A practice volunteer takeover' }).getByLabel('Open to the idea').check();
    await page.getByRole('button', { name: 'Save activities' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Activities saved');
    await expectAccessible();
    const activities = (await link())?.activities ?? {};
    expect(activities['flyers-posters']?.status).toBe('done');
    expect(activities['volunteer-takeover']?.status).toBe('open');
  });

  it('pauses reminders for the months chosen in the email', async () => {
    await clickInEmail(toChampion, '3 months');
    await expectAccessible();
    expect(await page.getByLabel('3 months').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Pause reminders' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Reminders paused');
    expect((await link())?.pausedUntil).toBeDefined();
  });

  it('hands over to a colleague, who accepts from their own email and is welcomed with their own links', async () => {
    await clickInEmail(toEventTeam, 'Hand over to a colleague');
    await expectAccessible();
    await page.getByRole('button', { name: 'Hand over' }).click();
    await expect.poll(() => page.title()).toContain('Check your answer');
    await expectAccessible();
    await page.getByLabel('Their name').fill('Owain Price');
    await page.getByLabel(/Their role/).fill('Co-event director');
    await page.getByLabel('Their email').fill('owain@parkrun.example');
    await page.getByRole('button', { name: 'Hand over' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('We have asked Owain Price to accept');
    await stack.drain();
    expect((await stack.store.events.getEvents(['cardiff'])).get('cardiff')?.eventDirectors.map((d) => d.email)).toContain('rhys.cardiff@parkrun.example');
    await clickInEmail('Rhys Evans would like to hand over to you', 'Accept the hand-over');
    await expectAccessible();
    await page.getByRole('button', { name: 'Accept the hand-over' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Thank you, you are an event director of Cardiff parkrun');
    await expectAccessible();
    expect((await stack.store.events.getEvents(['cardiff'])).get('cardiff')?.eventDirectors.map((d) => d.email)).toContain('owain@parkrun.example');
    await stack.drain();
    const welcome = (await mail()).find((m) => m.to[0] === 'owain@parkrun.example' && m.subject.includes('has handed over'));
    expect(welcome?.subject).toBe('Rhys Evans has handed over to you: an event director of Cardiff parkrun');
    await clickInEmail(welcome!.subject, "We're in touch");
    expect(await page.locator('h1').textContent()).toBe("Tell us you're in touch");
  });

  it('lets a person choose which emails they get, from the footer link', async () => {
    await clickInEmail(toChampion, 'Choose which emails you get, or stop them');
    await expectAccessible();
    await page.getByLabel(/Summaries for event directors/).uncheck();
    await page.getByRole('button', { name: 'Save my choices' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Saved');
    await expectAccessible();
    expect(await stack.store.optOuts.getPreferences('jane.smith@nhs.example')).toMatchObject({ stopped: ['digests'] });
    await page.getByRole('button', { name: 'Stop all emails' }).click();
    await expect.poll(() => page.locator('.done').textContent()).toContain('We will not send any more emails');
    expect(await stack.store.optOuts.isOptedOut('jane.smith@nhs.example', 'introductions')).toBe(true);
  });

  it('has an accessibility check that does find problems', async () => {
    await page.setContent('<html><body><main><input type="text"><img src="x.png"></main></body></html>');
    const found = await axeViolations(page);
    expect(found.map((v) => v.split(' ')[0])).toEqual(expect.arrayContaining(['label', 'image-alt', 'html-has-lang']));
  });

  it('explains a tampered link accessibly', async () => {
    await page.goto(`${stack.url}/links/Y04004.cardiff/in-touch/${'x'.repeat(43)}`);
    expect(await page.locator('h1').textContent()).toBe('We do not recognise this link');
    await expectAccessible();
  });

  it('has an accessible registration form, unsubscribe page and mailbox link targets', async () => {
    await page.goto(`${stack.url}/register`);
    await expectAccessible();
    await page.getByRole('button', { name: 'Register the practice' }).click();
    await expect.poll(() => page.title()).toContain('Check your registration');
    await expectAccessible();
    const header = (await mail()).find((m) => m.subject === toEventTeam)!.headers['List-Unsubscribe']!.slice(1, -1);
    await page.goto(header);
    await expectAccessible();
  });
});
