import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNALS } from '../../src/routes/v3/signal-map.js';
import { auth, v3World, type V3App } from './fixture.js';

type W = Awaited<ReturnType<typeof v3World>>;
type Car = Awaited<ReturnType<W['connect']>>;
type Signal = { id: string; type: string; attributes: { code: string; name: string; group: string; status: { value: string; error?: { type: string; code: string } }; body: Record<string, unknown> | null }; meta: Record<string, unknown>; links: Record<string, string> };
let w: W;
let app: V3App;
let tok: string;
let bev: Car;
let phev: Car;
let ice: Car;
let asleep: Car;

beforeAll(async () => {
  w = await v3World();
  app = await w.makeApp('signals');
  bev = await w.connect(app, '5YJ3E1EA7KF000001@bev.smartcar.com', undefined, 'TESLA');
  phev = await w.connect(app, '1FMCU0EZ5LUA00001@phev.smartcar.com', undefined, 'FORD');
  ice = await w.connect(app, '1FTFW1E50LFA00001@fuel.smartcar.com', undefined, 'FORD');
  asleep = await w.connect(app, 'vehicle_state.asleep@smartcar.com', undefined, 'TESLA');
  tok = await w.appToken(app);
});
afterAll(async () => w?.close());

const keys = (o: object) => Object.keys(o).sort();
const signals = async (car: Car, query = '') => {
  const res = await w.app.inject({ url: `/v3/vehicles/${car.vehicleId}/signals${query}`, headers: auth(tok, car.userId) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { data: Signal[]; meta: Record<string, number>; links: Record<string, string | null>; included: { vehicle: { attributes: Record<string, unknown> } } };
};
const one = (car: Car, code: string) => w.app.inject({ url: `/v3/vehicles/${car.vehicleId}/signals/${code}`, headers: auth(tok, car.userId) });
const byCode = (data: Signal[]) => new Map(data.map((s) => [s.id, s]));

describe('the v3 signal catalogue', () => {
  it('has the 93 codes of the catalogue in 19 groups, each <group>-<name> in lower case', () => {
    expect(SIGNALS).toHaveLength(93);
    expect(new Set(SIGNALS.map((s) => s.code)).size).toBe(93);
    expect(new Set(SIGNALS.map((s) => s.group)).size).toBe(19);
    for (const s of SIGNALS) expect(s.code).toMatch(/^[a-z]+-[a-z]+$/);
  });

  it('lists every granted code with its own status and exact keys; a BEV answers most of them', async () => {
    const all = await signals(bev);
    expect(keys(all)).toEqual(['data', 'included', 'links', 'meta']);
    expect(all.meta).toEqual({ page: 1, pageSize: 93, totalCount: 93 });
    expect(all.data).toHaveLength(93);
    for (const s of all.data) {
      expect(keys(s)).toEqual(['attributes', 'id', 'links', 'meta', 'type']);
      expect(keys(s.attributes)).toEqual(['body', 'code', 'group', 'name', 'status']);
      expect(keys(s.meta)).toEqual(['oemUpdatedAt', 'retrievedAt']);
      expect(['SUCCESS', 'UNAVAILABLE', 'ERROR']).toContain(s.attributes.status.value);
      if (s.attributes.status.value === 'SUCCESS') expect(s.attributes.body).not.toBeNull();
      else expect(s.attributes.body).toBeNull();
    }
    const ok = all.data.filter((s) => s.attributes.status.value === 'SUCCESS').length;
    expect(ok).toBeGreaterThanOrEqual(55);
    expect(all.included.vehicle.attributes).toMatchObject({ make: 'TESLA', powertrainType: 'BEV', mode: 'simulated' });
  });

  it('state of charge in percent 0–100, equal to the v2 battery reading', async () => {
    const s = byCode((await signals(bev)).data).get('tractionbattery-stateofcharge')!;
    const v2 = (await w.app.inject({ url: `/v2.0/vehicles/${bev.vehicleId}/battery`, headers: auth(bev.userToken) })).json();
    expect(s.attributes.body).toEqual({ value: Math.round(v2.percentRemaining * 10000) / 100, unit: 'percent' });
    expect(s.attributes.body!.value as number).toBeGreaterThan(1);
    expect(s.attributes.body!.value as number).toBeLessThanOrEqual(100);
  });

  it('multi-valued bodies in their nested shape: wheel-tires, charge-chargelimits, closure-doors', async () => {
    const m = byCode((await signals(bev)).data);
    const tires = m.get('wheel-tires')!.attributes.body!;
    expect(keys(tires)).toEqual(['columnCount', 'rowCount', 'unit', 'values']);
    expect(tires).toMatchObject({ rowCount: 2, columnCount: 2, unit: 'kPa' });
    expect(tires.values).toHaveLength(4);
    for (const t of tires.values as object[]) expect(keys(t)).toEqual(['column', 'row', 'tirePressure']);
    const limits = m.get('charge-chargelimits')!.attributes.body!;
    expect(keys(limits)).toEqual(['activeLimit', 'unit', 'values']);
    expect(limits.values).toEqual([{ type: 'GLOBAL', limit: limits.activeLimit, condition: null }]);
    expect(limits.activeLimit as number).toBeGreaterThanOrEqual(50);
    const doors = m.get('closure-doors')!.attributes.body!;
    expect((doors.values as object[]).map((d) => keys(d))).toEqual(Array(4).fill(['column', 'isLocked', 'isOpen', 'row']));
    expect(m.get('vehicleidentification-vin')!.meta.oemUpdatedAt).toBe(0);
  });

  it('a value the vehicle does not have is UNAVAILABLE, a state error is ERROR with status.error', async () => {
    const m = byCode((await signals(bev)).data);
    expect(m.get('internalcombustionengine-fuellevel')!.attributes.status).toEqual({ value: 'UNAVAILABLE' });
    const ttc = m.get('charge-timetocomplete')!;
    if (m.get('charge-ischarging')!.attributes.body!.value === false) {
      expect(ttc.attributes.status).toEqual({ value: 'ERROR', error: { type: 'VEHICLE_STATE', code: 'NOT_CHARGING' } });
    }
    const res = await one(ice, 'tractionbattery-stateofcharge');
    expect(res.statusCode).toBe(200);
    expect(res.json().attributes).toMatchObject({ status: { value: 'UNAVAILABLE' }, body: null });
  });

  it('a reading that fails does not fail the call: the other signals still answer', async () => {
    const m = byCode((await signals(asleep)).data);
    expect(m.get('odometer-traveleddistance')!.attributes.status).toEqual({ value: 'ERROR', error: { type: 'VEHICLE_STATE', code: 'ASLEEP' } });
    expect(m.get('vehicleidentification-vin')!.attributes.status).toEqual({ value: 'SUCCESS' });
  });

  it('each powertrain answers its own part of the catalogue', async () => {
    const counts: Record<string, number> = {};
    for (const [name, car] of [['BEV', bev], ['PHEV', phev], ['ICE', ice]] as const) {
      const all = await signals(car);
      counts[name] = all.data.filter((s) => s.attributes.status.value === 'SUCCESS').length;
      const m = byCode(all.data);
      const fuel = m.get('internalcombustionengine-fuellevel')!.attributes.status.value;
      const soc = m.get('tractionbattery-stateofcharge')!.attributes.status.value;
      expect([name, fuel, soc]).toEqual([name, name === 'BEV' ? 'UNAVAILABLE' : 'SUCCESS', name === 'ICE' ? 'UNAVAILABLE' : 'SUCCESS']);
    }
    expect(counts.ICE).toBeGreaterThanOrEqual(35);
  });

  it('pages in either spelling and answers in the one used', async () => {
    const flat = await signals(bev, '?page=2&pageSize=10');
    expect(flat.meta).toEqual({ page: 2, pageSize: 10, totalCount: 93 });
    expect(keys(flat.links)).toEqual(['first', 'last', 'next', 'previous', 'self']);
    expect(flat.data.map((s) => s.id)).toEqual(SIGNALS.slice(10, 20).map((s) => s.code));
    const bracket = await signals(bev, '?page[number]=10&page[size]=10');
    expect(bracket.meta).toEqual({ pageNumber: 10, pageSize: 10, totalCount: 93 });
    expect(keys(bracket.links)).toEqual(['first', 'last', 'next', 'prev', 'self']);
    expect(bracket.data).toHaveLength(3);
    expect(bracket.links.next).toBeNull();
  });

  it('lists only the codes whose permission was granted', async () => {
    const narrow = await w.connect(app, 'narrow@example.com', ['read_odometer', 'read_vin']);
    const all = await signals(narrow);
    expect(all.data.map((s) => s.id).sort()).toEqual(['odometer-traveleddistance', 'vehicleidentification-vin']);
    expect((await one(narrow, 'tractionbattery-stateofcharge')).json().errors[0]).toMatchObject({ type: 'PERMISSION' });
  });

  it('a mistyped code is 404 RESOURCE_NOT_FOUND SIGNAL_NOT_FOUND', async () => {
    const res = await one(bev, 'vin');
    expect(res.statusCode).toBe(404);
    expect(res.json().errors[0]).toMatchObject({ status: '404', type: 'RESOURCE_NOT_FOUND', code: 'SIGNAL_NOT_FOUND' });
  });
});
