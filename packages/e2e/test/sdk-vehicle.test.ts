import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import smartcar, { type Meta, type Vehicle } from 'smartcar';
import { batteryCapacityUrl } from '@opencar/oauth';
import { TEST_CLIENT } from '../src/index.js';
import { keysOf, sdkWorld, withMeta, type SdkWorld } from './sdk-connect.js';

/**
 * The official `smartcar` Node SDK (v10, unmodified) against a live opencar: Connect over HTTP →
 * exchangeCode → every vehicle function of the SDK (wire-contract §13), each checked for its exact
 * body keys and meta.
 */
let w: SdkWorld;
let vehicle: Vehicle;
let vehicleId: string;
let accessToken: string;

const expectMeta = (meta: Meta, data: boolean, unitSystem: string | null = 'metric') => {
  expect(meta.requestId).toHaveLength(36);
  expect(meta.unitSystem).toBe(unitSystem ?? undefined);
  if (data) {
    expect(meta.dataAge).toBeInstanceOf(Date);
    expect(meta.fetchedAt).toBeInstanceOf(Date);
  }
};

beforeAll(async () => {
  w = await sdkWorld();
  // A Ford plug-in hybrid: fuel and battery, oil, navigation, service history and diagnostics.
  const c = await w.connect('FORD', '1FMCU0EZ5LUA00001@phev.smartcar.com');
  vehicle = c.vehicle;
  vehicleId = c.vehicleId;
  accessToken = c.access.accessToken;
});
afterAll(async () => w?.close());

describe('official SDK against opencar: user and vehicle list', () => {
  it('exchangeCode returned a token pair the SDK understands', async () => {
    const user = await smartcar.getUser(accessToken);
    expect(keysOf(user)).toEqual(withMeta('id'));
    expectMeta(user.meta, false, null);
    const list = await smartcar.getVehicles(accessToken, { limit: 10, offset: 0 });
    expect(keysOf(list)).toEqual(withMeta('paging', 'vehicles'));
    expect(list.vehicles).toEqual([vehicleId]);
    expect(list.paging).toEqual({ count: 1, offset: 0 });
  });
});

describe('official SDK against opencar: reads', () => {
  const reads: [keyof Vehicle, string[], boolean][] = [
    ['attributes', ['id', 'make', 'model', 'year'], false],
    ['vin', ['vin'], false],
    ['location', ['latitude', 'longitude'], true],
    ['odometer', ['distance'], true],
    ['fuel', ['amountRemaining', 'percentRemaining', 'range'], true],
    ['battery', ['percentRemaining', 'range'], true],
    ['batteryCapacity', ['capacity'], true],
    ['nominalCapacity', ['availableCapacities', 'capacity', 'url'], true],
    ['charge', ['isPluggedIn', 'state'], true],
    ['getChargeLimit', ['limit'], true],
    ['tirePressure', ['backLeft', 'backRight', 'frontLeft', 'frontRight'], true],
    ['engineOil', ['lifeRemaining'], true],
    ['lockStatus', ['chargingPort', 'doors', 'isLocked', 'storage', 'sunroof', 'windows'], true],
    ['diagnosticSystemStatus', ['systems'], true],
    ['diagnosticTroubleCodes', ['activeCodes'], true],
  ];
  for (const [fn, keys, data] of reads) {
    it(`${String(fn)}() has exactly ${keys.join(', ')} and meta`, async () => {
      const res = await (vehicle[fn] as () => Promise<Record<string, unknown> & { meta: Meta }>).call(vehicle);
      expect(keysOf(res)).toEqual(withMeta(...keys));
      expectMeta(res.meta, data);
    });
  }

  it('attributes() carries an upper-case make and a numeric year; vin() 17 characters', async () => {
    const a = await vehicle.attributes();
    expect(a).toMatchObject({ id: vehicleId, make: 'FORD' });
    expect(typeof a.year).toBe('number');
    expect((await vehicle.vin()).vin).toHaveLength(17);
  });

  it('permissions() pages the granted permissions', async () => {
    const all = await vehicle.permissions();
    expect(keysOf(all)).toEqual(withMeta('paging', 'permissions'));
    expect(all.paging).toEqual({ count: 15, offset: 0 });
    const page = await vehicle.permissions({ limit: 2, offset: 1 });
    expect(page.permissions).toHaveLength(2);
    expect(page.paging).toEqual({ count: 15, offset: 1 });
  });

  it('serviceHistory() returns the top-level array as data, with and without dates', async () => {
    const all = await vehicle.serviceHistory();
    expect(keysOf(all)).toEqual(['data', 'meta']);
    expect(Array.isArray(all.data)).toBe(true);
    for (const r of all.data as object[]) {
      expect(keysOf(r)).toEqual(['odometerDistance', 'serviceCost', 'serviceDate', 'serviceDetails', 'serviceId', 'serviceTasks']);
    }
    const ranged = await vehicle.serviceHistory('2020-01-01', '2026-06-01');
    expect(Array.isArray(ranged.data)).toBe(true);
    expectMeta(ranged.meta, true);
  });

  it('tolerates SDK flags and the API version switch', async () => {
    const flagged = new smartcar.Vehicle(vehicleId, accessToken, { flags: { country: 'DE', unknown_flag: true } });
    expect(keysOf(await flagged.odometer())).toEqual(withMeta('distance'));
    expect(keysOf(await flagged.permissions({ limit: 1 }))).toEqual(withMeta('paging', 'permissions'));
    expect(smartcar.getApiVersion()).toBe('2.0');
    smartcar.setApiVersion('1.0');
    try {
      await expect(new smartcar.Vehicle(vehicleId, accessToken).odometer()).rejects.toMatchObject({ statusCode: 404, type: 'RESOURCE_NOT_FOUND', code: 'VERSION' });
    } finally {
      smartcar.setApiVersion('2.0');
    }
  });

  it('imperial converts distance, volume and pressure and says so in meta', async () => {
    const imperial = new smartcar.Vehicle(vehicleId, accessToken, { unitSystem: 'imperial' });
    const [km, mi] = [await vehicle.odometer(), await imperial.odometer()];
    expectMeta(mi.meta, true, 'imperial');
    expect(mi.distance as number).toBeCloseTo((km.distance as number) / 1.609344, 2);
    const [lf, gf] = [await vehicle.fuel(), await imperial.fuel()];
    expect(gf.amountRemaining as number).toBeCloseTo((lf.amountRemaining as number) / 3.785411784, 2);
    expect(gf.range as number).toBeCloseTo((lf.range as number) / 1.609344, 2);
    expect(gf.percentRemaining).toBe(lf.percentRemaining);
    const [kpa, psi] = [await vehicle.tirePressure(), await imperial.tirePressure()];
    expect(psi.frontLeft as number).toBeCloseTo((kpa.frontLeft as number) * 0.1450377, 2);
  });
});

