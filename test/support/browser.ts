/** Debian's Chromium driven by playwright-core (playwright cannot download browsers here). */
import { chromium, type Browser, type LaunchOptions, type Locator, type Page } from 'playwright-core';
import { inject } from 'vitest';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * How long a page action or navigation may wait: a limit for a hang, not for speed. A page
 * that waits on a busy machine's DynamoDB Local can take far longer than Playwright's 30 s
 * default, and a test must not fail for that (vitest's own limit is two minutes a test).
 */
export const pageTimeoutMs = 100_000;

export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: chromiumPath,
  headless: true,
  // Without the background-networking flags Chromium keeps trying hosts this closed network refuses.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

/**
 * The run's Chromium (test/setup/chromium.ts), connected to, or one of the file's own when the
 * run has none. Closing it closes the file's contexts and pages and leaves the run's browser.
 */
export async function launchChromium(): Promise<Browser> {
  const endpoint = inject('chromiumEndpoint');
  const browser = endpoint ? await chromium.connect(endpoint) : await chromium.launch(chromiumLaunchOptions);
  // Every context (browser.newPage makes one too) gets the limit, so no test file can forget it.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(pageTimeoutMs);
    context.setDefaultNavigationTimeout(pageTimeoutMs);
    return context;
  };
  return browser;
}

/**
 * Opens the local mailbox, filtered to `to` when given, and the newest email with this
 * subject in it (the mailbox shows one message open at a time): its article, for the
 * HTML part's frame.
 */
export async function openEmail(page: Page, baseUrl: string, subject: string, to?: string): Promise<Locator> {
  await page.goto(`${baseUrl}/dev/mail${to ? `?to=${encodeURIComponent(to)}` : ''}`);
  const message = page.locator('details[name="message"]', { has: page.getByRole('heading', { name: subject, exact: true }) }).first();
  await message.evaluate((d) => ((d as HTMLDetailsElement).open = true));
  return message.locator('article');
}
