/** A practice manager registers through the form in a real browser, and the introductions arrive. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/local-stack.js';
import { startTestStack } from '../support/local-stack.js';
import { workingMonday } from '../support/fixtures.js';
import type { MailboxMessage } from '../../local/mailbox.js';
import { launchChromium } from '../support/browser.js';
import { axeViolations } from '../support/axe.js';

let stack: LocalStack;
let browser: Browser;
let page: Page;
beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ port: 0, start: workingMonday }), launchChromium()]);
  // bypassCSP only so that axe-core can be injected.
  page = await (await browser.newContext({ bypassCSP: true })).newPage();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function fillPractice(p: Page, values: { code: string; email: string }) {
  await p.getByLabel('Practice code').fill(values.code);
  await p.getByLabel('Practice name').fill('Marsh Lane & "Sons" Surgery');
  await p.getByLabel('Postcode').fill('e9 5ht');
  await p.getByLabel('Full name').fill('Dr Sam Patel');
  await p.getByLabel('Role').fill('GP');
  await p.getByLabel('Email').fill(values.email);
  await p.getByLabel('parkrun event', { exact: true }).selectOption({ label: 'Colwick parkrun' });
  await p.getByLabel('No, please introduce us').check();
}

describe('the registration form in Chromium', () => {
  it('shows what is wrong beside each field and keeps what was typed', async () => {
    await page.goto(`${stack.url}/register`);
    await fillPractice(page, { code: 'A81', email: 'sam.patel@nhs.example' });
    await page.getByRole('button', { name: 'Register the practice' }).click();
    await expect.poll(() => page.title()).toContain('Check your registration');
    expect(await page.getByRole('alert').textContent()).toContain('Practice code must be an ODS code');
    expect(await page.getByLabel('Practice code').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Practice name').inputValue()).toBe('Marsh Lane & "Sons" Surgery');
  });

  it('registers, the champion confirms from the email, and the introductions reach the mailbox', async () => {
    await page.goto(`${stack.url}/register`);
    await fillPractice(page, { code: 'Y03003', email: 'sam.patel@nhs.example' });
    await page.getByRole('button', { name: 'Register the practice' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Thank you: now check your email');
    expect(await page.locator('main').textContent()).toContain('Colwick parkrun');

    // Only the champion hears, until they confirm.
    const messages = async () => (await (await fetch(`${stack.url}/dev/mail.json`)).json()) as MailboxMessage[];
    await expect.poll(async () => (await messages()).map((m) => [m.to[0], m.subject]), { timeout: 60_000 }).toEqual([['sam.patel@nhs.example', 'Confirm your parkrun practice registration']]);
    const confirmUrl = /(https?:\/\/\S+\/confirm\/\S+)$/m.exec((await messages())[0]!.text)![1]!;
    await page.goto(confirmUrl);
    expect(await page.locator('h1').textContent()).toBe('Confirm your parkrun practice registration');
    expect(await page.locator('main').textContent()).toContain('Marsh Lane & "Sons" Surgery (Y03003)');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Confirm the registration' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Thank you, Marsh Lane & "Sons" Surgery is registered');

    await expect.poll(async () => (await messages()).length, { timeout: 60_000 }).toBe(3);
    await page.goto(`${stack.url}/dev/mail`);
    expect(await page.locator('h2').allTextContents()).toEqual(
      expect.arrayContaining(['Marsh Lane & "Sons" Surgery has linked with Colwick parkrun', 'Meet your parkrun team at Colwick parkrun']),
    );
  });
});
