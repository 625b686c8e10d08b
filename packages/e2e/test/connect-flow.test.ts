import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import smartcar from 'smartcar';
import { DESKTOP, PHONE, TEST_CLIENT, hasChromium, launchBrowser, startServer, type LiveServer } from '../src/index.js';

interface Case { title: string; make: string; search?: string; locale: string; viewport: { width: number; height: number }; mode: 'live' | 'simulated' | 'test'; email: string; makeBypass?: boolean; country?: string }

const CASES: Case[] = [
  { title: 'Tesla, English, desktop, search first', make: 'TESLA', search: 'tes', locale: 'en-US', viewport: DESKTOP, mode: 'simulated', email: 'owner@example.com' },
  { title: 'Volkswagen, German, phone, country DE', make: 'VOLKSWAGEN', locale: 'de-DE', viewport: PHONE, mode: 'simulated', email: 'fahrer@example.de', country: 'DE' },
  { title: 'Kia, French, phone, test mode', make: 'KIA', search: 'Kia', locale: 'fr-FR', viewport: PHONE, mode: 'test', email: '2-vehicles@smartcar.com' },
  { title: 'BMW via make bypass, Dutch, desktop, simulated', make: 'BMW', locale: 'nl-NL', viewport: DESKTOP, mode: 'simulated', email: 'eigenaar@example.nl', makeBypass: true },
];

/** Keeps the browser on loopback: the app's redirect target is answered locally, anything else is refused. */
async function sandbox(context: BrowserContext, serverUrl: string): Promise<void> {
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(serverUrl)) return route.continue();
    if (url.startsWith(TEST_CLIENT.redirectUri)) return route.fulfill({ status: 200, contentType: 'text/html', body: '<p>app callback</p>' });
    return route.abort();
  });
}

/** Drives Connect by the automation contract's element ids only (wire-contract §2.5). */
async function driveConnect(page: Page, c: Case): Promise<string> {
  await page.locator('button#continue-button').click();
  if (!c.makeBypass) {
    await page.locator('input#brand-search').waitFor();
    if (c.search) await page.locator('input#brand-search').fill(c.search);
    await page.locator(`button#${c.make}.brand-list-item`).click();
  }
  await page.locator('#sign-in-button').waitFor();
  await page.locator('input#username').fill(c.email);
  await page.locator('input#password').fill('secret-password');
  await page.locator('#sign-in-button').click();
  await page.locator('.page-content').waitFor();
  await page.locator('button#approval-button').click();
  await page.waitForURL((u) => u.toString().startsWith(TEST_CLIENT.redirectUri), { timeout: 15_000 });
  return page.url();
}

describe.skipIf(!hasChromium())('Connect in a real browser with the official smartcar SDK', () => {
  let server: LiveServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    // The SDK reads these lazily (AuthClient constructor, getAuthUrl).
    process.env.SMARTCAR_API_ORIGIN = server.url;
    process.env.SMARTCAR_AUTH_ORIGIN = server.url;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const c of CASES) {
    it(c.title, async () => {
      const client = new smartcar.AuthClient({ clientId: TEST_CLIENT.clientId, clientSecret: TEST_CLIENT.clientSecret, redirectUri: TEST_CLIENT.redirectUri, mode: c.mode });
      const state = `state-${c.make}`;
      const authUrl = client.getAuthUrl(['read_vehicle_info', 'read_odometer', 'required:read_vin'], {
        state, forcePrompt: true, ...(c.makeBypass ? { makeBypass: c.make } : {}), ...(c.country ? { flags: { country: c.country } } : {}),
      });
      expect(authUrl.startsWith(`${server.url}/oauth/authorize?`)).toBe(true);

      const context = await browser.newContext({ viewport: c.viewport, locale: c.locale });
      await sandbox(context, server.url);
      const page = await context.newPage();
      const pageUrls: string[] = [];
      page.on('framenavigated', (f) => { if (f === page.mainFrame()) pageUrls.push(f.url()); });
      try {
        await page.goto(authUrl);
        const lang = c.locale.slice(0, 2);
        expect(await page.locator('html').getAttribute('lang')).toBe(lang);
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(scrollWidth).toBeLessThanOrEqual(c.viewport.width);
        const finalUrl = await driveConnect(page, c);
        const params = new URL(finalUrl).searchParams;
        expect(params.get('error')).toBeNull();
        expect(params.get('state')).toBe(state);
        const code = params.get('code')!;
        expect(code).toMatch(/^[A-Za-z0-9_-]+$/);
        // Only the final URL names the app's redirect target.
        expect(pageUrls.slice(0, -1).every((u) => !u.includes('app.example'))).toBe(true);

        const access = await client.exchangeCode(code);
        expect(access.accessToken).toBeTruthy();
        expect(access.expiration.getTime() - Date.now()).toBeGreaterThan(7190_000);
        const ctx = await server.platform.grants.verifyAccessToken(access.accessToken);
        expect(ctx?.mode).toBe(c.mode);
        expect(ctx?.vehicleIds.length).toBeGreaterThan(0);
        const refreshed = await client.exchangeRefreshToken(access.refreshToken);
        expect(refreshed.refreshToken).not.toBe(access.refreshToken);
        expect(await server.platform.grants.verifyAccessToken(refreshed.accessToken)).toBeDefined();
        await expect(client.exchangeCode(code)).rejects.toMatchObject({ type: 'invalid_grant' });
      } finally {
        await context.close();
      }
    });
  }

  it('a wrong client secret is refused by the SDK with invalid_client', async () => {
    const client = new smartcar.AuthClient({ clientId: TEST_CLIENT.clientId, clientSecret: 'wrong', redirectUri: TEST_CLIENT.redirectUri, mode: 'test' });
    await expect(client.exchangeCode('whatever')).rejects.toMatchObject({ statusCode: 401, type: 'invalid_client' });
  });
});

if (!hasChromium()) it.skip('Connect browser flow: skipped, /usr/bin/chromium is not installed', () => {});
