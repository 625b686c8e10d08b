import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CLIENT, startServer, type LiveServer } from '../src/index.js';
import type { TeslaEmulator } from '../../connectors/test/oem/tesla/emulator/server.js';
import { startTeslaPlatform, type TeslaPlatform } from './tesla-platform.js';
import { Browser, csrfOf, flowBase, form, teslaLogin as login } from './tesla-browser.js';
import type { EmuVehicle } from '../../connectors/test/oem/tesla/emulator/state.js';

/**
 * Live Connect for Tesla over plain HTTP (a browser's redirects and cookies, no page scripts): the
 * sign-in step sends the owner to Tesla and back, and the API surfaces Tesla's account problems
 * with the links the owner needs (re-authentication, virtual-key pairing).
 */
const VIN = '5YJ3E7EB4KF000009';
const OWNER = { email: 'http.owner@example.com', password: 'pw-tesla' };

describe('Tesla live Connect over HTTP', () => {
  let platform: TeslaPlatform;
  let emu: TeslaEmulator;
  let server: LiveServer;
  let car: EmuVehicle;
  let publicPem: string;

  beforeAll(async () => {
    platform = await startTeslaPlatform();
    ({ emu, server, publicPem } = platform);
    car = emu.state.addVehicle(emu.state.addUser({ ...OWNER, region: 'na' }), { vin: VIN });
  });
  afterAll(async () => { await platform?.close(); });

  const authorize = (extra = '') => `${server.url}/oauth/authorize?response_type=code&client_id=${TEST_CLIENT.clientId}&redirect_uri=${encodeURIComponent(TEST_CLIENT.redirectUri)}&scope=read_vehicle_info%20read_odometer%20read_battery%20control_security&mode=live&make=TESLA&approval_prompt=force&state=s1${extra}`;

  /** Preamble → Tesla's sign-in page link; returns the flow's base URL and the Tesla authorize URL. */

  async function toTesla(b: Browser): Promise<{ flowUrl: string; teslaUrl: string }> {
    const { res, url } = await b.follow(authorize());
    const flowUrl = flowBase(url);
    const html = await res.text();
    await b.go(`${flowUrl}/continue`, form({ _csrf: csrfOf(html) }));
    const page = (await b.follow(flowUrl)).res;
    const pageHtml = await page.text();
    expect(pageHtml).toContain('id="oem-sign-in-button"');
    expect(pageHtml).not.toContain('id="sign-in-button"');
    const start = await b.go(`${flowUrl}/oem`);
    expect(start.status).toBe(302);
    return { flowUrl, teslaUrl: start.headers.get('location')! };
  }

  const teslaLogin = (b: Browser, teslaUrl: string) => login(b, emu, teslaUrl, OWNER);

  async function connect(b = new Browser()): Promise<{ code: string; flowUrl: string }> {
    const { flowUrl, teslaUrl } = await toTesla(b);
    const back = await teslaLogin(b, teslaUrl);
    expect(back.startsWith(`${server.url}/connect/oem/tesla/callback?`)).toBe(true);
    const { res } = await b.follow(back);
    const consent = await res.text();
    expect(consent).toContain('id="approval-button"');
    const vehicleId = /name="vehicle" value="([^"]+)"/.exec(consent)![1]!;
    const done = await b.go(`${flowUrl}/consent`, form({ _csrf: csrfOf(consent), vehicle: vehicleId, decision: 'approve' }));
    const to = new URL(done.headers.get('location')!);
    return { code: to.searchParams.get('code')!, flowUrl };
  }

  async function token(code: string): Promise<string> {
    const res = await fetch(`${server.url}/oauth/token`, {
      method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${TEST_CLIENT.clientId}:${TEST_CLIENT.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: TEST_CLIENT.redirectUri }),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  }

  const api = async (accessToken: string, path: string, init: RequestInit = {}) => {
    const vehicles = (await (await fetch(`${server.url}/v2.0/vehicles`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as { vehicles: string[] };
    const res = await fetch(`${server.url}/v2.0/vehicles/${vehicles.vehicles[0]}/${path}`, { ...init, headers: { authorization: `Bearer ${accessToken}`, ...(init.headers as Record<string, string> | undefined) } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers, vehicleId: vehicles.vehicles[0]! };
  };

  it('the sign-in goes to Tesla and back, then to the consent page; the code reaches the car', async () => {
    const { code } = await connect();
    const at = await token(code);
    const r = await api(at, 'odometer');
    expect(r.status).toBe(200);
    expect(r.body.distance).toBeGreaterThan(0);
  });

  it('a password posted for Tesla is ignored: the sign-in happens at Tesla only', async () => {
    const b = new Browser();
    const { flowUrl } = await toTesla(b);
    const page = await (await b.follow(flowUrl)).res.text();
    const res = await b.go(`${flowUrl}/login`, form({ _csrf: csrfOf(page), username: OWNER.email, password: OWNER.password }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${new URL(flowUrl).pathname}/login`);
  });

  it('a return whose state is not this flow\'s is refused; Tesla\'s access_denied goes back to the app', async () => {
    const b = new Browser();
    const { flowUrl, teslaUrl } = await toTesla(b);
    const state = new URL(teslaUrl).searchParams.get('state')!;
    const forged = await b.go(`${flowUrl}/oem/return?code=NA_x&state=${encodeURIComponent(`${state}x`)}`);
    expect(forged.status).toBe(400);
    const { flowUrl: f2, teslaUrl: t2 } = await toTesla(b);
    const denied = await b.follow(`${server.url}/connect/oem/tesla/callback?error=access_denied&state=${encodeURIComponent(new URL(t2).searchParams.get('state')!)}`, (u) => u.startsWith(TEST_CLIENT.redirectUri));
    expect(new URL(denied.url).searchParams.get('error')).toBe('access_denied');
    expect(f2).not.toBe(flowUrl);
    // Another browser (without the flow's cookie) cannot complete someone else's flow.
    const { teslaUrl: t3, flowUrl: f3 } = await toTesla(b);
    const back = await teslaLogin(b, t3);
    const other = await new Browser().follow(back);
    expect(other.res.status).toBe(403);
    expect(f3).toBeTruthy();
  });

  it('a refresh token Tesla refuses: AUTHENTICATION_FAILED with the re-auth link; re-authenticating at Tesla restores access', async () => {
    const at = await token((await connect()).code);
    emu.state.expireAccessTokens();
    emu.state.revokeRefreshTokens();
    const r = await api(at, 'odometer');
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ type: 'CONNECTED_SERVICES_ACCOUNT', code: 'AUTHENTICATION_FAILED', resolution: { type: 'REAUTHENTICATE' } });
    const link = (r.body.resolution as { url: string }).url;
    expect(link).toContain(`/oauth/reauthenticate?response_type=vehicle_id&client_id=${TEST_CLIENT.clientId}&vehicle_id=${r.vehicleId}`);
    const b = new Browser();
    const { res, url } = await b.follow(`${link}&redirect_uri=${encodeURIComponent(TEST_CLIENT.redirectUri)}`);
    const flowUrl = flowBase(url);
    expect(await res.text()).toContain('id="oem-sign-in-button"');
    const start = await b.go(`${flowUrl}/oem`);
    const back = await teslaLogin(b, start.headers.get('location')!);
    const done = await b.follow(back, (u) => u.startsWith(TEST_CLIENT.redirectUri));
    expect(new URL(done.url).searchParams.get('vehicle_id')).toBe(r.vehicleId);
    expect((await api(at, 'odometer')).status).toBe(200);
  });

  it('a car without opencar\'s virtual key: VIRTUAL_KEY_REQUIRED with Tesla\'s pairing link', async () => {
    const at = await token((await connect()).code);
    car.pairedKeys.clear();
    const r = await api(at, 'security', { method: 'POST', body: JSON.stringify({ action: 'UNLOCK' }), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ type: 'CONNECTED_SERVICES_ACCOUNT', code: 'VIRTUAL_KEY_REQUIRED', resolution: { type: 'ACTION_REQUIRED', url: 'https://tesla.com/_ak/opencar.test' } });
    emu.state.pair(VIN, publicPem);
  });

  it('sc-allow-wake: false answers ASLEEP for a sleeping car with nothing cached; a wrong value is a VALIDATION error', async () => {
    const at = await token((await connect()).code);
    emu.state.sleep(VIN);
    // Nothing of charge_state was read before (odometer reads only fetched vehicle_state).
    const asleep = await api(at, 'battery', { headers: { 'sc-allow-wake': 'false' } });
    expect(asleep.status).toBe(409);
    expect(asleep.body).toMatchObject({ type: 'VEHICLE_STATE', code: 'ASLEEP' });
    expect((await api(at, 'battery', { headers: { 'sc-allow-wake': 'maybe' } })).body).toMatchObject({ type: 'VALIDATION' });
    const woke = await api(at, 'battery', { headers: { 'sc-allow-wake': 'TRUE' } });
    expect(woke.status).toBe(200);
    // The odometer was read before: a sleeping car answers it from the last known state, with its older data age.
    emu.state.sleep(VIN);
    const cached = await api(at, 'odometer', { headers: { 'sc-allow-wake': 'false' } });
    expect(cached.status).toBe(200);
    expect(Date.parse(cached.headers.get('sc-data-age')!)).toBeLessThanOrEqual(Date.parse(cached.headers.get('sc-fetched-at')!));
  });

  it('serves the public key at the well-known path Tesla fetches', async () => {
    const res = await fetch(`${server.url}/.well-known/appspecific/com.tesla.3p.public-key.pem`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-pem-file');
    expect(await res.text()).toBe(publicPem);
  });
});

describe('live Connect without a Tesla configuration', () => {
  let server: LiveServer;
  beforeAll(async () => { server = await startServer(); });
  afterAll(async () => { await server?.close(); });

  it('Tesla is unavailable in live Connect (never the simulator), and no key is served', async () => {
    const b = new Browser();
    const { res, url } = await b.follow(`${server.url}/oauth/authorize?response_type=code&client_id=${TEST_CLIENT.clientId}&redirect_uri=${encodeURIComponent(TEST_CLIENT.redirectUri)}&scope=read_odometer&mode=live&make=TESLA&state=x`);
    const next = await b.go(`${/^.*\/connect\/[0-9a-f-]{36}/.exec(url)![0]}/continue`, form({ _csrf: csrfOf(await res.text()) }));
    const to = new URL(next.headers.get('location')!);
    expect(`${to.origin}${to.pathname}`).toBe(TEST_CLIENT.redirectUri);
    expect(to.searchParams.get('error')).toBe('vehicle_incompatible');
    expect((await fetch(`${server.url}/.well-known/appspecific/com.tesla.3p.public-key.pem`)).status).toBe(404);
  });
});
