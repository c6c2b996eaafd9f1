/**
 * "One page both sides share", as people reach it from `npm start`: the champion opens it
 * from their introduction, an event director from theirs, on a 360-pixel phone screen.
 * Both see the same partnership and the same facts (what each side recorded, the last
 * contact, the takeover, this year's numbers, what comes next), axe-core finds nothing
 * against WCAG 2.2 AA, the page never scrolls sideways, and it offers nothing to press.
 * Two weeks on, the link has expired: a clear refusal offers a fresh one.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/local-stack.js';
import { startTestStack } from '../support/local-stack.js';
import type { ContactRole } from '../../functions/core/model.js';
import type { TokenPurpose } from '../../functions/core/ports.js';
import { recordFeedback } from '../../functions/core/use-cases/attendance-feedback.js';
import { recordInTouch, setLinkActivities } from '../../functions/core/use-cases/link-actions.js';
import { acceptTakeover, openProposal, proposeTakeover } from '../../functions/core/use-cases/takeover-planning.js';
import { axeViolations } from '../support/axe.js';
import { launchChromium, openEmail } from '../support/browser.js';
import { registrationBody, workingMonday } from '../support/fixtures.js';
import { confirmFromMailbox } from '../support/local-mailbox.js';

let stack: LocalStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;

const champion = 'ffion.jones@nhs.example';
const director = 'rhys.cardiff@parkrun.example';
const linkId = 'Y05005.cardiff';
const toChampion = 'Meet your parkrun team at Cardiff parkrun';
const toEventTeam = 'Pontcanna Surgery has linked with Cardiff parkrun';
let fixedDay: string;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ port: 0, start: workingMonday }), launchChromium()]);
  // A phone-sized screen; bypassCSP only so that axe-core can be injected.
  context = await browser.newContext({ viewport: { width: 360, height: 740 }, bypassCSP: true });
  page = await context.newPage();
  const res = await fetch(`${stack.url}/api/registrations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(
      registrationBody({ practiceCode: 'Y05005', practiceName: 'Pontcanna Surgery', events: ['cardiff'], champion: { name: 'Ffion Jones', role: 'Practice manager', email: champion, phone: '029 2000 0000' } }),
    ),
  });
  expect(res.status).toBe(201);
  expect(await confirmFromMailbox(stack, champion)).toBe(200);
  await stack.drain();

  // What each side has told us, through the same use cases their own answer pages call.
  const deps = stack.store;
  const mint = (purpose: TokenPurpose, recipient: string, role: ContactRole, detail?: Record<string, string>) =>
    deps.tokens.issue({ purpose, subject: linkId, recipient, role, ...(detail ? { detail } : {}), expiresAt: new Date(deps.clock.now().getTime() + 86_400_000) }, deps.clock.now());
  const request = async (purpose: TokenPurpose, recipient: string, role: ContactRole, detail?: Record<string, string>) => ({ linkId, token: await mint(purpose, recipient, role, detail) });
  await setLinkActivities(deps, await request('activities', champion, 'champion'), { 'flyers-posters': 'done', 'staff-presentation': 'planned' });
  await setLinkActivities(deps, await request('activities', director, 'event-director'), { 'pre-event-briefing': 'done' });
  await recordFeedback(deps, await request('feedback', champion, 'champion', { period: '2026-10' }), { suggested: 7, attended: 3, staff: { walked: true, ran: false, volunteered: false } });
  const propose = await request('takeover-propose', champion, 'champion');
  const { choices } = await openProposal(deps, propose);
  const { takeover } = await proposeTakeover(deps, propose, choices.slice(0, 2));
  fixedDay = choices[0]!;
  await acceptTakeover(deps, await request('takeover-accept', director, 'event-director', { takeoverId: takeover.id }), fixedDay);
  await recordInTouch(deps, await request('in-touch', director, 'event-director'), { how: 'in-person' });
  await stack.drain();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Opens the mailbox, finds the newest email with this subject, and clicks a link in it. */
async function clickInEmail(subject: string, linkText: string) {
  const article = await openEmail(page, stack.url, subject);
  await article.frameLocator('iframe').getByRole('link', { name: linkText, exact: true }).first().click();
  await page.waitForURL(/\/links\//);
}

/** The page as a reader sees it, checked: accessible, no sideways scrolling at 360 px, nothing to press. */
async function readPartnershipPage(): Promise<string> {
  expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/links/${linkId.replace('.', '\\.')}/partnership/[A-Za-z0-9_-]{43}$`));
  expect(await page.locator('h1').textContent()).toBe('Your partnership');
  expect(await axeViolations(page)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(await page.locator('main form, main button, main input').count()).toBe(0);
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
}

describe('the partnership page in a real browser', () => {
  it('opens from the champion’s email and from the director’s, the same partnership with the same facts', async () => {
    await clickInEmail(toChampion, 'See your partnership with Cardiff parkrun');
    const championUrl = page.url();
    const seenByChampion = await readPartnershipPage();

    for (const fact of [
      'Pontcanna Surgery and Cardiff parkrun',
      // Both sides' contacts.
      `Ffion Jones, Practice manager: ${champion}, 029 2000 0000`,
      `Event director Rhys Evans: ${director}`,
      // What each side recorded, and who.
      'Give the practice parkrun flyers and posters Done, recorded by the practice on Monday 23 November',
      'Give a presentation to practice staff Planned, recorded by the practice on Monday 23 November',
      'Mention the practice in the pre-event briefing Done, recorded by the event team on Monday 23 November',
      'Media or press articles Nothing recorded yet',
      'Monday 23 November, recorded by the event team (in person at parkrun).',
      // The takeover, this year's numbers, and what comes next.
      'Fixed for Saturday 9 January 2027.',
      'Pontcanna Surgery told us about 1 month: 7 patients suggested parkrun, 3 known to have come.',
      'From Monday 30 November: six weeks to go: a reminder about the takeover on Saturday 9 January 2027, to Ffion Jones, if the takeover still stands.',
      'From Tuesday 1 December: the monthly question about November 2026',
      'if there has been no contact by then.',
      'Use the buttons in your latest email to answer.',
    ]) {
      expect(seenByChampion).toContain(fact);
    }
    expect(fixedDay).toBe('2027-01-09');

    await clickInEmail(toEventTeam, 'See your partnership with Pontcanna Surgery');
    expect(page.url()).not.toBe(championUrl);
    const seenByDirector = await readPartnershipPage();
    expect(seenByDirector).toBe(seenByChampion);
  });

  it('has a sideways-scroll check that does catch a page too wide for the screen', async () => {
    await page.setContent('<html lang="en"><body><main><p style="width:480px">Too wide</p></main></body></html>');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeGreaterThan(360);
  });

  it('two weeks on, the link has expired: a clear, accessible refusal with a fresh link offered', async () => {
    await clickInEmail(toChampion, 'See your partnership with Cardiff parkrun');
    const url = page.url();
    await fetch(`${stack.url}/dev/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ days: 15 }) });
    await page.goto(url);
    expect(await page.locator('h1').textContent()).toBe('This link has expired');
    expect(await page.locator('main').innerText()).toContain('Links to this page work for 14 days');
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.getByRole('button', { name: 'Email me a new link' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('New link on its way');
    await stack.drain();
    const mail = (await (await fetch(`${stack.url}/dev/mail.json`)).json()) as Array<{ to: string[]; subject: string; text: string }>;
    const fresh = mail.find((m) => m.to[0] === champion && m.subject === 'Your new link: See your partnership');
    expect(fresh?.text).toMatch(/\/links\/Y05005\.cardiff\/partnership\//);
  });
});
