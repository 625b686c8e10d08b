import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE_390, axeViolations, hasChromium, journey } from '../src/index.js';

/** A 390 px phone. */
/** OPENCAR_SCREENSHOTS=1 writes the pictures to docs/screenshots/api-reference/. */
const SHOTS = process.env.OPENCAR_SCREENSHOTS === '1';
const DIR = SHOTS ? resolve(import.meta.dirname, '../../../docs/screenshots/api-reference') : join(tmpdir(), 'opencar-api-reference');

/**
 * The API reference and the error reference for a reader whose browser asks for German, in Debian
 * Chromium on a desktop and a 390 px phone: the pages' own words are German (the search status and the
 * example tabs too, under the page's unchanged CSP), the API's own texts stay English, axe-core finds
 * nothing and nothing scrolls sideways.
 */
describe.skipIf(!hasChromium())('API and error reference in German in the browser', () => {
  const j = journey();

  const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  for (const [device, viewport] of [['desktop', DESKTOP], ['phone', PHONE_390]] as const) {
    it(`the API reference speaks German under its CSP on ${device}`, async () => {
      const context = await j.browser.newContext({ viewport, locale: 'de-DE' });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) problems.push(m.text()); });
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(`${j.server.url}/docs/api`);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
      expect(await page.locator('#authentication-title').textContent()).toBe('Authentifizierung');
      const search = page.getByLabel('Operationen durchsuchen');
      await search.waitFor();
      const all = await page.locator('.op').count();
      await search.fill('odometer');
      await page.locator('#search-status').filter({ hasText: new RegExp(`^\\d+ von ${all} Operationen$`) }).waitFor();
      expect(await page.locator('#get-v2-0-vehicles-id-odometer').isVisible()).toBe(true);
      expect(await page.locator('.op:visible').count()).toBeLessThan(all);

      const op = page.locator('#get-v2-0-vehicles-id-odometer');
      await op.locator('summary').click();
      expect(await op.getByRole('tablist', { name: 'Sprache des Beispiels' }).isVisible()).toBe(true);
      await op.getByRole('tab', { name: 'Node.js' }).click();
      expect(await op.locator('.tab-panel[data-lang=node]').isVisible()).toBe(true);
      expect(await op.locator('h4', { hasText: /^Antwort: 200/ }).count()).toBe(1);
      expect(await op.getByRole('region', { name: 'Antwortfelder von GET /v2.0/vehicles/{id}/odometer' }).locator('th').first().textContent()).toBe('Feld');
      expect(await sideways(page), `the page scrolls sideways on ${device}`).toBeLessThanOrEqual(0);
      expect(problems).toEqual([]);
      await context.close();
    });

    it(`the API reference and the error pages in German pass axe on ${device}`, async () => {
      const context = await j.browser.newContext({ viewport, locale: 'de-DE', bypassCSP: true });
      const page = await context.newPage();
      mkdirSync(DIR, { recursive: true });
      await page.goto(`${j.server.url}/docs/api`);
      await page.locator('#op-search').waitFor();
      await page.locator('#get-v2-0-vehicles-id-odometer summary').click();
      await page.locator('#post-oauth-token summary').click();
      expect(await axeViolations(page), `axe on /docs/api (${device})`).toEqual([]);
      await page.screenshot({ path: join(DIR, `reference-de-${device}.png`) });
      await page.locator('#get-v2-0-vehicles-id-odometer').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(DIR, `reference-operation-de-${device}.png`) });

      await page.getByRole('link', { name: '/docs/errors' }).first().click();
      await page.waitForURL(/\/docs\/errors$/);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
      expect(await page.locator('h1').textContent()).toBe('Fehlerreferenz');
      expect(await sideways(page), `/docs/errors scrolls sideways on ${device}`).toBeLessThanOrEqual(0);
      expect(await axeViolations(page), `axe on /docs/errors (${device})`).toEqual([]);
      await page.screenshot({ path: join(DIR, `errors-de-${device}.png`), fullPage: true });

      await page.getByRole('link', { name: 'RESOURCE_NOT_FOUND' }).click();
      await page.waitForURL(/\/docs\/errors\/resource-not-found-errors$/);
      expect(await page.locator('h1').textContent()).toBe('Fehler vom Typ RESOURCE_NOT_FOUND');
      const first = page.locator('main section').first();
      expect(await first.locator('h3').allTextContents()).toEqual(['Beispielkörper', 'Im Simulator nachstellen']);
      expect(await first.locator('th').allTextContents()).toContain('Was zu tun ist');
      expect(await sideways(page), `the error page scrolls sideways on ${device}`).toBeLessThanOrEqual(0);
      expect(await axeViolations(page), `axe on an error page (${device})`).toEqual([]);
      await page.screenshot({ path: join(DIR, `error-page-de-${device}.png`) });

      await page.goto(`${j.server.url}/docs/errors/no-such-page`);
      expect(await page.locator('h1').textContent()).toBe('Diese Fehlerseite gibt es nicht');
      expect(await axeViolations(page), `axe on the 404 page (${device})`).toEqual([]);
      await page.getByRole('link', { name: 'Alle Fehler' }).click();
      await page.waitForURL(/\/docs\/errors$/);
      await page.getByRole('navigation', { name: 'Sprache' }).getByRole('link', { name: 'English' }).click();
      await page.waitForURL(/\/docs\/errors\?lang=en$/);
      expect(await page.locator('h1').textContent()).toBe('Error reference');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      await context.close();
    });
  }
});
