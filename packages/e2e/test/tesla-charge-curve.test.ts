import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hashPassword } from '@opencar/core';
import { DESKTOP, TEST_CLIENT, axeViolations, hasChromium, launchBrowser, type LiveServer } from '../src/index.js';
import type { TeslaEmulator } from '../../connectors/test/oem/tesla/emulator/server.js';
import type { EmuVehicle } from '../../connectors/test/oem/tesla/emulator/state.js';
import { startTeslaPlatform, type TeslaPlatform } from './tesla-platform.js';
import { connectTeslaOverHttp } from './tesla-browser.js';

const VIN = '5YJ3E7EB4KF000077';
const OWNER = { email: 'curve.owner@example.com', password: 'tesla-password' };
const DEV = { email: 'seed@opencar.local', password: 'seed-dev-password-123' };
const PHONE_390 = { width: 390, height: 844 } as const;
const MIN = 60_000;

/**
 * The dashboard's vehicle page of a real Tesla (through the Fleet API connector and the Tesla
 * emulator): the app reads battery and charge while the car charges, and the page draws that
 * session's curve from exactly those reads — one point per capture the car reported — at 1280 px and
 * 390 px, with axe-core finding nothing.
 */
describe.skipIf(!hasChromium())('dashboard vehicle page: the charge curve of a real Tesla, from the reads the platform made', () => {
  let platform: TeslaPlatform;
  let emu: TeslaEmulator;
  let server: LiveServer;
  let browser: Browser;
  let car: EmuVehicle;
  let vehicleId = '';
  const t0 = Date.now() - 3 * 60 * MIN;
  /** What the car reports at each read: level (%), charging_state, charger_power (kW), minutes after t0. */
  const steps: [number, string, number, number][] = [
    [38, 'Disconnected', 0, 0], [40, 'Charging', 11, 10], [52, 'Charging', 11, 40], [66, 'Charging', 10.8, 80], [78, 'Charging', 7.2, 120], [80, 'Complete', 0, 140],
  ];

  beforeAll(async () => {
    platform = await startTeslaPlatform();
    ({ emu, server } = platform);
    const owner = emu.state.addUser({ ...OWNER, region: 'na' });
    car = emu.state.addVehicle(owner, { vin: VIN, displayName: 'Red' });
    emu.state.pair(VIN, platform.publicPem);
    browser = await launchBrowser();
    await server.platform.storage.db.updateTable('developers').set({ password_hash: await hashPassword(DEV.password) }).where('email', '=', DEV.email).execute();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  async function signedIn(viewport: { width: number; height: number }, bypassCSP = false): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport, locale: 'en-US', bypassCSP });
    await context.route('**/*', (route) => (route.request().url().startsWith(server.url) ? route.continue() : route.abort()));
    const page = await context.newPage();
    await page.goto(`${server.url}/dashboard/signin`);
    await page.getByLabel('E-mail').fill(DEV.email);
    await page.getByLabel('Password').fill(DEV.password);
    await page.locator('#sign-in-button').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/dashboard/signin'));
    return { context, page };
  }

  it('reads while charging become the session curve on the vehicle page', async () => {
    const { accessToken, vehicleId: id } = await connectTeslaOverHttp(server, emu, OWNER, 'read_vehicle_info read_battery read_charge');
    vehicleId = id;
    const get = async (path: string) => {
      const res = await fetch(`${server.url}/v2.0/vehicles/${vehicleId}/${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(res.status).toBe(200);
      return res.json() as Promise<Record<string, unknown>>;
    };
    for (const [level, state, kw, at] of steps) {
      Object.assign(car.data.charge_state, { battery_level: level, charging_state: state, charger_power: kw, timestamp: t0 + at * MIN });
      expect((await get('battery')).percentRemaining).toBe(level / 100);
      expect((await get('charge')).state).toBe(state === 'Charging' ? 'CHARGING' : state === 'Complete' ? 'FULLY_CHARGED' : 'NOT_CHARGING');
    }
    // Two reads of each capture, one observation each.
    const kept = await server.platform.storage.db.selectFrom('charge_observations').selectAll().where('vehicle_id', '=', vehicleId).orderBy('at').execute();
    expect(kept.map((r) => [Number(r.at), Number(r.soc), r.power_kw === null ? null : Number(r.power_kw), Number(r.charging)])).toEqual(
      steps.map(([level, state, kw, at]) => [t0 + at * MIN, level / 100, kw, state === 'Charging' ? 1 : 0]));

    const { context, page } = await signedIn(DESKTOP);
    await page.goto(`${server.url}/dashboard/apps/${TEST_CLIENT.clientId}/vehicles`);
    await page.locator(`tr[data-vehicle-id="${vehicleId}"] a.vehicle-link`).click();
    await page.waitForURL((u) => u.pathname.endsWith(`/vehicles/${vehicleId}`));
    expect(await page.locator('h1').innerText()).toBe('Tesla Model 3 2019');
    const figures = page.locator('#charge-curves figure.curve-box');
    expect(await figures.count()).toBe(1);
    expect(await figures.first().getAttribute('data-session')).toBe(String(t0 + 10 * MIN));
    expect(await figures.first().getAttribute('data-active')).toBe('false');
    // The charging reads and the read that found it complete; the read before plugging in is not part of the session.
    const points = await page.locator('#curve-0 circle.soc-point').evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-soc')), Number(e.getAttribute('data-kw'))]));
    expect(points).toEqual([[0.4, 11], [0.52, 11], [0.66, 10.8], [0.78, 7.2], [0.8, 0]]);
    const caption = await figures.first().locator('figcaption').innerText();
    expect(caption).toContain('40 % → 80 %');
    expect(caption).toContain('peak 11.0 kW');
    expect(caption).toContain('5 reading(s)');
    const shots = new URL('../../../docs/screenshots/dashboard/', import.meta.url).pathname;
    if (process.env.OPENCAR_SCREENSHOTS === '1') {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: `${shots}vehicle-charge-curve-desktop.png`, fullPage: true });
    }
    await context.close();

    // A 390 px phone: nothing sticks out of the page.
    const phone = await signedIn(PHONE_390);
    await phone.page.goto(`${server.url}/dashboard/apps/${TEST_CLIENT.clientId}/vehicles/${vehicleId}`);
    expect(await phone.page.locator('#curve-0 circle.soc-point').count()).toBe(5);
    const wide = await phone.page.evaluate((max) => [...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > max + 0.5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}`), PHONE_390.width);
    expect(wide).toEqual([]);
    if (process.env.OPENCAR_SCREENSHOTS === '1') await phone.page.screenshot({ path: `${shots}vehicle-charge-curve-phone.png`, fullPage: true });
    await phone.context.close();

    // axe-core on both widths (its script needs a context without the CSP).
    for (const viewport of [DESKTOP, PHONE_390]) {
      const checked = await signedIn(viewport, true);
      await checked.page.goto(`${server.url}/dashboard/apps/${TEST_CLIENT.clientId}/vehicles/${vehicleId}`);
      expect((await axeViolations(checked.page)).join('\n')).toBe('');
      await checked.context.close();
    }
  });

  it('a vehicle not connected to the app is a 404', async () => {
    const { context, page } = await signedIn(DESKTOP);
    const res = await page.goto(`${server.url}/dashboard/apps/${TEST_CLIENT.clientId}/vehicles/00000000-0000-4000-8000-000000000000`);
    expect(res?.status()).toBe(404);
    await context.close();
  });
});
