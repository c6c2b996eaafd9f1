/**
 * Going live, as head office would try it on `npm start -- --empty`: the three imports of
 * the example files in docs/examples (so the documented formats stay true), then a
 * practice registering with an imported event by its long name, and the introductions in
 * the mailbox. Then the form with 700 events, in Chromium at 360 pixels, with axe.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../local/cli.js';
import type { LocalStack } from '../../local/local-stack.js';
import { startTestStack } from '../support/local-stack.js';
import type { MailboxMessage } from '../../local/mailbox.js';
import { axeViolations } from '../support/axe.js';
import { launchChromium } from '../support/browser.js';
import { workingMonday } from '../support/fixtures.js';
import { feed, feature } from '../support/import-world.js';
import { confirmFromMailbox } from '../support/local-mailbox.js';

let stack: LocalStack;
let browser: Browser;
let runtimeFile: string;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'go-live-'));
  runtimeFile = join(dir, 'runtime.json');
  [stack, browser] = await Promise.all([startTestStack({ port: 0, demoData: false, start: workingMonday, runtimeFile }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** `npm run cli -- …` against the running local stack, found through its runtime file. */
async function cli(...args: string[]) {
  const lines: string[] = [];
  const code = await runCli(args, { out: (l) => lines.push(l), env: {}, runtimeFile });
  return { code, lines, summary: JSON.parse(lines.at(-1)!) as Record<string, number> };
}

const mail = async () => (await (await fetch(`${stack.url}/dev/mail.json`)).json()) as MailboxMessage[];

describe('going live on npm start -- --empty', () => {
  it('imports the example events, teams and practices, then introduces a practice that names an imported event by its long name', async () => {
    expect((await (await fetch(`${stack.url}/register`)).text())).not.toContain('<optgroup');
    expect(await cli('events', 'import', 'docs/examples/events.json', '--regions', 'docs/examples/regions.csv')).toMatchObject({ code: 0, summary: { created: 4, refused: 0 } });
    expect(await cli('teams', 'import', 'docs/examples/event-teams.csv')).toMatchObject({ code: 0, summary: { created: 2, refused: 0 } });
    expect(await cli('practices', 'import', 'docs/examples/practices.csv')).toMatchObject({ code: 0, summary: { created: 3, refused: 0 } });
    expect(await cli('practices', 'import', 'docs/examples/practices.csv')).toMatchObject({ code: 0, summary: { created: 0, unchanged: 3 } });
    await stack.drain();
    expect(await mail()).toEqual([]);

    const response = await fetch(`${stack.url}/api/registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        practiceCode: 'A81001',
        practiceName: 'Riverside Surgery',
        postcode: 'TW11 0AA',
        champion: { name: 'Dr Jane Smith', role: 'GP', email: 'jane.smith@nhs.example' },
        events: ['bushy PARKRUN'],
        contactedEventTeam: false,
      }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ events: ['bushy'] });
    expect(await confirmFromMailbox(stack, 'jane.smith@nhs.example')).toBe(200);
    await expect.poll(async () => (await mail()).map((m) => m.to[0]).sort(), { timeout: 60_000 }).toEqual(['jane.smith@nhs.example', 'jane.smith@nhs.example', 'sarah.okafor@parkrun.example', 'tom.whitley@parkrun.example']);
    const toChampion = (await mail()).find((m) => m.to[0] === 'jane.smith@nhs.example' && m.subject.startsWith('Meet'))!;
    expect(toChampion.subject).toBe('Meet your parkrun team at Bushy parkrun');
    expect(toChampion.text).toContain('Whitley, Tom');

    const unknown = await fetch(`${stack.url}/api/registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ practiceCode: 'A81002', practiceName: 'Riverside Surgery', postcode: 'TW11 0AA', champion: { name: 'Jane', role: 'GP', email: 'jane2@nhs.example' }, events: ['Hackny Marshes'], contactedEventTeam: false }),
    });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ suggestions: { 'Hackny Marshes': ['Hackney Marshes parkrun'] } });
  });

  it('lets a practice manager find their event among 700 on a 360-pixel screen, with no script, and register', async () => {
    const regions = ['East Midlands', 'East of England', 'London', 'North East', 'North West', 'Northern Ireland', 'Scotland', 'South East', 'South West', 'Wales', 'West Midlands', 'Yorkshire and the Humber'];
    const many = Array.from({ length: 700 }, (_, i) => feature(`place${i}`, { name: `Place ${String(i).padStart(3, '0')} parkrun` }));
    const feedFile = join(dir, 'events-700.json');
    const regionsFile = join(dir, 'regions-700.csv');
    await writeFile(feedFile, JSON.stringify(feed(many)));
    await writeFile(regionsFile, ['eventname,region', ...many.map((f, i) => `${f.properties.eventname},${regions[i % regions.length]}`)].join('\n'));
    expect(await cli('events', 'import', feedFile, '--regions', regionsFile)).toMatchObject({ code: 0, summary: { created: 700 } });

    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, bypassCSP: true });
    const page: Page = await context.newPage();
    await page.goto(`${stack.url}/register`);
    // The earlier import's events, gone from this feed, are no longer offered.
    expect(await page.locator('#f-events option').count()).toBe(1 + 700);
    expect(await page.locator('#f-events optgroup').count()).toBe(regions.length);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('Practice code').fill('Y05005');
    await page.getByLabel('Practice name').fill('Hill Top Surgery');
    await page.getByLabel('Postcode').fill('LS6 1BX');
    await page.getByLabel('Full name').fill('Dr Ben Carter');
    await page.getByLabel('Role').fill('GP');
    await page.getByLabel('Email').fill('ben.carter@nhs.example');
    await page.getByLabel('parkrun event', { exact: true }).selectOption({ label: 'Place 412 parkrun' });
    await page.getByLabel('No, please introduce us').check();
    await page.getByRole('button', { name: 'Register the practice' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Thank you: now check your email');
    expect(await confirmFromMailbox(stack, 'ben.carter@nhs.example')).toBe(200);
    await expect.poll(async () => (await mail()).some((m) => m.to[0] === 'place412@parkrun.com'), { timeout: 60_000 }).toBe(true);
    await context.close();
    // About 20 s alone (an import run as a CLI process, a 700-option page checked by axe); over 120 s beside a simulated year.
  }, 300_000);
});
