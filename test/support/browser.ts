/** Debian's Chromium driven by playwright-core (playwright cannot download browsers here). */
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // Without the background-networking flags Chromium keeps trying hosts this closed network refuses.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
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
