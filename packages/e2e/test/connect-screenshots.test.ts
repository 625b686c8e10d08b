import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { batteryCapacityUrl } from '@opencar/oauth';
import { DESKTOP, PHONE, TEST_CLIENT, hasChromium, launchBrowser, startServer, type LiveServer } from '../src/index.js';

/**
 * Screenshots of every Connect page on desktop and phone. They are checked on every run (no
 * horizontal scrolling at 360 px, no CSP violations) and written to docs/screenshots/connect/ when
 * OPENCAR_WRITE_SCREENSHOTS=1 (`OPENCAR_WRITE_SCREENSHOTS=1 npx vitest run packages/e2e/test/connect-screenshots.test.ts`).
 */
const OUT = process.env.OPENCAR_WRITE_SCREENSHOTS === '1'
  ? resolve(import.meta.dirname, '../../../docs/screenshots/connect')
  : join(tmpdir(), 'opencar-connect-screenshots');

const authorize = (server: LiveServer, extra: Record<string, string> = {}) =>
  `${server.url}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: TEST_CLIENT.clientId, redirect_uri: TEST_CLIENT.redirectUri, scope: 'read_vehicle_info read_odometer read_location required:read_battery control_charge', state: 'shot', mode: 'test', approval_prompt: 'force', ...extra })}`;

describe.skipIf(!hasChromium())('Connect screenshots (desktop and phone)', () => {
  let server: LiveServer;
  let browser: Browser;
  const shots: string[] = [];
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const [device, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    it(`captures every page on ${device}`, async () => {
      const context = await browser.newContext({ viewport, locale: 'en-US', deviceScaleFactor: device === 'phone' ? 2 : 1 });
      await context.route('**/*', (r) => (r.request().url().startsWith(server.url) ? r.continue() : r.fulfill({ status: 200, body: 'app' })));
      const page = await context.newPage();
      const violations: string[] = [];
      page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text()); });
      const snap = async (name: string, p: Page = page) => {
        const width = await p.evaluate(() => document.documentElement.scrollWidth);
        expect(width, `${name} overflows on ${device}`).toBeLessThanOrEqual(viewport.width);
        const file = join(OUT, `${name}-${device}.png`);
        await p.screenshot({ path: file, fullPage: true });
        shots.push(file);
      };
      await page.goto(authorize(server));
      await snap('01-preamble');
      await page.locator('#continue-button').click();
      await page.locator('#brand-search').waitFor();
      await snap('02-brands');
      await page.locator('#brand-search').fill('k');
      await snap('03-brand-search');
      await page.locator('button#KIA.brand-list-item').click();
      await page.locator('#sign-in-button').waitFor();
      await snap('04-login');
      await page.locator('#username').fill('no-password@example.com');
      await page.locator('#password').fill('x');
      await page.locator('#password').evaluate((el) => el.removeAttribute('required'));
      await page.locator('#password').fill('');
      await page.locator('#sign-in-button').click();
      await page.locator('[role=alert]').waitFor();
      await snap('05-login-failed');
      await page.locator('#username').fill('3-vehicles@smartcar.com');
      await page.locator('#password').fill('anything');
      await page.locator('#sign-in-button').click();
      await page.locator('.page-content').waitFor();
      await snap('06-consent');
      await page.locator('#approval-button').click();
      await page.waitForURL((u) => u.toString().startsWith(TEST_CLIENT.redirectUri));

      await page.goto(authorize(server, { scope: 'read_odometer read_teleportation' }));
      await snap('07-error-exit');
      await page.goto(`${server.url}/oauth/authorize?response_type=code&client_id=unknown-app&redirect_uri=https%3A%2F%2Fevil.example%2F`);
      await snap('08-error-unknown-app');

      const vehicleId = (await server.platform.grants.appVehicleIds(TEST_CLIENT.clientId))[0]!;
      await page.goto(batteryCapacityUrl(server.url, server.platform.secretKey, TEST_CLIENT.clientId, vehicleId, Date.now()) + encodeURIComponent(TEST_CLIENT.redirectUri));
      await snap('09-battery-capacity');

      await page.goto(`${server.url}/connect/demo-callback?code=Ab3-example-code_xyz&state=shot`);
      await snap('10-demo-callback');

      const de = await browser.newContext({ viewport, locale: 'de-DE', deviceScaleFactor: device === 'phone' ? 2 : 1 });
      await de.route('**/*', (r) => (r.request().url().startsWith(server.url) ? r.continue() : r.fulfill({ status: 200, body: 'app' })));
      const dePage = await de.newPage();
      await dePage.goto(authorize(server, { make: 'VOLKSWAGEN', flags: 'country:DE' }));
      await snap('11-preamble-de', dePage);
      await de.close();
      await context.close();
      expect(violations).toEqual([]);
    });
  }

  it('wrote the screenshots', () => {
    expect(shots.length).toBe(22);
  });
});

if (!hasChromium()) it.skip('Connect screenshots: skipped, /usr/bin/chromium is not installed', () => {});
