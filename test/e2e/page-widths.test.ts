/**
 * Issue 20, "Pages at 360 px": every page a person can reach in the product, opened in
 * Chromium on a 360-pixel phone screen, and none wider than the screen. Wide tables scroll
 * inside their own box; they never widen the page. The pages are reached as people reach
 * them from `npm start`: the dev pages, the registration form, the links in the emails in
 * the local mailbox, and head office's dashboard once signed in. The answer links that
 * only come weeks on (a takeover's countdown, the monthly feedback question) are issued
 * the way their emails issue them, for the same pages. On the dashboard, the charts' axis
 * labels are whole numbers on count axes and never overlap.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/local-stack.js';
import { startTestStack } from '../support/local-stack.js';
import type { MailboxMessage } from '../../local/mailbox.js';
import type { ContactRole } from '../../functions/core/model.js';
import type { TokenPurpose } from '../../functions/core/ports.js';
import { openProposal } from '../../functions/core/use-cases/takeover-planning.js';
import { launchChromium, openEmail } from '../support/browser.js';
import { registrationBody, workingMonday } from '../support/fixtures.js';

const screen = { width: 360, height: 740 };
let stack: LocalStack;
let browser: Browser;
let page: Page;

// Long names and addresses, as real ones are: the pages must wrap them, not widen.
const champion = 'pontcanna.practice.manager@nhs.example';
const practiceCode = 'Y09009';
const linkId = `${practiceCode}.cardiff`;
const director = 'rhys.cardiff@parkrun.example';
/** Cardiff's event director once Rhys has handed over. */
const successor = 'owain.price.co-event-director@parkrun.example';
const toChampion = 'Meet your parkrun team at Cardiff parkrun';
const toEventTeam = 'Pontcanna and Llandaff North Community Health Centre has linked with Cardiff parkrun';

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startTestStack({ port: 0, start: workingMonday }),
    launchChromium(),
  ]);
  page = await (await browser.newContext({ viewport: screen })).newPage();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const mail = async () => (await (await fetch(`${stack.url}/dev/mail.json`)).json()) as MailboxMessage[];
const newest = async (to: string, subject: string | RegExp) => {
  const found = (await mail()).filter((m) => m.to[0] === to && (typeof subject === 'string' ? m.subject === subject : subject.test(m.subject))).at(-1);
  if (!found) throw new Error(`no email to ${to} about ${subject}`);
  return found;
};
const linkIn = (m: MailboxMessage, label: string) => {
  const found = new RegExp(`${label.replace(/[?()]/g, '\\$&')}[^\\n]*?: (https?://\\S+)`).exec(m.text)?.[1];
  if (!found) throw new Error(`no "${label}" link in "${m.subject}"`);
  return found;
};

/** What the page is as wide as, against the screen: the page's name in the message. */
async function fitsThePhone(name: string) {
  const { scrollWidth, h1, widest } = await page.evaluate((screenWidth) => {
    // The elements that reach past the screen's edge, for the message: what to fix.
    // (An element, or text overflowing its element: a long word in a heading.)
    const widest = Array.from(document.querySelectorAll('body *'))
      .filter((e) => e.getBoundingClientRect().right > screenWidth + 0.5 || (e.getBoundingClientRect().left + e.scrollWidth > screenWidth + 0.5 && getComputedStyle(e).overflowX === 'visible'))
      .slice(0, 4)
      .map((e) => `${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? `.${e.className.split(' ').join('.')}` : ''} to ${Math.round(Math.max(e.getBoundingClientRect().right, e.getBoundingClientRect().left + e.scrollWidth))}px`);
    return { scrollWidth: document.documentElement.scrollWidth, h1: document.querySelector('h1')?.textContent ?? '', widest };
  }, screen.width);
  expect.soft(scrollWidth, `${name} ("${h1}", ${page.url()}) is ${scrollWidth}px wide on a ${screen.width}px screen: ${widest.join(', ')}`).toBeLessThanOrEqual(screen.width);
  return h1;
}
async function open(name: string, url: string) {
  await page.goto(url.startsWith('http') ? url : `${stack.url}${url}`);
  return fitsThePhone(name);
}
/** Presses a button that sends a form, and checks the page it leads to. */
async function press(name: string, button: string | RegExp) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: button }).first().click()]);
  return fitsThePhone(name);
}
/** Sends a form left empty past the browser's own checks (`required`), for the page with the server's errors. */
async function pressEmpty(name: string, button: string | RegExp) {
  await page.evaluate(() => document.querySelectorAll('form').forEach((f) => (f.noValidate = true)));
  const h1 = await press(name, button);
  expect.soft(await page.locator('.error-summary, [role=alert], .error').count(), `${name} shows its errors`).toBeGreaterThan(0);
  return h1;
}

