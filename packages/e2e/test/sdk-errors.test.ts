import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import smartcar, { type SmartcarError, type Vehicle } from 'smartcar';
import { TEST_CLIENT } from '../src/index.js';
import { sdkWorld, type SdkWorld } from './sdk-connect.js';

/** Error paths as the official SDK surfaces them: SmartcarError with the catalogue's type, code, status and resolution. */
let w: SdkWorld;
let tesla: { vehicle: Vehicle; vehicleId: string; token: string };
let other: { vehicleId: string };

async function failure(p: Promise<unknown>): Promise<SmartcarError> {
  const result = await p.then(() => undefined, (e: unknown) => e);
  expect(result, 'the call should have failed').toBeInstanceOf(smartcar.SmartcarError);
  return result as SmartcarError;
}

const expectCatalogue = (e: SmartcarError, statusCode: number, type: string, code: string | undefined, resolution: string | null) => {
  expect(e.statusCode).toBe(statusCode);
  expect(e.type).toBe(type);
  expect(e.code).toBe(code);
  expect(e.message).toBe(`${type}:${code ?? null} - ${e.description}`);
  expect(e.requestId).toHaveLength(36);
  expect(e.resolution).toEqual({ type: resolution });
  expect(e.docURL).toMatch(/\/docs\/errors\/[a-z-]+#[a-z-]+$/);
  expect(e.suggestedUserMessage).toEqual(expect.any(String));
};

beforeAll(async () => {
  w = await sdkWorld();
  const a = await w.connect('TESLA', 'errors-owner@example.com');
  tesla = { vehicle: a.vehicle, vehicleId: a.vehicleId, token: a.access.accessToken };
  const b = await w.connect('TESLA', 'someone-else@example.com');
  other = { vehicleId: b.vehicleId };
});
afterAll(async () => w?.close());

describe('official SDK error paths against opencar', () => {
  it('bad token → AUTHENTICATION 401', async () => {
    const e = await failure(new smartcar.Vehicle(tesla.vehicleId, 'not-a-valid-token').odometer());
    expectCatalogue(e, 401, 'AUTHENTICATION', undefined, null);
    expectCatalogue(await failure(smartcar.getVehicles('not-a-valid-token')), 401, 'AUTHENTICATION', undefined, null);
    expectCatalogue(await failure(smartcar.getUser('')), 401, 'AUTHENTICATION', undefined, null);
  });

  it('missing permission → PERMISSION 403 (REAUTHENTICATE)', async () => {
    const narrow = await w.connect('TESLA', 'narrow-owner@example.com', ['read_odometer']);
    expect((await narrow.vehicle.odometer()).distance).toEqual(expect.any(Number));
    expectCatalogue(await failure(narrow.vehicle.location()), 403, 'PERMISSION', undefined, 'REAUTHENTICATE');
    expectCatalogue(await failure(narrow.vehicle.lock()), 403, 'PERMISSION', undefined, 'REAUTHENTICATE');
  });

  it("another owner's vehicle is out of reach → RESOURCE_NOT_FOUND 404", async () => {
    const foreign = new smartcar.Vehicle(other.vehicleId, tesla.token);
    expectCatalogue(await failure(foreign.odometer()), 404, 'RESOURCE_NOT_FOUND', 'PATH', null);
    expectCatalogue(await failure(foreign.unlock()), 404, 'RESOURCE_NOT_FOUND', 'PATH', null);
    expectCatalogue(await failure(foreign.disconnect()), 404, 'RESOURCE_NOT_FOUND', 'PATH', null);
  });

  it('incapable vehicle → COMPATIBILITY:VEHICLE_NOT_CAPABLE 501 (fuel and oil on a BEV)', async () => {
    expectCatalogue(await failure(tesla.vehicle.fuel()), 501, 'COMPATIBILITY', 'VEHICLE_NOT_CAPABLE', null);
    expectCatalogue(await failure(tesla.vehicle.engineOil()), 501, 'COMPATIBILITY', 'VEHICLE_NOT_CAPABLE', null);
  });

  it('asleep vehicle → VEHICLE_STATE:ASLEEP 409 on data, static endpoints still answer', async () => {
    const asleep = await w.connect('TESLA', 'VEHICLE_STATE.ASLEEP@smartcar.com', ['read_odometer', 'read_vin', 'read_vehicle_info'], 'test');
    expectCatalogue(await failure(asleep.vehicle.odometer()), 409, 'VEHICLE_STATE', 'ASLEEP', null);
    expect((await asleep.vehicle.vin()).vin).toBe('0SCLR0002E8896323');
    expect((await asleep.vehicle.permissions()).permissions).toEqual(['read_odometer', 'read_vehicle_info', 'read_vin']);
  });

  it('invalid charge limit → VALIDATION 400 with detail', async () => {
    for (const limit of [0.2, 1.5]) {
      const e = await failure(tesla.vehicle.setChargeLimit(limit));
      expectCatalogue(e, 400, 'VALIDATION', undefined, null);
      expect(e.detail?.length).toBeGreaterThan(0);
    }
    const raw = await failure(tesla.vehicle.request('POST', 'charge/limit', { limit: 'lots' }));
    expectCatalogue(raw, 400, 'VALIDATION', undefined, null);
  });

  it('out-of-range destination → rejected by the SDK, and VALIDATION 400 from the API when sent anyway', async () => {
    await expect(tesla.vehicle.sendDestination(91, 0)).rejects.toThrow(/latitude/);
    await expect(tesla.vehicle.sendDestination(0, 181)).rejects.toThrow(/longitude/);
    const e = await failure(tesla.vehicle.request('POST', 'navigation/destination', { latitude: 91, longitude: 0 }));
    expectCatalogue(e, 400, 'VALIDATION', undefined, null);
    const e2 = await failure(tesla.vehicle.request('POST', 'navigation/destination', { latitude: 0, longitude: -180.5 }));
    expectCatalogue(e2, 400, 'VALIDATION', undefined, null);
  });

  it('unknown path and unsupported version → RESOURCE_NOT_FOUND', async () => {
    expectCatalogue(await failure(tesla.vehicle.request('GET', 'warp/drive')), 404, 'RESOURCE_NOT_FOUND', 'PATH', null);
    expectCatalogue(await failure(tesla.vehicle.request('GET', 'odometer', null, {}, '1.0')), 404, 'RESOURCE_NOT_FOUND', 'VERSION', null);
  });

  it('OEM sign-in failure → CONNECTED_SERVICES_ACCOUNT:AUTHENTICATION_FAILED whose resolution url opens the Connect sign-in page (v2 and v3)', async () => {
    const failing = await w.connect('TESLA', 'CONNECTED_SERVICES_ACCOUNT.AUTHENTICATION_FAILED@smartcar.com', ['read_odometer', 'read_vehicle_info'], 'test');
    const res = await fetch(`${w.server.url}/v2.0/vehicles/${failing.vehicleId}/odometer`, { headers: { authorization: `Bearer ${failing.access.accessToken}` } });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body).toMatchObject({ type: 'CONNECTED_SERVICES_ACCOUNT', code: 'AUTHENTICATION_FAILED', resolution: { type: 'REAUTHENTICATE' } });
    const url = new URL(body.resolution.url);
    expect(url.pathname).toBe('/oauth/reauthenticate');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ response_type: 'vehicle_id', client_id: TEST_CLIENT.clientId, vehicle_id: failing.vehicleId });
    const start = await fetch(url, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const cookie = start.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const page = await fetch(new URL(start.headers.get('location')!, url), { headers: { cookie } });
    const html = await page.text();
    expect(page.status, html.slice(0, 300)).toBe(200);
    expect(html).toMatch(/<form\b[^>]*action="[^"]*\/login"/);
    expect(html).toMatch(/name="username"/);

    const v3 = await fetch(`${w.server.url}/v3/vehicles/${failing.vehicleId}/signals/odometer-traveleddistance`, { headers: { authorization: `Bearer ${failing.access.accessToken}` } });
    const v3Body = await v3.json();
    expect(v3Body.errors[0]).toMatchObject({ type: 'CONNECTED_SERVICES_ACCOUNT', code: 'AUTHENTICATION_FAILED', resolution: { type: 'REAUTHENTICATE', url: body.resolution.url } });
  });

  it('a v3 error reaches the SDK as a typed SmartcarError (mistyped signal code → RESOURCE_NOT_FOUND:SIGNAL_NOT_FOUND)', async () => {
    const e = await failure(tesla.vehicle.getSignal('vin'));
    expectCatalogue(e, 404, 'RESOURCE_NOT_FOUND', 'SIGNAL_NOT_FOUND', null);
  });

  it('v3 errors arrive in the v3 envelope', async () => {
    const res = await fetch(`${w.server.url}/v3/vehicles/${other.vehicleId}/signals`, { headers: { authorization: `Bearer ${tesla.token}` } });
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body.errors[0]).toMatchObject({ status: '404', type: 'RESOURCE_NOT_FOUND', code: 'PATH' });
  });
});
