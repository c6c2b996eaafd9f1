/**
 * The run's one Chromium (test/setup/chromium.ts): each browser file connects to it through
 * launchChromium, and a file closing its connection leaves the browser for the next file.
 */
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../support/browser.js';

describe("the run's Chromium", () => {
  it('is shared: files connect to it, and one closing its connection leaves it for the others', async () => {
    const endpoint = inject('chromiumEndpoint');
    expect(endpoint).toMatch(/^ws:\/\//);
    const watcher = await chromium.connect(endpoint);
    try {
      const first = await launchChromium();
      // Connected, not launched: no browser process of this file's own.
      expect(spawnSync('pgrep', ['-P', String(process.pid)]).stdout.toString().trim()).toBe('');
      const page = await first.newPage();
      await page.setContent('<h1>one</h1>');
      expect(await page.locator('h1').textContent()).toBe('one');
      await first.close();
      // Still there for the next file, and the watcher's connection was not closed with it.
      expect(watcher.isConnected()).toBe(true);
      const second = await launchChromium();
      const again = await second.newPage();
      await again.setContent('<h1>two</h1>');
      expect(await again.locator('h1').textContent()).toBe('two');
      expect(second.version()).toBe(watcher.version());
      await second.close();
    } finally {
      await watcher.close();
    }
  });
});
