import { describe, expect, it } from 'vitest';
import { ApiError } from '@opencar/core';
import { VehicleError, clockControl, drive, injectFault, setState, type BrandRequest, type Ctx, type VehicleConnector } from '../src/index.js';
import { memorySim, oneVehicle } from './helpers.js';

const MIN = 60_000;
const H = 60 * MIN;

/** Exact top-level key sets of wire-contract §5.8. */
const TESLA_GET_KEYS: Record<string, string[]> = {
  charge: ['amperage', 'completionTime', 'wattage', 'voltage', 'isPluggedIn', 'state', 'socLimit', 'amperageMaxVehicle', 'socLimitMax',
    'socLimitMin', 'socLimitDefault', 'amperageRequested', 'energyAdded', 'rangeAddedRated', 'rangeAddedIdeal', 'chargeRate', 'connector',
    'fastChargerPresent', 'fastChargerType', 'fastChargerBrand', 'amperageMaxCharger', 'chargePortColor', 'chargePortOpen',
    'chargePortLatch', 'chargerPhases'],
  battery: ['percentRemaining', 'range', 'heaterOn', 'rangeEstimated', 'rangeIdeal', 'percentRemainingUsable', 'maxRangeChargeCounter', 'notEnoughPowerToHeat'],
  'charge/completion': ['time'],
  'charge/voltmeter': ['voltage'],
  'charge/wattmeter': ['wattage'],
  'charge/ammeter': ['amperage'],
  'charge/schedule': ['departureTime', 'startTime'],
  'charge/records/billing': ['records', 'hasMoreData'],
  'charge/records': ['records'],
  alerts: ['alerts'],
  'climate/cabin': ['status', 'temperature'],
  'climate/defroster': ['frontStatus', 'rearStatus'],
  'climate/steering_wheel': ['status'],
  compass: ['direction', 'heading'],
  speedometer: ['speed'],
  'thermometer/exterior': ['temperature'],
  'thermometer/interior': ['temperature'],
  attributes: ['id', 'make', 'model', 'year', 'firmwareVersion', 'trimBadging', 'efficiencyPackage', 'performancePackage', 'nickname',
    'driverAssistVersion', 'atHome', 'sentryMode', 'style', 'wheel', 'driveUnit'],
  status: ['status', 'inService', 'gear'],
  migration: ['requiresMigration'],
  virtual_key: ['isPaired'],
  'user/access': ['accessType', 'permissions'],
  'user/info': ['email'],
};
const AUDI_CHARGE_KEYS = ['chargingStatus', 'isPluggedIn', 'wattage', 'chargeRate', 'chargeType', 'chargePortColor', 'chargePortLatch',
  'completionTime', 'chargeMode', 'socLimit', 'externalPowerStatus'];
const ACTION = { status: 'success', message: 'Successfully sent request to vehicle' };

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => {
  if (e instanceof VehicleError) return e.failure;
  if (e instanceof ApiError) return { api: e.key };
  throw e;
});

function caller(connector: VehicleConnector, ctx: Ctx, make: string) {
  return async (method: string, path: string, body: unknown = null, query: BrandRequest['query'] = {}, c: Ctx = ctx) => {
    const r = await connector.brandRequest!(c, make, { method, path, query, body });
    return r.value as Record<string, unknown>;
  };
}

async function ev(make: string, vin: string, country = 'US', kind = 'bev') {
  const env = memorySim();
  const one = await oneVehicle(env.backend, make, `${vin}@${kind}.smartcar.com`, country);
  return { ...env, ...one, call: caller(one.connector, one.ctx, make.toLowerCase()) };
}

const tesla = (country = 'US') => ev('TESLA', '5YJ3E1EA7KF000001', country);

