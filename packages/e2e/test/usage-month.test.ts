import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DESKTOP, axeViolations, hasChromium, journey, PHONE_390 } from '../src/index.js';

const SHOTS = process.env.OPENCAR_SCREENSHOTS === '1';
const DIR = SHOTS ? resolve(import.meta.dirname, '../../../docs/screenshots/dashboard') : join(tmpdir(), 'opencar-usage-month', 'dashboard');
const DAY = 86_400_000;

/**
 * The usage page of a month with traffic: a slot per day of the month with billable and
 * non-billable requests stacked, the quota line, and errors and p50/p99 per day and endpoint;
 * in English on a desktop and in German on a 390 px phone, with no axe violations.
 */
describe.skipIf(!hasChromium())('usage page: the month at a glance', () => {
  const j = journey();

  for (const [lang, device, viewport] of [['en', 'desktop', DESKTOP], ['de', 'phone', PHONE_390]] as const) {
    it(`${lang} on ${device}`, async () => {
      const context = await j.browser.newContext({ viewport, locale: lang === 'en' ? 'en-US' : 'de-DE', bypassCSP: true });
      await context.route('**/*', (r) => (r.request().url().startsWith(j.server.url) ? r.continue() : r.abort()));
      const page = await context.newPage();
      await page.goto(`${j.server.url}/dashboard/signup`);
      await page.locator('input[name=name]').fill('Usage Dev');
      await page.locator('input[name=email]').fill(`usage-${lang}@dev.example`);
      await page.locator('input[name=password]').fill('usage-page-password');
      await page.locator('#accept-tos').check();
      await page.locator('#sign-up-button').click();
      await page.waitForURL(/\/dashboard\?welcome=1/);
      await page.goto(`${j.server.url}/dashboard/apps/new`);
      await page.locator('input[name=name]').fill('Usage app');
      await page.locator('textarea[name=redirect_uris]').fill('http://localhost:8000/callback');
      await page.locator('#perm-read_odometer').check();
      await page.locator('#save-app').click();
      const appId = await page.locator('#client-id').inputValue();

      // Known traffic: today 10 reads (latencies 10..100 ms, the last a 409), yesterday (when in this month) 3 more.
      const now = Date.now();
      const today = Math.floor(now / DAY) * DAY;
      const monthStart = new Date(today).setUTCDate(1);
      let n = 0;
      const rec = (at: number, status: number, latencyMs: number) => j.server.platform.metering.record({
        requestId: `usage-${lang}-${n++}`, at, appId, vehicleId: 'veh-1', userId: 'u1', endpoint: 'GET /v2.0/vehicles/:id/odometer', method: 'GET',
        status, latencyMs, units: status < 400 ? 1 : 0, woke: false, requestClass: 'data',
      });
      for (let i = 1; i <= 10; i++) await rec(Math.max(today, now - i * 1000), i === 10 ? 409 : 200, i * 10);
      const yesterday = today - DAY >= monthStart;
      if (yesterday) for (let i = 0; i < 3; i++) await rec(today - DAY + i * 1000, 200, 5);

      await page.goto(`${j.server.url}/dashboard/apps/${appId}/usage`);
      const daysInMonth = new Date(Date.UTC(new Date(today).getUTCFullYear(), new Date(today).getUTCMonth() + 1, 0)).getUTCDate();
      expect(await page.locator('#chart-daily rect[data-kind="billable"]').count()).toBe(daysInMonth);
      const label = new Date(today).toISOString().slice(8, 10);
      expect(await page.locator(`#chart-daily rect[data-kind="billable"][data-label="${label}"]`).getAttribute('data-value')).toBe('9');
      expect(await page.locator(`#chart-daily rect[data-kind="non-billable"][data-label="${label}"]`).getAttribute('data-value')).toBe('1');
      expect(await page.locator('#chart-quota-quota').getAttribute('data-value')).toBe('100');
      expect(await page.locator('#chart-quota-used').getAttribute('data-value')).toBe(String(yesterday ? 12 : 9));
      const cells = await page.locator(`#daily-stats tr[data-day="${label}"] td`).allTextContents();
      expect(cells.slice(0, 4)).toEqual(['10', '9', '1', '1']);
      expect(cells[4]).toMatch(/^10\s?%$/);
      expect(cells.slice(5)).toEqual(lang === 'en' ? ['50.0 ms', '100 ms'] : ['50,0 ms', '100 ms']);
      const chartBox = (await page.locator('#chart-daily').boundingBox())!;
      const barBox = (await page.locator(`#chart-daily rect[data-kind="billable"][data-label="${label}"]`).boundingBox())!;
      expect(barBox.width).toBeLessThan(chartBox.width / 20);

      // Nothing sticks out of the page; wide tables scroll inside their own focusable region.
      const wide = await page.evaluate((max) => [...document.querySelectorAll('body *')].filter((e) => !(e.parentElement?.closest('.table-wrap')) && e.getBoundingClientRect().right > max + 0.5).map((e) => `${e.tagName}.${e.className}`), viewport.width);
      expect(wide).toEqual([]);
      expect(await axeViolations(page), `usage (${lang}, ${device})`).toEqual([]);
      mkdirSync(DIR, { recursive: true });
      await page.screenshot({ path: join(DIR, `usage-month${lang === 'en' ? '' : `-${lang}`}-${device}.png`), fullPage: true });
      await context.close();
    });
  }
});
