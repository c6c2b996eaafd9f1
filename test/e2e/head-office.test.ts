/**
 * Issue "head office", as an analyst tries it from `npm start`: sign in as the demo
 * head-office address with the link from the local mailbox, see the dashboard with the
 * demo data and its charts, open the links at risk and one link's story, export the list
 * as CSV, filter by region, and sign out. In Chromium on a tablet-sized screen, with
 * axe-core on every page.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/local-stack.js';
import { startTestStack } from '../support/local-stack.js';
import { workingMonday } from '../support/fixtures.js';
import type { MailboxMessage } from '../../local/mailbox.js';
import { axeViolations } from '../support/axe.js';
import { launchChromium } from '../support/browser.js';

let stack: LocalStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ port: 0, start: workingMonday }), launchChromium()]);
  context = await browser.newContext({ viewport: { width: 1024, height: 768 }, bypassCSP: true });
  page = await context.newPage();
  await stack.drain(); // the demo data counted
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const headOffice = 'headoffice@parkrun.example';
const mailTo = async (to: string) => ((await (await fetch(`${stack.url}/dev/mail.json`)).json()) as MailboxMessage[]).filter((m) => m.to[0] === to);

describe('the head-office dashboard from npm start', () => {
  it('signs in from the mailbox, shows the figures, lists and exports the links at risk, filters, and signs out', async () => {
    // Without a session, the dashboard sends a browser to sign in.
    await page.goto(`${stack.url}/head-office`);
    expect(new URL(page.url()).pathname).toBe('/head-office/sign-in');
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('#f-email', headOffice);
    await page.click('button[type=submit]');
    expect(await page.textContent('h1')).toBe('Check your email');
    expect(await axeViolations(page)).toEqual([]);
    await stack.drain();
    const mail = (await mailTo(headOffice)).at(-1)!;
    const link = /Sign in to the head-office dashboard \(works once, for 15 minutes\): (\S+)/.exec(mail.text)![1]!;
    await page.goto(link);
    expect(await axeViolations(page)).toEqual([]);
    await page.click('button[type=submit]');

    // The dashboard, with the demo data and its charts.
    expect(new URL(page.url()).pathname).toBe('/head-office');
    expect(await page.textContent('h1')).toBe('Practice links across the whole country');
    expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(3);
    expect(await page.textContent('.tiles')).toContain('Events with no linked practice4of 12 events');
    expect(await axeViolations(page)).toEqual([]);

    // The links at risk, and one link's story.
    await page.click('text=See the links at risk');
    expect(await page.textContent('h1')).toBe('At risk links in the whole country');
    const rows = await page.locator('tbody tr').allTextContents();
    expect(rows.some((r) => r.includes('Heaton Park Road Surgery'))).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    const csv = await page.request.get(await page.getAttribute('text=Download this list as CSV', 'href').then((h) => `${stack.url}${h}`));
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(await csv.text()).toContain('P84060.heatonpark,Heaton Park Road Surgery,P84060,Heaton Park parkrun,North West,England,at-risk');
    await page.click('text=Heaton Park Road Surgery');
    expect(await page.textContent('h1')).toBe('Heaton Park Road Surgery and Heaton Park parkrun');
    expect(await axeViolations(page)).toEqual([]);

    // A filter: one region.
    await page.goto(`${stack.url}/head-office`);
    await page.selectOption('#f-scope', 'region:London');
    await page.click('.filters button');
    expect(await page.textContent('h1')).toBe('Practice links across London');
    expect(await axeViolations(page)).toEqual([]);

    // On a phone (390 px), nothing is wider than the screen: wide tables scroll inside their own box.
    await page.setViewportSize({ width: 390, height: 844 });
    const fitsThePhone = async (heading: string) => {
      expect(await page.textContent('h1')).toBe(heading);
      expect(await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth })), heading).toEqual({ page: 390, screen: 390 });
      expect(await axeViolations(page), heading).toEqual([]);
    };
    await page.goto(`${stack.url}/head-office`);
    await fitsThePhone('Practice links across the whole country');
    await page.click('text=See the links at risk');
    await fitsThePhone('At risk links in the whole country');
    await page.setViewportSize({ width: 1024, height: 768 });

    // Signing out ends the session: the dashboard asks for a sign-in again.
    await page.click('.sign-out button');
    expect(await page.textContent('main')).toContain('You are signed out.');
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${stack.url}/head-office`);
    expect(new URL(page.url()).pathname).toBe('/head-office/sign-in');
    expect((await page.request.get(`${stack.url}/head-office/series.csv`)).status()).toBe(401);
  });
});