describe('official SDK against opencar: commands', () => {
  const action = ['message', 'status'];
  it('lock() and unlock()', async () => {
    for (const res of [await vehicle.lock(), await vehicle.unlock()]) {
      expect(keysOf(res)).toEqual(withMeta(...action));
      expect(res).toMatchObject({ status: 'success', message: 'Successfully sent request to vehicle' });
      expectMeta(res.meta, false);
    }
    await vehicle.lock();
    expect((await vehicle.lockStatus()).isLocked).toBe(true);
  });

  it('setChargeLimit() (sent as a string by the SDK) changes the limit', async () => {
    const res = await vehicle.setChargeLimit(0.7);
    expect(keysOf(res)).toEqual(withMeta(...action));
    expect((await vehicle.getChargeLimit()).limit).toBe(0.7);
  });

  it('sendDestination()', async () => {
    const res = await vehicle.sendDestination(48.1374, 11.5755);
    expect(keysOf(res)).toEqual(withMeta(...action));
  });

  it('startCharge() and stopCharge() once the owner plugs in (simulator control API)', async () => {
    const plug = await fetch(`${w.server.url}/simulator/vehicles/${vehicleId}/state`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${TEST_CLIENT.clientId}:${TEST_CLIENT.clientSecret}`).toString('base64')}` },
      body: JSON.stringify({ pluggedIn: true, soc: 0.4 }),
    });
    expect(plug.status, await plug.clone().text()).toBe(200);
    // Plugging in starts charging, as a real car does.
    expect(await vehicle.charge()).toMatchObject({ isPluggedIn: true, state: 'CHARGING' });
    const stop = await vehicle.stopCharge();
    expect(keysOf(stop)).toEqual(withMeta('message', 'status'));
    expect((await vehicle.charge()).state).toBe('NOT_CHARGING');
    const start = await vehicle.startCharge();
    expect(keysOf(start)).toEqual(withMeta('message', 'status'));
    expect((await vehicle.charge()).state).toBe('CHARGING');
    await expect(vehicle.startCharge()).rejects.toMatchObject({ statusCode: 409, type: 'VEHICLE_STATE', code: 'CHARGING_IN_PROGRESS' });
    await vehicle.stopCharge();
  });

  it('startCharge()/stopCharge() succeed when plugged in', async () => {
    const plugged = await w.connect('TESLA', 'plugged-owner@example.com', ['read_charge', 'control_charge']);
    const plug = await fetch(`${w.server.url}/simulator/vehicles/${plugged.vehicleId}/state`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${TEST_CLIENT.clientId}:${TEST_CLIENT.clientSecret}`).toString('base64')}` },
      body: JSON.stringify({ pluggedIn: true, soc: 0.4 }),
    });
    expect(plug.status, await plug.clone().text()).toBe(200);
    expect((await plugged.vehicle.charge()).isPluggedIn).toBe(true);
    expect(keysOf(await plugged.vehicle.stopCharge())).toEqual(withMeta(...action));
    expect(keysOf(await plugged.vehicle.startCharge())).toEqual(withMeta(...action));
  });

  it('startCharge()/stopCharge() on an unplugged vehicle → VEHICLE_STATE:CHARGING_PLUG_NOT_CONNECTED', async () => {
    const unplugged = await w.connect('TESLA', 'VEHICLE_STATE.CHARGING_PLUG_NOT_CONNECTED@smartcar.com', ['read_charge', 'control_charge'], 'test');
    for (const fn of ['startCharge', 'stopCharge'] as const) {
      await expect(unplugged.vehicle[fn]()).rejects.toMatchObject({ statusCode: 409, type: 'VEHICLE_STATE', code: 'CHARGING_PLUG_NOT_CONNECTED' });
    }
  });
});

