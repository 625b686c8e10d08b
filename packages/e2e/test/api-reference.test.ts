import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { DESKTOP, axeViolations, hasChromium, journey, PHONE_390 } from '../src/index.js';

/** OPENCAR_SCREENSHOTS=1 writes the pictures to docs/screenshots/api-reference/. */
const SHOTS = process.env.OPENCAR_SCREENSHOTS === '1';
const DIR = SHOTS ? resolve(import.meta.dirname, '../../../docs/screenshots/api-reference') : join(tmpdir(), 'opencar-api-reference');

/**
 * The API reference in English in Debian Chromium, desktop and 390 px phone (German: api-reference-de): under its
 * own CSP the search filters the operations and the examples switch between curl and Node.js; without
 * JavaScript both examples show and the search stays hidden; axe-core finds nothing; nothing scrolls sideways.
 */
describe.skipIf(!hasChromium())('API reference in the browser', () => {
  const j = journey();

  const open = async (options: BrowserContextOptions): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> => {
    const context = await j.browser.newContext(options);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${j.server.url}/docs/api`);
    return { page, problems, close: () => context.close() };
  };
  const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  for (const [device, viewport] of [['desktop', DESKTOP], ['phone', PHONE_390]] as const) {
    it(`search and example tabs work under the page's CSP on ${device}`, async () => {
      const { page, problems, close } = await open({ viewport });
      const search = page.locator('#op-search');
      await search.waitFor();
      const all = await page.locator('.op').count();
      expect(all).toBeGreaterThan(60);
      await search.fill('odometer');
      await page.locator('#search-status').filter({ hasText: /of \d+ operations/ }).waitFor();
      const shown = await page.locator('.op:visible').count();
      expect(shown).toBeGreaterThan(0);
      expect(shown).toBeLessThan(all);
      expect(await page.locator('#get-v2-0-vehicles-id-odometer').isVisible()).toBe(true);
      expect(await page.locator('#post-v2-0-management-webhooks').isVisible()).toBe(false);
      await search.fill('');
      expect(await page.locator('.op:visible').count()).toBe(all);

      const op = page.locator('#get-v2-0-vehicles-id-odometer');
      await op.locator('summary').click();
      const curl = op.locator('.tab-panel[data-lang=curl]');
      const node = op.locator('.tab-panel[data-lang=node]');
      expect(await curl.isVisible()).toBe(true);
      expect(await node.isVisible()).toBe(false);
      expect(await curl.textContent()).toContain('curl');
      await op.getByRole('tab', { name: 'Node.js' }).click();
      expect(await node.isVisible()).toBe(true);
      expect(await curl.isVisible()).toBe(false);
      expect(await node.textContent()).toContain('vehicle.odometer()');
      await op.getByRole('tab', { name: 'Node.js' }).press('ArrowLeft');
      expect(await curl.isVisible()).toBe(true);
      await page.locator('#authentication').scrollIntoViewIfNeeded();
      expect(await page.locator('#auth-application-token').textContent()).toContain('sc-user-id');
      expect(await sideways(page), `the page scrolls sideways on ${device}`).toBeLessThanOrEqual(0);
      expect(problems).toEqual([]);
      await close();
    });

    it(`without JavaScript both examples show and axe finds nothing on ${device}`, async () => {
      const { page, close } = await open({ viewport, javaScriptEnabled: false });
      expect(await page.locator('#search-box').isVisible()).toBe(false);
      const op = page.locator('#post-v2-0-vehicles-id-charge');
      await op.locator('summary').click();
      expect(await op.locator('.tab-panel[data-lang=curl]').isVisible()).toBe(true);
      expect(await op.locator('.tab-panel[data-lang=node]').isVisible()).toBe(true);
      expect(await op.locator('.tab-panel[data-lang=node]').textContent()).toContain('vehicle.startCharge()');
      await close();

      const checked = await open({ viewport, bypassCSP: true });
      await checked.page.locator('#op-search').waitFor();
      await checked.page.locator('#get-v2-0-vehicles-id-odometer summary').click();
      await checked.page.locator('#post-oauth-token summary').click();
      expect(await axeViolations(checked.page), `axe on ${device}`).toEqual([]);
      mkdirSync(DIR, { recursive: true });
      await checked.page.screenshot({ path: join(DIR, `reference-${device}.png`) });
      await checked.page.locator('#get-v2-0-vehicles-id-odometer').scrollIntoViewIfNeeded();
      await checked.page.screenshot({ path: join(DIR, `reference-operation-${device}.png`) });
      await checked.close();
    });
  }
});