describe('Tesla brand endpoints', () => {
  it('every GET answers exactly the documented keys, plugged in and charging', async () => {
    const { call, sim, v } = await tesla();
    await setState(sim, v.vehicleId, { soc: 0.4, pluggedIn: true });
    for (const [path, keys] of Object.entries(TESLA_GET_KEYS)) {
      const body = await call('GET', path);
      expect(Object.keys(body).sort(), path).toEqual([...keys].sort());
    }
  });

  it('charge completion: NOT_CHARGING until charging, then the time physics predicts; gone once complete', async () => {
    const { call, sim, v, clock } = await tesla();
    expect(await failure(call('GET', 'charge/completion'))).toEqual({ kind: 'precondition', code: 'NOT_CHARGING' });
    const { view } = await setState(sim, v.vehicleId, { soc: 0.5, chargeLimit: 0.8, pluggedIn: true });
    expect(view.nextEventAt).not.toBeNull();
    const { time } = await call('GET', 'charge/completion');
    expect(time).toBe(view.nextEventAt);
    expect(Date.parse(time as string)).toBeGreaterThan(clock.now());
    clock.set(Date.parse(time as string) + MIN);
    expect(await failure(call('GET', 'charge/completion'))).toEqual({ kind: 'precondition', code: 'NOT_CHARGING' });
    expect((await call('GET', 'charge')).state).toBe('FULLY_CHARGED');
  });

  it('voltmeter fails unplugged; 240 V while charging in the US, 230 V three-phase in Europe', async () => {
    const us = await tesla();
    expect(await failure(us.call('GET', 'charge/voltmeter'))).toEqual({ kind: 'precondition', code: 'CHARGING_PLUG_NOT_CONNECTED' });
    await setState(us.sim, us.v.vehicleId, { soc: 0.3, pluggedIn: true });
    expect(await us.call('GET', 'charge/voltmeter')).toEqual({ voltage: 240 });
    const eu = await tesla('DE');
    await setState(eu.sim, eu.v.vehicleId, { soc: 0.3, pluggedIn: true });
    expect(await eu.call('GET', 'charge/voltmeter')).toEqual({ voltage: 230 });
    expect((await eu.call('GET', 'charge')).chargerPhases).toBe(3);
  });

  it('ammeter POST above the charger maximum is capped, read back, and changes the charging power', async () => {
    const { call, sim, v } = await tesla();
    await setState(sim, v.vehicleId, { soc: 0.3, pluggedIn: true });
    const before = await call('GET', 'charge');
    const max = before.amperageMaxCharger as number;
    expect(max).toBe(48); // 11.5 kW on-board charger at 240 V
    const res = await call('POST', 'charge/ammeter', { amperage: 80 });
    expect(res).toEqual({ status: 'success', message: `Successfully sent request to vehicle. amperage: ${max}` });
    expect(res.message).toMatch(/amperage: 48$/);
    const lower = await call('POST', 'charge/ammeter', { amperage: 16 });
    expect(lower.message).toMatch(/amperage: 16$/);
    const after = await call('GET', 'charge');
    expect(after.amperageRequested).toBe(16);
    expect(after.amperage).toBe(16);
    expect(after.wattage).toBeCloseTo(3.84, 2);
    expect(await call('GET', 'charge/ammeter')).toEqual({ amperage: 16 });
    expect(await call('GET', 'charge/wattmeter')).toEqual({ wattage: 3.84 });
    // slower charging moves the completion time later
    const slow = Date.parse((await call('GET', 'charge/completion')).time as string);
    await call('POST', 'charge/ammeter', { amperage: 48 });
    const fast = Date.parse((await call('GET', 'charge/completion')).time as string);
    expect(slow).toBeGreaterThan(fast);
    expect(await failure(call('POST', 'charge/ammeter', { amperage: -3 }))).toEqual({ api: 'VALIDATION' });
  });

  it('frunk and trunk open and close, visible in the lock status; an open frunk blocks locking', async () => {
    const { call, connector, ctx } = await tesla();
    expect(await call('POST', 'security/frunk', { action: 'OPEN' })).toEqual(ACTION);
    let lock = (await connector.lockStatus!(ctx)).value;
    expect(lock.storage).toEqual([{ type: 'front', status: 'OPEN' }, { type: 'rear', status: 'CLOSED' }]);
    expect(await failure(connector.lockControl!(ctx, 'LOCK'))).toEqual({ kind: 'precondition', code: 'TRUNK_OPEN' });
    await call('POST', 'security/trunk', { action: 'OPEN' });
    await call('POST', 'security/frunk', { action: 'CLOSE' });
    lock = (await connector.lockStatus!(ctx)).value;
    expect(lock.storage).toEqual([{ type: 'front', status: 'CLOSED' }, { type: 'rear', status: 'OPEN' }]);
    expect((await call('GET', 'alerts')).alerts).toContainEqual(expect.objectContaining({ name: 'VCREAR_a_trunkOpen' }));
    await call('POST', 'security/trunk', { action: 'CLOSE' });
    await connector.lockControl!(ctx, 'LOCK');
  });

  it('charge port door opens and closes, but not over a plugged cable', async () => {
    const { call, connector, ctx, sim, v } = await tesla();
    await call('POST', 'charge/charge_port_door', { action: 'OPEN' });
    expect((await connector.lockStatus!(ctx)).value.chargingPort).toEqual([{ type: 'chargingPort', status: 'OPEN' }]);
    expect((await call('GET', 'charge')).chargePortOpen).toBe(true);
    await call('POST', 'charge/charge_port_door', { action: 'CLOSE' });
    expect((await connector.lockStatus!(ctx)).value.chargingPort).toEqual([{ type: 'chargingPort', status: 'CLOSED' }]);
    await setState(sim, v.vehicleId, { pluggedIn: true });
    expect(await failure(call('POST', 'charge/charge_port_door', { action: 'CLOSE' }))).toEqual({ kind: 'precondition', code: 'CHARGING_PLUG_CONNECTED' });
  });

  it('commands need the paired virtual key', async () => {
    const { call, sim, v } = await tesla();
    await setState(sim, v.vehicleId, { virtualKeyPaired: false });
    expect(await call('GET', 'virtual_key')).toEqual({ isPaired: false });
    expect(await failure(call('POST', 'security/frunk', { action: 'OPEN' }))).toEqual({ kind: 'account', code: 'VIRTUAL_KEY_REQUIRED' });
  });

  it('cloud-answered endpoints (status, virtual_key) raise an injected fault, which is consumed', async () => {
    const { call, sim, v } = await tesla();
    injectFault(sim, v.vehicleId, 'UPSTREAM:UNKNOWN_ISSUE', 1);
    expect(await failure(call('GET', 'virtual_key'))).toEqual({ kind: 'upstream', code: 'UNKNOWN_ISSUE' });
    expect(await call('GET', 'virtual_key')).toEqual({ isPaired: true });
  });

  it('a charge limit outside 50–100 % is a VALIDATION error of the request, not an upstream one', async () => {
    const { connector, ctx } = await tesla();
    expect(await failure(connector.setChargeLimit!(ctx, 0.3))).toEqual({ api: 'VALIDATION' });
  });

  it('climate: START with a set point, the cabin approaches it; STOP turns heaters off; imperial input is °F', async () => {
    const { call, clock, ctx } = await tesla();
    expect((await call('GET', 'climate/cabin')).status).toBe('OFF');
    const outside = (await call('GET', 'thermometer/exterior')).temperature as number;
    expect(await call('POST', 'climate/cabin', { action: 'START', temperature: 23 })).toEqual({ status: 'ON', temperature: 23 });
    await call('POST', 'climate/steering_wheel', { action: 'START' });
    await call('POST', 'climate/defroster', { action: 'START' });
    clock.advance(40 * MIN);
    expect(await call('GET', 'climate/cabin')).toEqual({ status: 'ON', temperature: 23 });
    expect(Math.abs((await call('GET', 'thermometer/interior')).temperature as number - 23)).toBeLessThan(0.5);
    expect(await call('GET', 'climate/defroster')).toEqual({ frontStatus: 'ON', rearStatus: 'ON' });
    expect(await call('GET', 'climate/steering_wheel')).toEqual({ status: 'ON' });
    expect(await call('POST', 'climate/cabin', { action: 'STOP' })).toEqual({ status: 'OFF', temperature: 23 });
    expect(await call('GET', 'climate/steering_wheel')).toEqual({ status: 'OFF' });
    expect(await call('GET', 'climate/defroster')).toEqual({ frontStatus: 'OFF', rearStatus: 'OFF' });
    expect(typeof outside).toBe('number');
    const f = await call('POST', 'climate/cabin', { action: 'SET', temperature: 72 }, {}, { ...ctx, unitSystem: 'imperial' });
    expect(f.temperature).toBeCloseTo(22.2, 1); // metric body; the API converts it back to °F
    expect(await failure(call('POST', 'climate/cabin', { action: 'SET', temperature: 40 }))).toEqual({ api: 'VALIDATION' });
  });

  it('charge schedule and PIN are stored on the vehicle and read back', async () => {
    const { call, engine, v } = await tesla();
    expect(await call('GET', 'charge/schedule')).toEqual({ departureTime: { enabled: false, time: null }, startTime: { enabled: false, time: null } });
    await call('POST', 'charge/schedule', { type: 'START_TIME', enable: true, time: '23:30' });
    await call('POST', 'charge/schedule', { type: 'DEPARTURE_TIME', enable: false, time: '07:15' });
    expect(await call('GET', 'charge/schedule')).toEqual({ departureTime: { enabled: false, time: '07:15' }, startTime: { enabled: true, time: '23:30' } });
    expect(await failure(call('POST', 'charge/schedule', { type: 'START_TIME', enable: true, time: '25:00' }))).toEqual({ api: 'VALIDATION' });
    expect(await call('POST', 'pin', { pin: '4711' })).toEqual(ACTION);
    expect((await engine.get(v.vehicleId))!.brand?.pin).toBe('4711');
    expect(await call('DELETE', 'pin')).toEqual(ACTION);
    expect((await engine.get(v.vehicleId))!.brand?.pin).toBeUndefined();
  });

  it('charge records include the sessions the vehicle charged; billing covers fast charging only', async () => {
    const { call, sim, v, clock, connector, ctx } = await tesla();
    const cap = (await connector.batteryCapacity!(ctx)).value.capacity;
    const t = clock.now();
    await setState(sim, v.vehicleId, { soc: 0.5, chargeLimit: 0.8, pluggedIn: true });
    clock.advance(12 * H);
    await setState(sim, v.vehicleId, { pluggedIn: false });
    await setState(sim, v.vehicleId, { soc: 0.2, chargeKw: 150 });
    await setState(sim, v.vehicleId, { pluggedIn: true });
    clock.advance(2 * H);
    const { records } = await call('GET', 'charge/records') as { records: Record<string, unknown>[] };
    const mine = records.filter((r) => Date.parse(r.chargeStart as string) >= t);
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatchObject({ chargeStart: new Date(t).toISOString(), startPercentRemaining: 0.5, endPercentRemaining: 0.8, energy: Math.round(0.3 * cap * 100) / 100, chargingType: 'AC' });
    expect(mine[1]).toMatchObject({ startPercentRemaining: 0.2, endPercentRemaining: 0.8, chargingType: 'DC', isPublic: true });
    for (const r of records) expect(Object.keys(r).sort()).toEqual(['chargeEnd', 'chargeStart', 'chargingType', 'endPercentRemaining', 'energy', 'isPublic', 'location', 'startPercentRemaining']);
    const billing = await call('GET', 'charge/records/billing') as { records: Record<string, unknown>[]; hasMoreData: boolean };
    const billed = billing.records.filter((r) => Date.parse(r.chargeStart as string) >= t);
    expect(billed).toHaveLength(1);
    const kwh = Math.round(0.6 * cap * 100) / 100;
    expect(billed[0]).toMatchObject({ energyConsumed: kwh, cost: { currency: 'USD', energy: Math.round(kwh * 0.45 * 100) / 100, other: 0 } });
    expect(await failure(call('GET', 'charge/records', null, { startDate: '2026-01-01', endDate: '2026-03-01' }))).toEqual({ api: 'VALIDATION' });
  });

  it('compass and speedometer follow a trip; status reports sleep without waking the car', async () => {
    const { call, sim, v, clock } = await tesla();
    expect(await call('GET', 'speedometer')).toEqual({ speed: 0 });
    const s = (await sim.engine.get(v.vehicleId))!;
    await drive(sim, v.vehicleId, [[s.lat + 0.5, s.lon]], 90); // due north
    clock.advance(5 * MIN);
    expect(await call('GET', 'speedometer')).toEqual({ speed: 90 });
    expect(await call('GET', 'compass')).toEqual({ direction: 'N', heading: 0 });
    expect(await call('GET', 'status')).toEqual({ status: 'AWAKE', inService: false, gear: 'DRIVE' });
    await clockControl(sim, v.vehicleId, { action: 'advance', ms: 3 * H });
    expect(await call('GET', 'speedometer')).toEqual({ speed: 0 });
    expect((await call('GET', 'compass')).direction).toBe('N'); // parked facing the last direction
    await setState(sim, v.vehicleId, { asleep: true });
    const r = (await sim.engine.get(v.vehicleId))!;
    expect(r.awakeUntil).toBeLessThanOrEqual(sim.now(r));
    expect(await call('GET', 'status')).toEqual({ status: 'ASLEEP', inService: false, gear: 'PARK' });
    expect(sim.isAsleep((await sim.engine.get(v.vehicleId))!, sim.meta(r), sim.now(r))).toBe(true);
  });

  it('account endpoints: the sign-in email, access and migration', async () => {
    const { call } = await tesla();
    expect(await call('GET', 'user/info')).toEqual({ email: '5yj3e1ea7kf000001@bev.smartcar.com' });
    expect(await call('GET', 'migration')).toEqual({ requiresMigration: false });
    expect(['OWNER', 'DRIVER']).toContain((await call('GET', 'user/access')).accessType);
  });

  it('attributes are stable for a vehicle and reflect where it is', async () => {
    const a = await tesla();
    const b = await tesla();
    const x = await a.call('GET', 'attributes');
    expect(x).toEqual(await b.call('GET', 'attributes'));
    const id = await a.connector.identity(a.ctx);
    expect(x).toMatchObject({ id: a.v.vehicleId, make: 'TESLA', model: id.model, year: id.year, atHome: true, sentryMode: { available: true, enabled: false } });
    await drive(a.sim, a.v.vehicleId, [[10, 10]], 100);
    a.clock.advance(30 * MIN);
    expect(await a.call('GET', 'attributes')).toMatchObject({ atHome: false });
  });

  it('unknown paths are not simulated; another make does not apply', async () => {
    const { connector, ctx } = await tesla();
    expect(await failure(connector.brandRequest!(ctx, 'tesla', { method: 'GET', path: 'warp_drive', query: {}, body: null })))
      .toEqual({ kind: 'not_capable', platform: true });
    expect(await failure(connector.brandRequest!(ctx, 'ford', { method: 'GET', path: 'charge/schedule_by_location', query: {}, body: null })))
      .toEqual({ kind: 'not_capable' });
  });
});

