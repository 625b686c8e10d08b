import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import smartcar, { type Vehicle } from 'smartcar';
import { DESKTOP, TEST_CLIENT, hasChromium, launchBrowser, type LiveServer } from '../src/index.js';
import type { TeslaEmulator } from '../../connectors/test/oem/tesla/emulator/server.js';
import { startTeslaPlatform, type TeslaPlatform } from './tesla-platform.js';
import type { EmuVehicle } from '../../connectors/test/oem/tesla/emulator/state.js';

/**
 * A real Tesla, end to end, against the Tesla emulator: the official smartcar SDK starts live
 * Connect in Chromium, the owner signs in on the (emulated) Tesla page, consents, the app exchanges
 * the code and calls every Tesla getter and command through opencar's Fleet API connector (commands
 * signed through the emulated tesla-http-proxy), then the owner revokes the app in the portal, signing
 * in there with Tesla too, and the app's next call is refused.
 */
const VIN = '5YJ3E7EB4KF000001';
const OWNER = { email: 'model3.owner@example.com', password: 'tesla-password' };
const PERMISSIONS = ['read_vehicle_info', 'read_vin', 'read_location', 'read_odometer', 'read_battery', 'read_charge', 'read_tires', 'read_security', 'control_charge', 'control_security', 'control_navigation'];