/**
 * The dashboard's charts, as drawn: on a count axis only whole numbers (a percent axis,
 * whole percents), and no two axis labels overlapping or cut off at the chart's edge.
 */
async function chartsReadable(name: string) {
  const charts = await page.locator('svg.chart').evaluateAll((svgs) =>
    svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      const labels = Array.from(svg.querySelectorAll('text.chart-axis')).map((t) => {
        const r = t.getBoundingClientRect();
        return { text: t.textContent ?? '', yAxis: t.getAttribute('text-anchor') === 'end', left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      });
      return { title: svg.querySelector('title')?.textContent ?? '', box: { left: box.left, right: box.right, top: box.top, bottom: box.bottom }, labels };
    }),
  );
  expect(charts.length, `${name} has its charts`).toBeGreaterThanOrEqual(3);
  for (const chart of charts.filter((c) => c.labels.length > 0)) {
    const about = `${name}, chart "${chart.title}"`;
    expect.soft(chart.labels.filter((l) => l.yAxis).map((l) => l.text), `${about}: axis values`).toEqual(expect.arrayContaining([expect.stringMatching(/^\d+%?$/)]));
    expect.soft(chart.labels.filter((l) => l.yAxis && !/^\d+%?$/.test(l.text)).map((l) => l.text), `${about}: axis values that are not whole numbers`).toEqual([]);
    const overlaps = chart.labels.flatMap((a, i) =>
      chart.labels.slice(i + 1).filter((b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5).map((b) => `${a.text}/${b.text}`),
    );
    expect.soft(overlaps, `${about}: axis labels that overlap`).toEqual([]);
    const cut = chart.labels.filter((l) => l.left < chart.box.left - 0.5 || l.right > chart.box.right + 0.5).map((l) => l.text);
    expect.soft(cut, `${about}: axis labels cut off at the edge`).toEqual([]);
  }
}

/** An answer link for this link, as the emails that only come later (countdowns, monthly questions) issue them. */
async function issued(purpose: TokenPurpose, recipient: string, role: ContactRole, detail?: Record<string, string>, expiresInMs = 86_400_000) {
  const now = stack.store.clock.now();
  const token = await stack.store.tokens.issue({ purpose, subject: linkId, recipient, role, ...(detail ? { detail } : {}), expiresAt: new Date(now.getTime() + expiresInMs) }, now);
  return { url: `${stack.url}/links/${linkId}/${purpose}/${token}`, request: { linkId, token } };
}

