import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VehicleError, catalogueKeyOf, toApiError, type VehicleConnector } from '../../../src/index.js';
import { teslaHarness, type TeslaHarness } from './harness.js';

/** Every Fleet API status the connector maps, answered by the emulator on a vehicle_data read. */
let h: TeslaHarness;
let c: VehicleConnector;
let ctx: { vehicleId: string; unitSystem: 'metric'; appId: string };

beforeEach(async () => {
  h = await teslaHarness();
  const got = await h.connected();
  ctx = got.ctx;
  c = (await h.backend.connector(got.vehicleId))!;
});
afterEach(async () => { await h.close(); });

const failure = async (p: Promise<unknown>): Promise<VehicleError> => {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(VehicleError);
  return e as VehicleError;
};
const json = (o: unknown) => JSON.stringify(o);
const dataCalls = () => h.emu.state.callsTo(/vehicle_data$/).length;
const tokenCalls = () => h.emu.state.callsTo(/oauth2\/v3\/token$/).length;

describe('Tesla Fleet API statuses → connector errors', () => {
  it.each([
    [402, json({ response: null, error: 'payment_required', error_description: '' }), { kind: 'upstream', code: 'KNOWN_ISSUE' }, 'UPSTREAM:KNOWN_ISSUE'],
    [403, json({ response: null, error: 'Unauthorized missing scopes', error_description: '' }), { kind: 'account', code: 'PERMISSION' }, 'CONNECTED_SERVICES_ACCOUNT:PERMISSION'],
    [403, json({ response: null, error: 'unsupported vehicle', error_description: '' }), { kind: 'not_capable' }, 'COMPATIBILITY:VEHICLE_NOT_CAPABLE'],
    [403, json({ response: null, error: 'forbidden', error_description: '' }), { kind: 'account', code: 'PERMISSION' }, 'CONNECTED_SERVICES_ACCOUNT:PERMISSION'],
    [404, json({ response: null, error: 'not_found', error_description: '' }), { kind: 'account', code: 'VEHICLE_MISSING' }, 'CONNECTED_SERVICES_ACCOUNT:VEHICLE_MISSING'],
    [405, json({ response: null, error: 'invalid_method', error_description: '' }), { kind: 'upstream', code: 'UNKNOWN_ISSUE' }, 'UPSTREAM:UNKNOWN_ISSUE'],
    [412, json({ error: 'A condition has not been met' }), { kind: 'upstream', code: 'KNOWN_ISSUE' }, 'UPSTREAM:KNOWN_ISSUE'],
    [422, json({ response: null, error: 'invalid_resource', error_description: '' }), { kind: 'upstream', code: 'UNKNOWN_ISSUE' }, 'UPSTREAM:UNKNOWN_ISSUE'],
    [423, '', { kind: 'account', code: 'ACCOUNT_ISSUE' }, 'CONNECTED_SERVICES_ACCOUNT:ACCOUNT_ISSUE'],
    [451, json({ response: null, error: 'privacy', error_description: '' }), { kind: 'account', code: 'ACCOUNT_ISSUE' }, 'CONNECTED_SERVICES_ACCOUNT:ACCOUNT_ISSUE'],
    [500, json({ response: null, error: 'internal error', error_description: '' }), { kind: 'upstream', code: 'UNKNOWN_ISSUE' }, 'UPSTREAM:UNKNOWN_ISSUE'],
    [500, json({ response: null, error: 'context deadline exceeded', error_description: '' }), { kind: 'timeout' }, 'UPSTREAM:NO_RESPONSE'],
    [502, '<html><body>Bad gateway</body></html>', { kind: 'upstream', code: 'UNKNOWN_ISSUE' }, 'UPSTREAM:UNKNOWN_ISSUE'],
    [504, '', { kind: 'timeout' }, 'UPSTREAM:NO_RESPONSE'],
    [540, json({ response: null, error: 'device unexpected response', error_description: '' }), { kind: 'upstream', code: 'UNKNOWN_ISSUE' }, 'UPSTREAM:UNKNOWN_ISSUE'],
    [418, json({ error: 'teapot' }), { kind: 'upstream', code: 'UNKNOWN_ISSUE' }, 'UPSTREAM:UNKNOWN_ISSUE'],
  ])('%i %s → %j', async (status, body, kind, wire) => {
    h.emu.state.fault({ server: 'na', path: /vehicle_data$/, status, body });
    const e = await failure(c.odometer!(ctx));
    expect(e.failure).toEqual(kind);
    expect(catalogueKeyOf(e.failure)).toBe(wire);
    // Tesla bills every answer below 500: the budget keeps those and gives the others back.
    expect(dataCalls()).toBe(1);
    expect(await h.backend.quota.usedToday(h.car.vin, 'data')).toBe(status < 500 ? 1 : 0);
  });

  it('the budget counts what Tesla bills: a 401 and the repeat after the refresh; both 421s of a wrong region', async () => {
    h.emu.state.expireAccessTokens();
    await c.odometer!(ctx);
    expect(h.emu.state.callsTo(/vehicle_data$/).map((x) => x.status)).toEqual([401, 200]);
    expect(await h.backend.quota.usedToday(h.car.vin, 'data')).toBe(2);
    // Tesla names the EU base; the (NA) owner's car is not there either, so EU answers 421 too.
    h.emu.state.fault({ server: 'na', path: /vehicle_data$/, status: 421, body: json({ response: null, error: `user out of region, use base URL: ${h.emu.urls.eu}`, error_description: '' }) });
    await failure(c.odometer!(ctx));
    expect(h.emu.state.callsTo(/vehicle_data$/).slice(2).map((x) => `${x.server} ${x.status}`)).toEqual(['na 421', 'eu 421']);
    expect(await h.backend.quota.usedToday(h.car.vin, 'data')).toBe(4);
  });

  it('402 and an unregistered region tell the developer what the operator must do', async () => {
    h.emu.state.fault({ server: 'na', path: /vehicle_data$/, status: 402, body: json({ error: 'payment required' }) });
    expect(toApiError(await failure(c.odometer!(ctx))).description).toMatch(/payment method/);
    h.emu.state.registrations.delete('emulated-client|na');
    const e = await failure(c.odometer!(ctx));
    expect(e.detail.description).toMatch(/not registered in this vehicle's Tesla region/);
    expect(e.message).toMatch(/npm run tesla -- register/);
  });

  it('401 without a body: refreshes the token once, repeats the call, and rotates the refresh token', async () => {
    const before = await h.backend.repo.tokens((await h.backend.repo.vehicle(ctx.vehicleId))!.account_id, 'app-1');
    h.emu.state.expireAccessTokens();
    const r = await c.odometer!(ctx);
    expect(r.value.distance).toBeGreaterThan(0);
    expect(tokenCalls()).toBe(2); // the sign-in and one refresh
    expect(h.emu.state.callsTo(/vehicle_data$/).map((x) => x.status)).toEqual([401, 200]);
    const after = await h.backend.repo.tokens(before!.account_id, 'app-1');
    expect(after!.version).toBe(before!.version + 1);
    expect(after!.refresh_sealed).not.toBe(before!.refresh_sealed);
  });

  it('401 again after the refresh: AUTHENTICATION_FAILED, refreshed only once', async () => {
    h.emu.state.fault({ server: 'na', path: /vehicle_data$/, status: 401, times: 3 });
    const e = await failure(c.odometer!(ctx));
    expect(catalogueKeyOf(e.failure)).toBe('CONNECTED_SERVICES_ACCOUNT:AUTHENTICATION_FAILED');
    expect(tokenCalls()).toBe(2);
    expect(dataCalls()).toBe(2);
  });

  it('a refused refresh token: AUTHENTICATION_FAILED, and no further Tesla call until the owner signs in again', async () => {
    h.emu.state.expireAccessTokens();
    h.emu.state.revokeRefreshTokens();
    const e = await failure(c.odometer!(ctx));
    expect(e.failure).toEqual({ kind: 'oem_auth_failed' });
    const calls = h.emu.state.calls.length;
    expect((await failure(c.battery!(ctx))).failure).toEqual({ kind: 'oem_auth_failed' });
    expect(h.emu.state.calls.length).toBe(calls);
    expect((await h.connect()).ok).toBe(true);
    expect((await c.battery!(ctx)).value.percentRemaining).toBeGreaterThan(0);
  });

  it('401 mobile_access_disabled: REMOTE_ACCESS_DISABLED without a refresh', async () => {
    h.car.mobileAccess = false;
    const e = await failure(c.odometer!(ctx));
    expect(catalogueKeyOf(e.failure)).toBe('VEHICLE_STATE:REMOTE_ACCESS_DISABLED');
    expect(tokenCalls()).toBe(1);
  });

  it('412 from Tesla when the app is not registered in the region', async () => {
    h.emu.state.registrations.delete('emulated-client|na');
    const e = await failure(c.odometer!(ctx));
    expect(e.detail.oemRule).toBe('412 partner registration');
  });

  it('429: UPSTREAM:RATE_LIMIT with retry-after, and no call reaches Tesla until it has passed', async () => {
    h.emu.state.fault({ server: 'na', path: /vehicle_data$/, status: 429, headers: { 'retry-after': '7200' }, body: json({ error: 'Retry in 7200 seconds' }) });
    const e = await failure(c.odometer!(ctx));
    expect(e.failure).toEqual({ kind: 'upstream_rate_limit', retryAfter: 7200 });
    expect(toApiError(e).retryAfter).toBe(7200);
    expect((await failure(c.battery!(ctx))).failure.kind).toBe('upstream_rate_limit');
    expect(dataCalls()).toBe(1);
    h.clock.advance(7201_000);
    expect((await c.battery!(ctx)).source).toBe('live');
  });

  it('429 with only "Retry in N seconds" in the body', async () => {
    h.emu.state.fault({ server: 'na', path: /vehicle_data$/, status: 429, body: json({ error: 'Retry in 37829 seconds' }) });
    expect((await failure(c.odometer!(ctx))).failure).toEqual({ kind: 'upstream_rate_limit', retryAfter: 37829 });
  });

  it('Tesla\'s own daily limit answers 429 until 00:00 UTC', async () => {
    h.emu.state.dailyDataLimit = 1;
    await c.odometer!(ctx);
    const e = await failure(c.odometer!(ctx));
    expect(e.failure.kind).toBe('upstream_rate_limit');
    expect((e.failure as { retryAfter: number }).retryAfter).toBe(h.emu.state.secondsToMidnight());
  });

  it.each([
    ['not JSON', 'response{'],
    ['no envelope', json({ odometer: 12 })],
    ['response is a string', json({ response: 'online' })],
    ['odometer is a string', json({ response: { vehicle_state: { odometer: 'far', timestamp: 1 } } })],
    ['section is an array', json({ response: { vehicle_state: [1, 2] } })],
    ['section missing', json({ response: { state: 'online' } })],
  ])('malformed 200 (%s) → UPSTREAM:INVALID_DATA', async (_name, body) => {
    h.emu.state.fault({ server: 'na', path: /vehicle_data$/, status: 200, body });
    expect((await failure(c.odometer!(ctx))).failure).toEqual({ kind: 'upstream', code: 'INVALID_DATA' });
  });

  it('an answer larger than the body cap → UPSTREAM:INVALID_DATA', async () => {
    h.emu.state.fault({ server: 'na', path: /vehicle_data$/, status: 200, body: json({ response: { pad: 'x'.repeat(5 * 1024 * 1024) } }) });
    expect((await failure(c.odometer!(ctx))).failure).toEqual({ kind: 'upstream', code: 'INVALID_DATA' });
  });
});

describe('regions', () => {
  it('421: moves the account to the region Tesla names, remembers it, and answers', async () => {
    const eu = h.emu.state.addUser({ email: 'eu-owner@example.com', password: 'pw', region: 'eu' });
    h.emu.state.addVehicle(eu, { vin: '5YJ3E7EB4KF000002' });
    const r = await h.connect('app-1', { email: eu.email, password: 'pw' });
    if (!r.ok) throw new Error('sign-in failed');
    const v = r.vehicles[0]!;
    const account = (await h.backend.repo.account(r.accountId))!;
    expect(account.region).toBe('eu');
    await h.backend.repo.setBase(r.accountId, 'na', h.emu.urls.na, h.clock.now());
    const euCtx = { vehicleId: v.vehicleId, unitSystem: 'metric' as const, appId: 'app-1' };
    expect((await c.odometer!(euCtx)).value.distance).toBeGreaterThan(0);
    expect(h.emu.state.callsTo(/000002\/vehicle_data$/).map((x) => `${x.server} ${x.status}`)).toEqual(['na 421', 'eu 200']);
    expect((await h.backend.repo.account(r.accountId))!.base_url).toBe(h.emu.urls.eu);
    await c.battery!(euCtx);
    expect(h.emu.state.callsTo(/000002\/vehicle_data$/).map((x) => x.server)).toEqual(['na', 'eu', 'eu']);
  });

  it('a code without a region prefix: the new account\'s region comes from GET /api/1/users/region, before any vehicle call', async () => {
    const eu = h.emu.state.addUser({ email: 'eu-plain@example.com', password: 'pw', region: 'eu' });
    h.emu.state.addVehicle(eu, { vin: '5YJ3E7EB4KF000003' });
    h.emu.state.regionPrefixedCodes = false;
    const r = await h.connect('app-1', { email: eu.email, password: 'pw' });
    if (!r.ok) throw new Error('sign-in failed');
    expect((await h.backend.repo.account(r.accountId))!).toMatchObject({ region: 'eu', base_url: h.emu.urls.eu });
    expect(h.emu.state.calls.filter((x) => x.server !== 'auth').slice(-2).map((x) => `${x.server} ${x.path} ${x.status}`)).toEqual([
      'na /api/1/users/region 200', 'eu /api/1/vehicles 200',
    ]);
  });

  it('a code without a region prefix and a region call that fails: the default region, corrected by the 421 later', async () => {
    const eu = h.emu.state.addUser({ email: 'eu-plain2@example.com', password: 'pw', region: 'eu' });
    h.emu.state.addVehicle(eu, { vin: '5YJ3E7EB4KF000004' });
    h.emu.state.regionPrefixedCodes = false;
    h.emu.state.fault({ server: 'na', path: /users\/region$/, status: 403, body: json({ response: null, error: 'Unauthorized missing scopes', error_description: '' }) });
    const r = await h.connect('app-1', { email: eu.email, password: 'pw' });
    if (!r.ok) throw new Error('sign-in failed');
    expect(h.emu.state.calls.filter((x) => x.server !== 'auth').slice(-3).map((x) => `${x.server} ${x.path} ${x.status}`)).toEqual([
      'na /api/1/users/region 403', 'na /api/1/vehicles 421', 'eu /api/1/vehicles 200',
    ]);
    expect((await h.backend.repo.account(r.accountId))!).toMatchObject({ region: 'eu', base_url: h.emu.urls.eu });
  });

  it('421 naming a host that is not a configured Tesla region: not followed', async () => {
    h.emu.state.fault({ server: 'na', path: /vehicle_data$/, status: 421, body: json({ response: null, error: 'user out of region, use base URL: https://fleet-api.example.net, see …' }) });
    const e = await failure(c.odometer!(ctx));
    expect(e.failure).toEqual({ kind: 'upstream', code: 'UNKNOWN_ISSUE' });
    expect((await h.backend.repo.account((await h.backend.repo.vehicle(ctx.vehicleId))!.account_id))!.base_url).toBe(h.emu.urls.na);
  });

  it('421 with an Alt-Svc header naming Tesla\'s EU host: mapped onto the configured EU base', async () => {
    h.emu.state.fault({ server: 'na', path: /vehicle_data$/, status: 421, headers: { 'alt-svc': 'h2=https://fleet-api.prd.eu.vn.cloud.tesla.com' }, body: '' });
    const e = await failure(c.odometer!(ctx));
    // The emulated EU region then answers 421 itself (the owner is in NA): the connector moved once and stops.
    expect(e.failure.kind).toBe('upstream');
    expect(h.emu.state.callsTo(/vehicle_data$/).map((x) => x.server)).toEqual(['na', 'eu']);
  });
});