describe.skipIf(!hasChromium())('Tesla live: SDK → Connect → Tesla login → consent → every getter and command → portal revoke → 401', () => {
  let platform: TeslaPlatform;
  let emu: TeslaEmulator;
  let server: LiveServer;
  let browser: Browser;
  let car: EmuVehicle;
  let publicPem: string;

  beforeAll(async () => {
    platform = await startTeslaPlatform();
    ({ emu, server, publicPem } = platform);
    const owner = emu.state.addUser({ ...OWNER, region: 'na' });
    car = emu.state.addVehicle(owner, { vin: VIN, displayName: 'Blue' });
    emu.state.pair(VIN, publicPem);
    process.env.SMARTCAR_API_ORIGIN = server.url;
    process.env.SMARTCAR_AUTH_ORIGIN = server.url;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  /** Only opencar, the emulated Tesla and the app's callback (answered locally) are reachable. */
  async function sandbox(context: BrowserContext): Promise<void> {
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(server.url) || url.startsWith(emu.urls.auth)) return route.continue();
      if (url.startsWith(TEST_CLIENT.redirectUri)) return route.fulfill({ status: 200, contentType: 'text/html', body: '<p>app callback</p>' });
      return route.abort();
    });
  }

  async function teslaLogin(page: Page): Promise<void> {
    await page.waitForURL((u) => u.toString().startsWith(emu.urls.auth));
    await page.locator('#form-input-identity').fill(OWNER.email);
    await page.locator('#form-input-credential').fill(OWNER.password);
    await page.locator('#form-submit-continue').click();
  }

  it('runs end to end in Debian Chromium', async () => {
    const client = new smartcar.AuthClient({ clientId: TEST_CLIENT.clientId, clientSecret: TEST_CLIENT.clientSecret, redirectUri: TEST_CLIENT.redirectUri, mode: 'live' });
    const authUrl = client.getAuthUrl(PERMISSIONS, { state: 'tesla-live', forcePrompt: true });

    // 1. Connect: preamble → brand → "Continue to Tesla" → Tesla's login → back → consent.
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US' });
    await sandbox(context);
    const page = await context.newPage();
    await page.goto(authUrl);
    await page.locator('button#continue-button').click();
    await page.locator('button#TESLA.brand-list-item').click();
    expect(await page.locator('#sign-in-button').count()).toBe(0);
    await page.locator('a#oem-sign-in-button').click();
    await teslaLogin(page);
    await page.locator('.page-content').waitFor();
    expect(await page.locator('.page-content').innerText()).toContain(VIN.slice(-6));
    await page.locator('button#approval-button').click();
    await page.waitForURL((u) => u.toString().startsWith(TEST_CLIENT.redirectUri), { timeout: 15_000 });
    const params = new URL(page.url()).searchParams;
    expect(params.get('error')).toBeNull();
    expect(params.get('state')).toBe('tesla-live');
    await context.close();

    // The scopes Tesla was asked for follow the permissions; the tokens opencar keeps are sealed.
    const asked = new URL(authorizeUrlOf(emu)).searchParams.get('scope')!.split(' ');
    expect(asked).toEqual(expect.arrayContaining(['openid', 'offline_access', 'vehicle_device_data', 'vehicle_location', 'vehicle_cmds', 'vehicle_charging_cmds']));

    // 2. The app exchanges the code and reaches the car through the Fleet API.
    const access = await client.exchangeCode(params.get('code')!);
    const { vehicles } = (await smartcar.getVehicles(access.accessToken)) as unknown as { vehicles: string[] };
    expect(vehicles).toHaveLength(1);
    const vehicle: Vehicle = new smartcar.Vehicle(vehicles[0]!, access.accessToken);
    expect(await vehicle.attributes()).toMatchObject({ make: 'TESLA', model: 'Model 3', year: 2019 });
    expect((await vehicle.vin()).vin).toBe(VIN);
    const loc = await vehicle.location();
    expect(loc).toMatchObject({ latitude: car.data.drive_state.latitude, longitude: car.data.drive_state.longitude });
    expect(loc.meta.dataAge!.getTime()).toBe((car.data.drive_state.gps_as_of as number) * 1000);
    expect((await vehicle.odometer()).distance).toBeCloseTo((car.data.vehicle_state.odometer as number) * 1.609344, 0);
    expect((await vehicle.battery()).percentRemaining).toBe((car.data.charge_state.battery_level as number) / 100);
    expect(await vehicle.charge()).toMatchObject({ isPluggedIn: false, state: 'NOT_CHARGING' });
    expect((await vehicle.getChargeLimit()).limit).toBe(0.8);
    expect((await vehicle.tirePressure()).frontLeft).toBeCloseTo((car.data.vehicle_state.tpms_pressure_fl as number) * 100, 1);
    expect((await vehicle.lockStatus()).isLocked).toBe(true);
    // A brand-specific endpoint of the contract, answered from vehicle_data, in the app's units.
    const battery = await vehicle.request('GET', 'tesla/battery', undefined, { 'sc-unit-system': 'imperial' });
    expect((battery.body as { rangeEstimated: number }).rangeEstimated).toBeCloseTo(car.data.charge_state.est_battery_range as number, 1);

    await vehicle.unlock();
    expect(car.data.vehicle_state.locked).toBe(false);
    await vehicle.lock();
    expect(car.data.vehicle_state.locked).toBe(true);
    await vehicle.setChargeLimit(0.9);
    expect(car.data.charge_state.charge_limit_soc).toBe(90);
    await expect(vehicle.startCharge()).rejects.toMatchObject({ type: 'VEHICLE_STATE', code: 'CHARGING_PLUG_NOT_CONNECTED' });
    car.data.charge_state.charging_state = 'Stopped';
    await vehicle.startCharge();
    expect((await vehicle.charge()).state).toBe('CHARGING');
    await vehicle.stopCharge();
    await vehicle.sendDestination(47.6205, -122.3493);
    expect(car.data.drive_state).toMatchObject({ active_route_latitude: 47.6205, active_route_longitude: -122.3493 });
    expect(emu.state.calls.filter((c) => c.server === 'proxy').map((c) => c.path.split('/').pop())).toEqual(
      ['door_unlock', 'door_lock', 'set_charge_limit', 'charge_start', 'charge_start', 'charge_stop', 'navigation_gps_request']);

    // A sleeping car: sc-allow-wake false answers from what opencar last saw; by default the read wakes it and says so.
    emu.state.sleep(VIN);
    const cached = await vehicle.request('GET', 'odometer', undefined, { 'sc-allow-wake': 'false' });
    expect((cached.body as { distance: number }).distance).toBeGreaterThan(0);
    expect(car.state).toBe('asleep');
    expect((await vehicle.odometer()).distance).toBeGreaterThan(0);
    expect(car.state).toBe('online');
    const woke = await server.platform.storage.db.selectFrom('ledger').select(['endpoint', 'woke']).where('woke', '=', 1).execute();
    expect(woke.map((r) => r.endpoint)).toEqual(['GET /v2.0/vehicles/:id/odometer']);

    // 3. The owner signs in to the portal with Tesla and revokes the app.
    const owner = await browser.newContext({ viewport: DESKTOP, locale: 'en-US' });
    await sandbox(owner);
    const op = await owner.newPage();
    op.on('dialog', (d) => void d.accept());
    await op.goto(`${server.url}/account`);
    await op.locator('a#owner-oem-sign-in-TESLA').click();
    await teslaLogin(op);
    const row = op.locator(`#vehicle-${vehicles[0]} [data-app-id="${TEST_CLIENT.clientId}"]`);
    await expect.poll(() => row.count()).toBe(1);
    await row.getByRole('button', { name: 'Revoke access' }).click();
    await op.waitForURL(/revoked=1/);
    await owner.close();

    // 4. The app's next call is refused; opencar no longer holds Tesla tokens for it.
    const err = await vehicle.odometer().then(() => undefined, (e: { type?: string; statusCode?: number }) => e);
    expect(err).toMatchObject({ type: 'AUTHENTICATION', statusCode: 401 });
    const tokens = await server.platform.storage.db.selectFrom('oem_tokens').select('app_id').execute();
    expect(tokens).toEqual([]);
  });
});

/** The authorize URL Connect sent the browser to (the emulator's login page was opened with it). */
function authorizeUrlOf(emu: TeslaEmulator): string {
  const c = emu.state.calls.find((x) => x.server === 'auth' && x.method === 'GET' && x.path === '/oauth2/v3/authorize')!;
  return `${emu.urls.auth}${c.path}?${c.query}`;
}