describe('other makes', () => {
  it('capabilities declare brand endpoints only where one works: EVs of Ford, Audi, GM, Nissan, BMW; never Infiniti', async () => {
    for (const make of ['FORD', 'AUDI', 'CHEVROLET', 'NISSAN', 'BMW']) {
      const bev = await ev(make, '1FTVW1EL5NW000001');
      expect((await bev.connector.capabilities(bev.ctx)).has(`brand:${make.toLowerCase()}`), make).toBe(true);
      const ice = await ev(make, '1FTVW1EL5NW000001', 'US', 'fuel');
      expect((await ice.connector.capabilities(ice.ctx)).has(`brand:${make.toLowerCase()}`), make).toBe(false);
      expect(ice.connector.brandRequest, make).toBeUndefined();
    }
    const infiniti = await ev('INFINITI', 'JNKAY01E0LM000001', 'US', 'compatible');
    expect([...await infiniti.connector.capabilities(infiniti.ctx)].some((c) => c.startsWith('brand:'))).toBe(false);
  });

  it('Ford: a location schedule is stored, and the parked location\'s limit applies now', async () => {
    const { call, sim, v } = await ev('FORD', '1FTVW1EL5NW000001');
    expect(await call('GET', 'charge/schedule_by_location')).toEqual({ chargingLocations: [] });
    const s = (await sim.engine.get(v.vehicleId))!;
    const put = await call('PUT', 'charge/schedule_by_location',
      { chargingLocation: { chargeLimit: 0.7, chargingWindows: { weekday: [{ start: '22:00', end: '06:00' }], weekend: [] } } },
      { latitude: String(s.lat), longitude: String(s.lon) });
    const expected = { chargingLocations: [{ chargeLimit: 0.7, location: { latitude: s.lat, longitude: s.lon }, chargingSchedules: { weekday: [{ start: '22:00', end: '06:00' }], weekend: [] } }] };
    expect(put).toEqual(expected);
    expect(await call('GET', 'charge/schedule_by_location')).toEqual(expected);
    expect((await sim.engine.get(v.vehicleId))!.limit).toBe(0.7);
    await call('PUT', 'charge/schedule_by_location', { chargingLocation: { chargeLimit: 1, chargingWindows: {} } }, { latitude: '10', longitude: '10' });
    expect(((await call('GET', 'charge/schedule_by_location')).chargingLocations as unknown[]).length).toBe(2);
    expect((await sim.engine.get(v.vehicleId))!.limit).toBe(0.7);
    expect(await failure(call('PUT', 'charge/schedule_by_location', { chargingLocation: { chargeLimit: 0.7 } }))).toEqual({ api: 'VALIDATION' });
  });

  it('Nissan: up to three schedules, replaced by PUT and read back', async () => {
    const { call } = await ev('NISSAN', '1N4AZ1CP0KC000001');
    expect(await call('GET', 'charge/schedule')).toEqual({ chargeSchedules: [] });
    const body = { chargeSchedules: [{ start: '01:00', end: '05:00', days: ['SATURDAY', 'MONDAY'] }] };
    expect(await call('PUT', 'charge/schedule', body)).toEqual({ chargeSchedules: [{ start: '01:00', end: '05:00', days: ['MONDAY', 'SATURDAY'] }] });
    expect((await call('GET', 'charge/schedule')).chargeSchedules).toHaveLength(1);
    const four = Array.from({ length: 4 }, () => body.chargeSchedules[0]);
    expect(await failure(call('PUT', 'charge/schedule', { chargeSchedules: four }))).toEqual({ api: 'VALIDATION' });
    expect(await failure(call('PUT', 'charge/schedule', { chargeSchedules: [{ start: '01:00', end: '05:00', days: ['FUNDAY'] }] }))).toEqual({ api: 'VALIDATION' });
  });

  it('Audi: charge state keys exact, values follow plug and charging', async () => {
    const { call, sim, v } = await ev('AUDI', 'WAUZZZGE0NB000001', 'DE');
    const idle = await call('GET', 'charge');
    expect(Object.keys(idle).sort()).toEqual([...AUDI_CHARGE_KEYS].sort());
    expect(idle).toMatchObject({ chargingStatus: 'NOT_READY_FOR_CHARGING', isPluggedIn: false, wattage: 0, completionTime: null });
    await setState(sim, v.vehicleId, { soc: 0.3, pluggedIn: true });
    const on = await call('GET', 'charge');
    expect(on).toMatchObject({ chargingStatus: 'CHARGING', isPluggedIn: true, chargeType: 'AC', chargePortLatch: 'LOCKED' });
    expect(on.wattage).toBeGreaterThan(0);
    expect(typeof on.completionTime).toBe('string');
  });

  it('Chevrolet: completion and voltmeter follow the charge state', async () => {
    const { call, sim, v } = await ev('CHEVROLET', '1G1FZ6S02L4000001');
    expect(await failure(call('GET', 'charge/voltmeter'))).toEqual({ kind: 'precondition', code: 'CHARGING_PLUG_NOT_CONNECTED' });
    expect(await failure(call('GET', 'charge/completion'))).toEqual({ kind: 'precondition', code: 'NOT_CHARGING' });
    await setState(sim, v.vehicleId, { soc: 0.3, pluggedIn: true });
    expect(await call('GET', 'charge/voltmeter')).toEqual({ voltage: 240 });
    expect(Object.keys(await call('GET', 'charge/completion'))).toEqual(['time']);
  });

  it('BMW: charge records of at most 30 days', async () => {
    const { call, sim, v, clock } = await ev('BMW', 'WBY8P2C05M7000001', 'DE');
    const t = clock.now();
    await setState(sim, v.vehicleId, { soc: 0.4, pluggedIn: true });
    clock.advance(10 * H);
    const { records } = await call('GET', 'charge/records') as { records: { chargeStart: string; endPercentRemaining: number }[] };
    expect(records.filter((r) => Date.parse(r.chargeStart) >= t)).toEqual([expect.objectContaining({ endPercentRemaining: 0.9, isPublic: false })]);
    expect(await failure(call('GET', 'charge/records', null, { startDate: '2026-01-01' }))).toEqual({ api: 'VALIDATION' });
  });
});