describe('every page at 360 pixels wide', () => {
  it('has a check that does catch a page too wide for the screen', async () => {
    await page.setContent(`<!doctype html><html lang="en"><body><main><table><tr><td>${'W'.repeat(60)}</td></tr></table></main></body></html>`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeGreaterThan(screen.width);
  });

  it('fits the dev pages, the registration form and its confirmation', async () => {
    expect(await open('the 404 page', '/no-such-page')).toBe('');
    expect(await page.textContent('body')).toContain('Not found');
    await open('the dev home page', '/');
    await open('the registration form', '/register');
    expect(await pressEmpty('the registration form with its errors', 'Register the practice')).toBeTruthy();
    expect(await page.title()).toContain('Check your registration');

    const res = await fetch(`${stack.url}/api/registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        registrationBody({
          practiceCode,
          practiceName: 'Pontcanna and Llandaff North Community Health Centre',
          postcode: 'CF11 9AD',
          events: ['cardiff'],
          champion: { name: 'Ffion Angharad Llewellyn-Jones', role: 'Practice manager and social prescribing link worker', email: champion, phone: '029 2000 0000' },
        }),
      ),
    });
    expect(res.status).toBe(201);
    await stack.drain();
    const confirm = await newest(champion, 'Confirm your parkrun practice registration');
    await openEmail(page, stack.url, confirm.subject, champion);
    await fitsThePhone('the local mailbox with a message open');
    const confirmUrl = /(https?:\/\/\S+\/registrations\/\S+\/confirm\/[A-Za-z0-9_-]+)/.exec(confirm.text)![1]!;
    await open('the registration confirmation page', confirmUrl);
    await press('the registration confirmed page', /Confirm/);
    await open('the registration confirmation link, used', confirmUrl);
    await stack.drain();
  });

  it('fits every page behind the links in the introductions, and their done and refusal pages', async () => {
    const eventTeam = await newest(director, toEventTeam);
    const practice = await newest(champion, toChampion);
    await openEmail(page, stack.url, toEventTeam, director);
    await fitsThePhone('the local mailbox with an introduction open');

    // "We're in touch", answered, then the used link and a fresh one asked for.
    const inTouch = linkIn(eventTeam, "We're in touch");
    await open("the we're-in-touch page", inTouch);
    await page.getByLabel('In person at parkrun').check();
    await press("the we're-in-touch done page", "Record that we're in touch");
    await open("the we're-in-touch link, used", inTouch);
    await press('the fresh-link sent page', 'Email me a new link');

    await open('the activities page', linkIn(practice, 'Record what you have done or planned'));
    await page.getByRole('group', { name: 'Give the practice parkrun flyers and posters' }).getByLabel('Done').check();
    await press('the activities done page', 'Save activities');
    await open('the pause page', linkIn(practice, 'Pause for 3 months'));
    await press('the pause done page', 'Pause reminders');
    await open('the partnership page', linkIn(practice, 'See your partnership with'));
    await open('the newcomers page', linkIn(practice, 'Patients planning to come?'));
    await pressEmpty('the newcomers page with its errors', 'Tell the event team');

    // Not the right contact: the practice's hand-over, with its errors, then sent.
    await open("the practice's hand-over page", linkIn(practice, 'Someone else at the practice should be the contact?'));
    await pressEmpty("the practice's hand-over page with its errors", 'Hand over');
    await page.getByLabel('Their name').fill('Gwenllian Bevan-Thomas');
    await page.getByLabel(/Their role/).fill('Advanced nurse practitioner');
    await page.getByLabel('Their email').fill('gwenllian.bevan-thomas.anp@nhs.example');
    await press("the practice's hand-over done page", 'Hand over');

    // The first-timer contact, named by the director and confirmed by the volunteer.
    await open('the first-timer contact page', linkIn(eventTeam, 'Name a first-timer contact'));
    await pressEmpty('the first-timer contact page with its errors', 'Ask them to confirm');
    await page.getByLabel('Their first name').fill('Bethan');
    await page.getByLabel('How newcomers find them on the day').fill('by the start funnel in a pink First Timers vest at 08:50');
    await page.getByLabel('Their email (optional)').fill('bethan.first-timers.cardiff@runners.example');
    await press('the first-timer contact done page', 'Ask them to confirm');
    await stack.drain();
    const volunteer = await newest('bethan.first-timers.cardiff@runners.example', /first-timer contact\?$/);
    const confirmVolunteer = linkIn(volunteer, 'Confirm, or say no');
    await open("the first-timer volunteer's page", confirmVolunteer);
    await press("the first-timer volunteer's done page", "Yes, I'll be the first-timer contact");
    await open("the first-timer volunteer's page, confirmed", confirmVolunteer);

    // Email preferences, saved, and the one-click unsubscribe page from the header.
    await open('the email preferences page', linkIn(practice, 'Choose which emails you get, or stop them'));
    await press('the email preferences saved page', 'Save my choices');
    await open('the unsubscribe page', practice.headers['List-Unsubscribe']!.slice(1, -1));
    await press('the unsubscribed page', 'Stop all emails');

    // Links that do not work: unknown, and expired.
    await open('the unknown-link page', `/links/${linkId}/in-touch/${'x'.repeat(43)}`);
    await open('the expired-link page', (await issued('in-touch', director, 'event-director', undefined, -60_000)).url);

    // Last, as it ends the director's links: the event team's hand-over, accepted by the successor from their own email.
    await open("the event team's hand-over page", linkIn(eventTeam, 'Hand over to a colleague'));
    await page.getByLabel('Their name').fill('Owain Price');
    await page.getByLabel(/Their role/).fill('Co-event director');
    await page.getByLabel('Their email').fill(successor);
    await press("the event team's hand-over done page", 'Hand over');
    await stack.drain();
    const offer = await newest(successor, /would like to hand over to you/);
    const accept = linkIn(offer, 'Accept the hand-over');
    await open('the hand-over accept page', accept);
    await press('the hand-over accepted page', 'Accept the hand-over');
    await open('the hand-over accept link, used', accept);

  });

  it('fits the takeover, feedback and unavailable-days pages, and their done pages', async () => {
    const deps = stack.store;
    const propose = await issued('takeover-propose', champion, 'champion');
    await open('the takeover prompt page', propose.url);
    await pressEmpty('the takeover prompt page with its errors', 'Offer these Saturdays');
    const { choices } = await openProposal(deps, propose.request);
    await open('the takeover prompt with a date chosen', `${propose.url}?date=${choices[0]}`);
    await press('the takeover offered page', 'Offer these Saturdays');
    await open('the not-this-year page', (await issued('takeover-not-this-year', champion, 'champion')).url);

    // The offer just made, as the directors' digest links to it.
    const takeoverId = (await deps.takeovers.getPromptState({ practiceCode, eventShortName: 'cardiff' }))?.takeoverId;
    expect(takeoverId).toBeDefined();
    const offer = await issued('takeover-accept', successor, 'event-director', { takeoverId: takeoverId! });
    await open('the takeover accept page', offer.url);
    await pressEmpty('the takeover accept page with its errors', 'None of these suit');
    await page.locator('input[name=date]').first().check();
    await press('the takeover fixed page', 'Fix this Saturday');

    const fixed = { takeoverId: takeoverId! };
    await open('the takeover roles page', (await issued('takeover-roles', champion, 'champion', fixed)).url);
    await page.locator('input[name=filled]').first().check();
    await press('the takeover roles done page', 'Send');
    await open('the takeover change page', (await issued('takeover-change', champion, 'champion', fixed)).url);
    await open('the takeover outcome page', (await issued('takeover-outcome', champion, 'champion', fixed)).url);
    await pressEmpty('the takeover outcome page with its errors', 'Send');
    await page.locator('input[name=staffVolunteered]').fill('12');
    await press('the takeover outcome done page', 'Send');

    await open('the unavailable-days page', (await issued('event-unavailable', successor, 'event-director')).url);
    await page.locator('input[name=dates]').first().check();
    await press('the unavailable-days done page', 'Save these days');

    const feedback = await issued('feedback', champion, 'champion', { period: '2026-10' });
    await open('the feedback page', feedback.url);
    await pressEmpty('the feedback page with its errors', 'Send');
    await page.fill('#f-suggested', '9');
    await page.fill('#f-attended', '3');
    await press('the feedback done page', 'Send');
    await open('the feedback page, answered', feedback.url);
  });

  it('fits head office: sign-in, the dashboard, its lists and pages, and signing out', async () => {
    await stack.drain();
    await open('the head-office sign-in page', '/head-office');
    await pressEmpty('the head-office sign-in page with its errors', 'Email me a sign-in link');
    await page.fill('#f-email', 'headoffice@parkrun.example');
    await press('the head-office check-your-email page', 'Email me a sign-in link');
    await stack.drain();
    const signIn = await newest('headoffice@parkrun.example', 'Your link to sign in to the head-office dashboard');
    await open('the head-office sign-in link page', /Sign in to the head-office dashboard \(works once, for 15 minutes\): (\S+)/.exec(signIn.text)![1]!);
    await press('the dashboard', 'Sign in');
    expect(new URL(page.url()).pathname).toBe('/head-office');
    await chartsReadable('the dashboard');

    // Every list and page the dashboard leads to, and one link's and one event's page from them.
    const hrefs = async () =>
      [...new Set(await page.locator('main a[href^="/head-office"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!)))].filter((h) => !h.includes('.csv'));
    const fromDashboard = await hrefs();
    expect(fromDashboard.length).toBeGreaterThan(5);
    for (const href of fromDashboard) await open(`the dashboard's page ${href}`, href);
    await open('the links at risk', fromDashboard.find((h) => h.includes('status=at-risk'))!);
    await page.locator('main a[href^="/head-office/links/"]').first().click();
    await page.waitForLoadState('load');
    await fitsThePhone("a link's story");
    await open('the events without links', fromDashboard.find((h) => h.includes('list=without-links'))!);
    await page.locator('main a[href^="/head-office/events/"]').first().click();
    await page.waitForLoadState('load');
    await fitsThePhone("an event's team");
    await open('the dashboard for one region', '/head-office?scope=region%3AWales');
    await chartsReadable('the dashboard for one region');
    await open('the dashboard', '/head-office');
    await press('the signed-out page', 'Sign out');
  });
});
