import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { issueMachineCredential } from '@opencar/oauth';
import { DESKTOP, TEST_CLIENT, hasChromium, launchBrowser, startServer, type LiveServer } from '../src/index.js';

/**
 * An API v3 app as one is written today: plain fetch, an application token from client
 * credentials, v3 Connect in a real browser (application_id, external_id), then connections,
 * signals and commands with `sc-user-id`.
 */
describe.skipIf(!hasChromium())('a v3 app against opencar (fetch, client credentials, Connect in Chromium)', () => {
  let server: LiveServer;
  let browser: Browser;
  let creds: { clientId: string; clientSecret: string };
  beforeAll(async () => {
    server = await startServer();
    // What the dashboard shows once under "v3 client id / secret".
    creds = await issueMachineCredential(server.platform.storage, server.platform.clock, TEST_CLIENT.clientId);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => { await browser?.close(); await server?.close(); });

  it('connects a vehicle, finds it in connections, reads signals and sends commands', async () => {
    const tokenRes = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: creds.clientId, client_secret: creds.clientSecret, grant_type: 'client_credentials' }),
    });
    expect(tokenRes.status).toBe(200);
    const { access_token: token, expires_in: expiresIn } = await tokenRes.json() as { access_token: string; expires_in: number };
    expect(expiresIn).toBe(3600);

    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US' });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(server.url)) return route.continue();
      if (url.startsWith(TEST_CLIENT.redirectUri)) return route.fulfill({ status: 200, contentType: 'text/html', body: '<p>app callback</p>' });
      return route.abort();
    });
    const page = await context.newPage();
    const authorize = new URL(`${server.url}/oauth/authorize`);
    for (const [k, v] of Object.entries({
      response_type: 'none', application_id: TEST_CLIENT.clientId, redirect_uri: TEST_CLIENT.redirectUri,
      scope: 'read_vehicle_info read_vin read_odometer read_battery read_charge read_security control_security control_charge', mode: 'simulated',
      state: 'v3-state', external_id: 'customer-7',
    })) authorize.searchParams.set(k, v);
    await page.goto(authorize.toString());
    await page.locator('button#continue-button').click();
    await page.locator('button#TESLA.brand-list-item').click();
    await page.locator('input#username').fill('5YJ3E1EA7KF000099@bev.smartcar.com');
    await page.locator('input#password').fill('secret-password');
    await page.locator('#sign-in-button').click();
    await page.locator('button#approval-button').click();
    await page.waitForURL((u) => u.toString().startsWith(TEST_CLIENT.redirectUri), { timeout: 15_000 });
    const back = new URL(page.url()).searchParams;
    await context.close();
    expect([...back.keys()].sort()).toEqual(['external_id', 'state', 'user_id']);
    expect(back.get('external_id')).toBe('customer-7');
    const userId = back.get('user_id')!;

    const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}/v3${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'sc-user-id': userId, ...(init.headers ?? {}) } });
    const conns = await (await api('/connections?filter[vehicle.mode]=simulated&filter[user.externalId]=customer-7')).json();
    expect(conns.meta.totalCount).toBe(1);
    const vehicleId = conns.data[0].relationships.vehicle.data.id as string;
    expect(conns.data[0].attributes.permissions).toContain('control_security');

    const vehicle = await (await api(`/vehicles/${vehicleId}`)).json();
    expect(vehicle.attributes).toMatchObject({ make: 'TESLA', powertrainType: 'BEV', mode: 'simulated' });
    const signals = await (await api(`/vehicles/${vehicleId}/signals`)).json();
    const soc = signals.data.find((s: { id: string }) => s.id === 'tractionbattery-stateofcharge');
    expect(soc.attributes.status.value).toBe('SUCCESS');
    expect(soc.attributes.body.unit).toBe('percent');

    const lock = await api(`/vehicles/${vehicleId}/commands/security/lock`, { method: 'POST' });
    expect(lock.status).toBe(200);
    expect((await lock.json()).data.attributes.status.value).toBe('SUCCESS');
    const locked = await (await api(`/vehicles/${vehicleId}/signals/closure-islocked`)).json();
    expect(locked.attributes.body).toEqual({ value: true });
    const limit = await api(`/vehicles/${vehicleId}/commands/charge/set-limit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { attributes: { percent: 90 } } }) });
    expect(limit.status).toBe(200);
    const noUser = await fetch(`${server.url}/v3/vehicles/${vehicleId}/signals`, { headers: { authorization: `Bearer ${token}` } });
    expect(noUser.status).toBe(400);
    expect((await noUser.json()).errors[0].code).toBe('MISSING_PARAMETER');
  }, 90_000);
});
