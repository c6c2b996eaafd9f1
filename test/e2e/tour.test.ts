/**
 * The tour in docs/local.md, as a person takes it from `npm start` in Chromium, with the
 * local home page's buttons: started on a Sunday and on a Wednesday, it must show the same
 * things, because each button runs the clock to just past a scheduled run, whatever the
 * date. Demo data as `npm start` loads it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/local-stack.js';
import { startTestStack } from '../support/local-stack.js';
import { launchChromium, openEmail } from '../support/browser.js';
import { confirmFromMailbox, mailboxOf } from '../support/local-mailbox.js';
import { registrationBody } from '../support/fixtures.js';
import { localDocumentClient } from '../../local/dynamodb-local.js';
import { ScanCommand } from '../../functions/adapters/dynamo/document-client.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** The London time of the local clock, as the home page's heading gives it. */
const clockOf = async (stack: LocalStack) => new Date(((await (await fetch(`${stack.url}/dev/clock`)).json()) as { now: string }).now);

/** Registers a practice with Bushy parkrun, and its champion confirms from the email. */
async function register(stack: LocalStack, code: string, name: string, email: string) {
  const registered = await fetch(`${stack.url}/api/registrations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(registrationBody({ practiceCode: code, practiceName: name, events: ['bushy'], champion: { name: 'Tess', role: 'Practice manager', email } })),
  });
  expect(registered.status).toBe(201);
  expect(await confirmFromMailbox(stack, email)).toBe(200);
  await stack.drain();
}

/**
 * Presses a home-page button and waits for the page after it. A button runs every job due
 * on the way (weeks of them for "Advance 43 days"): minutes on a busy machine, so the tour's
 * page waits up to four (`tourPage`), not the 100 s every other page gets (browser.ts).
 */
async function press(page: Page, stack: LocalStack, name: RegExp | string) {
  await page.goto(stack.url);
  await page.getByRole('button', { name }).click();
  await page.waitForURL(`${stack.url}/`);
}

async function tourPage(): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(240_000);
  page.setDefaultNavigationTimeout(240_000);
  return page;
}

const starts = [
  { day: 'a Sunday', start: new Date('2026-12-06T15:00:00Z') },
  { day: 'a Wednesday', start: new Date('2027-03-10T11:30:00Z') },
];

describe('moving the local clock', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startTestStack({ port: 0, start: starts[1]!.start, demoData: false });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  const post = (path: string, body: unknown) => fetch(`${stack.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('refuses an advance of nothing, a negative or a non-number, and an unknown moment, and leaves the clock', async () => {
    const before = await clockOf(stack);
    for (const body of [{}, { days: 0 }, { hours: -1 }, { hours: 'soon' }, { days: 3651 }]) {
      const res = await post('/dev/clock/advance', body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toContain('days and hours');
    }
    const unknown = await post('/dev/clock/run-to', { to: 'lunch' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toContain('sweep, prompts, asks, notices, held-mail');
    // With no plan fixed there is no reminder to run to: said, not guessed.
    const none = await post('/dev/clock/run-to', { to: 'notices' });
    expect(none.status).toBe(409);
    expect((await clockOf(stack)).getTime() - before.getTime()).toBeLessThan(60_000);
  });

  it('moves by hours and days together, and to just past the next run of a job', async () => {
    const before = await clockOf(stack);
    const moved = (await (await post('/dev/clock/advance', { days: 1, hours: 2 })).json()) as { now: string };
    expect(new Date(moved.now).getTime() - before.getTime()).toBeGreaterThanOrEqual(26 * 3_600_000);
    const ran = (await (await post('/dev/clock/run-to', { to: 'sweep' })).json()) as { now: string; ran: string; runs: Array<{ job: string; at: string }> };
    expect(ran.runs).toContainEqual(expect.objectContaining({ job: 'quiet-link-sweep', at: ran.ran }));
    // It is the next sweep: none ran before it on the way.
    expect(ran.runs.filter((r) => r.job === 'quiet-link-sweep')).toHaveLength(1);
    // A minute past it, and the seconds the local clock ran on in real time meanwhile.
    const past = new Date(ran.now).getTime() - new Date(ran.ran).getTime();
    expect(past).toBeGreaterThanOrEqual(60_000);
    expect(past).toBeLessThan(120_000);
  });
});

describe.each(starts)('the tour, started on $day', ({ start }) => {
  let stack: LocalStack;
  let page: Page;
  beforeAll(async () => {
    stack = await startTestStack({ port: 0, start });
    page = await tourPage();
  });
  afterAll(async () => {
    await page?.close();
    await stack?.stop();
  });

  it('introduces a new practice, prompts a takeover, asks for the month, and marks a link quiet 43 days on and nudges it, one button each', async () => {
    // 1. Register and confirm: the champion's introduction waits for practice hours at most.
    await register(stack, 'Y07007', 'Tour Street Surgery', 'tour@nhs.example');
    await press(page, stack, /^held-mail run: /);
    const intro = await openEmail(page, stack.url, 'Meet your parkrun team at Bushy parkrun', 'tour@nhs.example');
    expect(await intro.locator('dd').first().textContent()).toBe('tour@nhs.example');
    expect(await page.locator('details[name="message"]').count()).toBe((await mailboxOf(stack)).filter((m) => m.to.includes('tour@nhs.example')).length);

    // 2. Monday's prompts: the first demo links are due on the next Monday.
    const before = await clockOf(stack);
    await press(page, stack, /^Monday's takeover prompts: /);
    const monday = await clockOf(stack);
    expect(monday.getTime() - before.getTime()).toBeLessThanOrEqual(7 * 86_400_000 + 120_000);
    expect(monday.toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'Europe/London' })).toBe('Monday');
    expect((await mailboxOf(stack)).filter((m) => /take over .* one Saturday/.test(m.subject) && m.sentAt >= before.toISOString()).length).toBeGreaterThan(0);

    // 3. The first Tuesday's asks: the live demo links' champions are asked about last month
    // (the new link's ask may wait a week, if its planning prompt came the day before).
    await press(page, stack, /^first Tuesday's feedback asks: /);
    const tuesday = await clockOf(stack);
    expect(tuesday.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', timeZone: 'Europe/London' })).toMatch(/^Tuesday [1-7]$/);
    const asks = (await mailboxOf(stack)).filter((m) => /how many patients did you point to/.test(m.subject) && m.sentAt >= monday.toISOString());
    expect(asks.length).toBeGreaterThan(0);

    // 4. A second practice, an hour on, then 43 days without contact: its row is amber, quiet,
    // and its champion's nudge has gone, or waits for their next slot if this month's two are spent.
    await register(stack, 'Y08008', 'Second Street Surgery', 'second@nhs.example');
    await press(page, stack, 'Advance an hour');
    // The local clock also runs on in real time between reads: an hour and up to a few minutes.
    const moved = (await clockOf(stack)).getTime() - tuesday.getTime();
    expect(moved).toBeGreaterThanOrEqual(3_600_000);
    expect(moved).toBeLessThan(3_600_000 + 120_000);
    await press(page, stack, 'Advance 43 days');
    expect((await stack.store.partnerships.getLink('Y08008', 'bushy'))?.status).toBe('quiet');
    expect(await page.locator('tr', { hasText: 'Second Street Surgery (Y08008)' }).getAttribute('class')).toBe('quiet');
    const sent = (await mailboxOf(stack)).some((m) => m.to.includes('second@nhs.example') && m.subject === 'Second Street Surgery and Bushy parkrun: time to say hello');
    const held = await localDocumentClient(stack.endpoint).send(
      new ScanCommand({ TableName: stack.tableName, FilterExpression: 'entityType = :held AND begins_with(idempotencyKey, :nudge)', ExpressionAttributeValues: { ':held': 'HeldMessage', ':nudge': 'nudge#Y08008.bushy#' } }),
    );
    expect(sent || (held.Items ?? []).length === 1).toBe(true);
    // Some seven weeks of scheduled runs over the demo data: minutes on a busy machine.
  }, 300_000);
});
