import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DESKTOP, axeViolations, hasChromium, journey, PHONE_390 } from '../src/index.js';

const SHOTS = process.env.OPENCAR_SCREENSHOTS === '1';
const DIR = SHOTS ? resolve(import.meta.dirname, '../../../docs/screenshots/dashboard') : join(tmpdir(), 'opencar-first-hour', 'dashboard');

/**
 * Try Connect comes back: a new app whose only redirect URI has nothing listening still completes
 * Connect in the browser and lands on the dashboard with the connected car, its tokens and a first
 * call; the getting-started checklist ticks off "connect a car" and, after that call, "first call".
 */
describe.skipIf(!hasChromium())('first hour: Try Connect lands back in the dashboard', () => {
  const j = journey();

  for (const [lang, device, viewport] of [['en', 'desktop', DESKTOP], ['de', 'phone', PHONE_390]] as const) {
    it(`${lang} on ${device}`, async () => {
      const context = await j.browser.newContext({ viewport, locale: lang === 'en' ? 'en-US' : 'de-DE', bypassCSP: true });
      await context.route('**/*', (r) => (r.request().url().startsWith(j.server.url) ? r.continue() : r.abort()));
      const page = await context.newPage();
      page.on('dialog', (d) => void d.accept());
      const check = async (name: string) => {
        // Nothing sticks out of the page; wide tables scroll inside their own focusable region.
        const wide = await page.evaluate((max) => [...document.querySelectorAll('body *')].filter((e) => !(e.parentElement?.closest('.table-wrap')) && e.getBoundingClientRect().right > max + 0.5).map((e) => `${e.tagName}.${e.className}`), viewport.width);
        expect(wide, `${name} overflows on ${device}`).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(viewport.width);
        expect(await axeViolations(page), `${name} (${lang}, ${device})`).toEqual([]);
        mkdirSync(DIR, { recursive: true });
        await page.screenshot({ path: join(DIR, `${name}${lang === 'en' ? '' : `-${lang}`}-${device}.png`), fullPage: true });
      };
      await page.goto(`${j.server.url}/dashboard/signup`);
      await page.locator('input[name=name]').fill('Try Dev');
      await page.locator('input[name=email]').fill(`try-${lang}@dev.example`);
      await page.locator('input[name=password]').fill('try-connect-password');
      await page.locator('#accept-tos').check();
      await page.locator('#sign-up-button').click();
      await page.waitForURL(/\/dashboard\?welcome=1/);
      await page.goto(`${j.server.url}/dashboard/apps/new`);
      await page.locator('input[name=name]').fill('Try app');
      await page.locator('textarea[name=redirect_uris]').fill('http://localhost:8000/callback');
      await page.locator('#perm-read_odometer').check();
      await page.locator('#save-app').click();
      const clientId = await page.locator('#client-id').inputValue();
      await page.goto(`${j.server.url}/dashboard/apps/${clientId}`);
      const state = () => page.locator('#getting-started li').evaluateAll((els) => els.map((e) => `${e.id}:${e.getAttribute('data-done')}`));
      expect(await state()).toEqual(['step-create:yes', 'step-connect:no', 'step-call:no', 'step-webhook:no']);
      await check('getting-started');

      await page.locator('#try-connect').click();
      await page.locator('button#continue-button').click();
      await page.locator('button#TESLA.brand-list-item').click();
      await page.locator('input#username').fill(`owner-${lang}@example.com`);
      await page.locator('input#password').fill('owner-password');
      await page.locator('#sign-in-button').click();
      await page.locator('button#approval-button').click();
      await page.waitForURL(new RegExp(`/dashboard/apps/${clientId}/try-connect/callback`));
      await page.locator('#try-vehicles li').first().waitFor();
      expect(await page.locator('#try-vehicles li strong').first().textContent()).toMatch(/^Tesla /);
      const token = await page.locator('#try-access-token').inputValue();
      expect(token.length).toBeGreaterThan(20);
      const curl = (await page.locator('#try-curl').textContent())!;
      const url = /(http:\/\/\S+\/v2\.0\/vehicles\/\S+)/.exec(curl)![1]!;
      expect(curl).toContain(`Bearer ${token}`);
      await check('try-connect-result');

      // The curl line works as shown.
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(await res.json()).toHaveProperty('distance');
      // The tokens are shown once: coming back to the callback does not show them again.
      await page.reload();
      expect(await page.locator('#try-access-token').count()).toBe(0);
      expect(await page.locator('#try-again').count()).toBe(1);

      await page.goto(`${j.server.url}/dashboard/apps/${clientId}`);
      expect(await state()).toEqual(['step-create:yes', 'step-connect:yes', 'step-call:yes', 'step-webhook:no']);

      // The call is in the request log, one line per row; its detail page has the full ids to copy.
      await page.goto(`${j.server.url}/dashboard/apps/${clientId}/logs`);
      const row = page.locator('#request-log tbody tr').first();
      expect(await row.locator('code').textContent()).toBe('GET /v2.0/vehicles/:id/odometer');
      const heights = await page.locator('#request-log tbody tr').evaluateAll((rs) => rs.map((r) => r.getBoundingClientRect().height));
      expect(Math.max(...heights)).toBeLessThan(48);
      await check('request-log');
      const requestId = (await row.getAttribute('data-request-id'))!;
      await row.locator('a').click();
      await page.waitForURL(new RegExp(`/logs/${requestId}$`));
      expect(await page.locator('#detail-request-id').textContent()).toBe(requestId);
      // Its headers and bodies: the bearer token masked, the answer pretty-printed.
      const headers = (await page.locator('#request-headers').textContent())!;
      expect(headers).toContain('authorization: Bearer [masked]');
      expect(headers).not.toContain(token);
      expect(await page.locator('#request-line').textContent()).toMatch(/^GET \/v2\.0\/vehicles\/[\w-]+\/odometer$/);
      expect(JSON.parse((await page.locator('#response-body').textContent())!)).toHaveProperty('distance');
      expect(await page.locator('#response-status').textContent()).toBe('200');
      await check('request-detail');
      await context.close();
    });
  }
});