describe('official SDK against opencar: batch, request, v3', () => {
  it('batch() returns one function per path with body keys and per-item meta', async () => {
    const imperial = new smartcar.Vehicle(vehicleId, accessToken, { unitSystem: 'imperial' });
    const batch = await imperial.batch(['/odometer', 'tires/pressure', '/fuel', '/', '/security', '/charge/limit', '/diagnostics/dtcs']);
    const odo = batch.odometer!();
    expect(keysOf(odo)).toEqual(withMeta('distance'));
    expectMeta(odo.meta, true, 'imperial');
    expect(keysOf(batch.tirePressure!())).toEqual(withMeta('backLeft', 'backRight', 'frontLeft', 'frontRight'));
    expect(keysOf(batch.fuel!())).toEqual(withMeta('amountRemaining', 'percentRemaining', 'range'));
    expect(keysOf(batch.attributes!())).toEqual(withMeta('id', 'make', 'model', 'year'));
    expect(keysOf(batch.lockStatus!())).toEqual(withMeta('chargingPort', 'doors', 'isLocked', 'storage', 'sunroof', 'windows'));
    expect(keysOf(batch.chargeLimit!())).toEqual(withMeta('limit'));
    expect(keysOf(batch.diagnosticTroubleCodes!())).toEqual(withMeta('activeCodes'));
  });

  it('a failing batch item throws its own error from its function', async () => {
    const tesla = await w.connect('TESLA', 'batch-owner@example.com');
    const batch = await tesla.vehicle.batch(['/odometer', '/fuel']);
    expect(keysOf(batch.odometer!())).toEqual(withMeta('distance'));
    expect(() => batch.fuel!()).toThrow(expect.objectContaining({ type: 'COMPATIBILITY', code: 'VEHICLE_NOT_CAPABLE' }));
  });

  it('request() reaches any path; brand paths take the make in lower case', async () => {
    const res = await vehicle.request('get', 'odometer');
    expect(keysOf(res.body as object)).toEqual(['distance']);
    expectMeta(res.meta, true);
    const tesla = await w.connect('TESLA', 'brand-owner@example.com', ['read_vehicle_info', 'read_battery', 'read_charge']);
    await expect(tesla.vehicle.request('GET', 'TESLA/battery')).rejects.toMatchObject({ statusCode: 403, type: 'PERMISSION' });
    await expect(tesla.vehicle.request('GET', 'tesla/warp_drive')).rejects.toMatchObject({ statusCode: 404, type: 'RESOURCE_NOT_FOUND' });
    await expect(vehicle.request('GET', 'tesla/battery')).rejects.toMatchObject({ statusCode: 501, type: 'COMPATIBILITY', code: 'VEHICLE_NOT_CAPABLE' });
  });

  it('brand-specific bodies carry exactly their documented keys', async () => {
    const tesla = await w.connect('TESLA', 'brand-keys@example.com', ['read_vehicle_info', 'read_battery', 'read_charge']);
    const battery = await tesla.vehicle.request('GET', 'tesla/battery');
    expect(keysOf(battery.body as object)).toEqual(['heaterOn', 'maxRangeChargeCounter', 'notEnoughPowerToHeat', 'percentRemaining',
      'percentRemainingUsable', 'range', 'rangeEstimated', 'rangeIdeal']);
  });

  it('getVehicle(), getSignals() and getSignal() answer JSON:API shapes', async () => {
    const v = await smartcar.getVehicle(accessToken, vehicleId);
    expect(v.body).toMatchObject({ id: vehicleId, type: 'vehicle', attributes: { make: 'FORD' } });
    expect(v.headers['sc-request-id']).toHaveLength(36);
    const signals = await vehicle.getSignals();
    // The SDK replaces a body's `meta` with the header meta and drops it from `body`, so JSON:API meta is checked raw below.
    expect(keysOf(signals.body)).toEqual(['data', 'included', 'links']);
    const codes = (signals.body.data as { id: string }[]).map((s) => s.id);
    expect(codes).toEqual(expect.arrayContaining(['odometer-traveleddistance', 'tractionbattery-stateofcharge', 'internalcombustionengine-fuellevel']));
    const one = await vehicle.getSignal('odometer-traveleddistance');
    expect(one.body).toMatchObject({
      id: 'odometer-traveleddistance', type: 'signal',
      attributes: { code: 'odometer-traveleddistance', group: 'Odometer', status: { value: 'SUCCESS' }, body: { unit: 'km' } },
    });
    const km = (await vehicle.odometer()).distance;
    expect((one.body.attributes as { body: { value: number } }).body.value).toBe(km);
    const raw = await (await fetch(`${w.server.url}/v3/vehicles/${vehicleId}/signals/odometer-traveleddistance`, { headers: { authorization: `Bearer ${accessToken}` } })).json();
    expect(raw.meta).toEqual({ retrievedAt: expect.any(Number), oemUpdatedAt: expect.any(Number) });
    const rawAll = await (await fetch(`${w.server.url}/v3/vehicles/${vehicleId}/signals`, { headers: { authorization: `Bearer ${accessToken}` } })).json();
    expect(rawAll.meta).toEqual({ page: 1, pageSize: codes.length, totalCount: codes.length });
  });
});

describe('official SDK against opencar: disconnect', () => {
  it('disconnect() revokes access to the vehicle at once', async () => {
    const c = await w.connect('FORD', 'disconnect-owner@example.com', ['read_odometer']);
    expect(keysOf(await c.vehicle.odometer())).toEqual(withMeta('distance'));
    const res = await c.vehicle.disconnect();
    expect(keysOf(res)).toEqual(withMeta('status'));
    expect(res.status).toBe('success');
    await expect(c.vehicle.odometer()).rejects.toMatchObject({ statusCode: 401, type: 'AUTHENTICATION' });
    await expect(smartcar.getVehicles(c.access.accessToken)).rejects.toMatchObject({ statusCode: 401, type: 'AUTHENTICATION' });
  });
});

describe('official SDK against opencar: owner-selected battery capacity', () => {
  it('the capacity the owner picks on the battery-capacity page is what nominal_capacity reports, as USER_SELECTED', async () => {
    const tesla = await w.connect('TESLA', 'battery-owner@example.com', ['read_vehicle_info', 'read_battery']);
    const before = (await tesla.vehicle.request('GET', 'battery/nominal_capacity')).body as { availableCapacities: { capacity: number }[]; capacity: { source: string } };
    expect(before.capacity.source).toBe('SMARTCAR');
    const chosen = before.availableCapacities[0]!.capacity;
    const link = batteryCapacityUrl(w.server.url, w.server.platform.secretKey, TEST_CLIENT.clientId, tesla.vehicleId, w.clock.now()) + encodeURIComponent(TEST_CLIENT.redirectUri);
    const start = await fetch(link, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const cookie = start.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const pageUrl = new URL(start.headers.get('location')!, link);
    const html = await (await fetch(pageUrl, { headers: { cookie } })).text();
    const action = /<form method="post" action="([^"]+\/battery)">/.exec(html)?.[1];
    expect(action, html.slice(0, 300)).toBeDefined();
    const hidden = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const done = await fetch(new URL(action!, pageUrl), {
      method: 'POST', redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...hidden, capacity: String(chosen), decision: 'save' }).toString(),
    });
    const back = new URL(done.headers.get('location')!);
    expect(back.toString().startsWith(TEST_CLIENT.redirectUri)).toBe(true);
    expect(Object.fromEntries(back.searchParams)).toMatchObject({ vehicle_id: tesla.vehicleId, selected_capacity: String(chosen), reason: 'battery_capacity' });
    const after = (await tesla.vehicle.request('GET', 'battery/nominal_capacity')).body as { capacity: unknown };
    expect(after.capacity).toEqual({ nominal: chosen, source: 'USER_SELECTED' });
  });
});
