import { describe, expect, it } from 'vitest';
import { BRANDS, allModels, catalogueKeyOf, VehicleError, type Capability, type VehicleConnector } from '../src/index.js';
import { capabilitiesOf } from '../src/sim/catalogue/types.js';
import { testModeCandidates, testModeModel } from '../src/sim/test-mode.js';
import { memorySim } from './helpers.js';

const ctxOf = (vehicleId: string) => ({ vehicleId, unitSystem: 'metric' as const });
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => (e instanceof VehicleError ? catalogueKeyOf(e.failure) : String(e)));

/** Every getter a connector offers, called once; the failures by method name. */
async function readEverything(c: VehicleConnector, vehicleId: string): Promise<Record<string, string>> {
  const ctx = ctxOf(vehicleId);
  const calls: [string, (() => Promise<unknown>) | undefined][] = [
    ['location', c.location && (() => c.location!(ctx))], ['odometer', c.odometer && (() => c.odometer!(ctx))],
    ['fuel', c.fuel && (() => c.fuel!(ctx))], ['battery', c.battery && (() => c.battery!(ctx))],
    ['batteryCapacity', c.batteryCapacity && (() => c.batteryCapacity!(ctx))], ['nominalCapacity', c.nominalCapacity && (() => c.nominalCapacity!(ctx))],
    ['chargeStatus', c.chargeStatus && (() => c.chargeStatus!(ctx))], ['chargeLimit', c.chargeLimit && (() => c.chargeLimit!(ctx))],
    ['tirePressure', c.tirePressure && (() => c.tirePressure!(ctx))], ['engineOil', c.engineOil && (() => c.engineOil!(ctx))],
    ['lockStatus', c.lockStatus && (() => c.lockStatus!(ctx))], ['serviceHistory', c.serviceHistory && (() => c.serviceHistory!(ctx, {}))],
    ['systemStatus', c.systemStatus && (() => c.systemStatus!(ctx))], ['dtcs', c.dtcs && (() => c.dtcs!(ctx))],
  ];
  const out: Record<string, string> = {};
  for (const [name, call] of calls) {
    if (!call) continue;
    const f = await failure(call());
    if (f) out[name] = f;
  }
  return out;
}

describe('test mode (Smartcar test mode on the simulator)', () => {
  it('chooses, for every brand and every capability set some model of it provides, a model that provides it', () => {
    const sets: Capability[][] = [['battery'], ['charge', 'charge_control'], ['fuel'], ['lock_status', 'lock_control'], ['battery', 'fuel'], ['engine_oil'], ['service_history'], ['navigation']];
    let checked = 0;
    let impossible = 0;
    for (const brand of BRANDS) {
      for (const region of brand.regions) {
        const models = allModels().filter((m) => m.make === brand.make && m.regions.includes(region) && m.endYear >= 2015);
        for (const set of sets) {
          const possible = models.some((m) => set.every((c) => m.capabilities.includes(c)));
          if (!possible) impossible++;
          const candidates = testModeCandidates(brand, region, { requested: set, required: set });
          for (let i = 0; i < 10; i++) {
            const { modelIdx, year } = testModeModel(brand, candidates, `${i}-${set.join('-')}@email.com`, 0);
            const caps = new Set(capabilitiesOf(brand, brand.models[modelIdx]!));
            expect([brand.make, region, set, set.every((c) => caps.has(c))]).toEqual([brand.make, region, set, possible]);
            expect(year).toBeGreaterThanOrEqual(Math.max(2015, brand.models[modelIdx]!.startYear));
            expect(year).toBeLessThanOrEqual(brand.models[modelIdx]!.endYear);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(2000);
    expect(impossible).toBeGreaterThan(0); // e.g. battery on a brand without electrified models
  });

  it('a signed-in test vehicle provides what the request asks for', async () => {
    const { backend } = memorySim();
    for (const [make, set] of [['CHEVROLET', ['battery', 'charge_control']], ['FORD', ['charge_control']], ['TESLA', ['lock_control', 'battery']], ['KIA', ['fuel']]] as [string, Capability[]][]) {
      for (let i = 0; i < 3; i++) {
        const r = await backend.signIn({ make, email: `${crypto.randomUUID()}@email.com`, password: 'any', mode: 'test', country: 'US', appId: 'app-a', requested: set, required: set });
        if (!r.ok) throw new Error(`${make}: ${JSON.stringify(r)}`);
        const caps = await (await backend.connector(r.vehicles[0]!.vehicleId))!.capabilities(ctxOf(r.vehicles[0]!.vehicleId));
        expect([make, set.every((c) => caps.has(c))]).toEqual([make, true]);
      }
    }
  });

  it('prefers a model with every requested permission, falls back to the required ones', async () => {
    const { backend } = memorySim();
    // A Chevrolet with battery and fuel is a Volt; asking for fuel optionally and battery as required on a brand
    // whose models are either electric or fuel-only still yields the battery.
    for (let i = 0; i < 5; i++) {
      const both = await backend.signIn({ make: 'CHEVROLET', email: `${i}@email.com`, password: 'p', mode: 'test', country: 'US', appId: 'a', requested: ['battery', 'fuel'], required: ['battery'] });
      expect(both.ok && both.vehicles[0]!.powertrain).toBe('PHEV');
      const tesla = await backend.signIn({ make: 'TESLA', email: `${i}@email.com`, password: 'p', mode: 'test', country: 'US', appId: 'a', requested: ['battery', 'fuel'], required: ['battery'] });
      expect(tesla.ok && tesla.vehicles[0]!.powertrain).toBe('BEV');
    }
  });

  it('same e-mail and request → same car; the e-mail alone decides it', async () => {
    const a = memorySim();
    const b = memorySim();
    const input = { make: 'FORD', email: 'Same.Person@email.com', password: 'one', mode: 'test' as const, country: 'US', appId: 'app', requested: ['charge_control'] as Capability[], required: ['charge_control'] as Capability[] };
    const r1 = await a.backend.signIn(input);
    const r2 = await b.backend.signIn({ ...input, email: 'same.person@email.com', password: 'two' });
    expect(r1.ok && r2.ok).toBe(true);
    expect(r1).toEqual(r2);
    const models = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const r = await a.backend.signIn({ ...input, email: `${i}-owner@email.com` });
      if (r.ok) models.add(r.vehicles[0]!.model);
    }
    expect(models.size).toBeGreaterThan(1);
  });

  it('every getter answers, plausibly and consistently; every command succeeds, charge start and stop included', async () => {
    const { backend, clock } = memorySim({ defaultLatency: 'realistic' });
    for (const make of ['CHEVROLET', 'FORD', 'KIA', 'TESLA', 'BMW', 'VOLKSWAGEN', 'HONDA', 'NISSAN', 'TOYOTA']) {
      const country = make === 'VOLKSWAGEN' || make === 'BMW' ? 'DE' : 'US';
      for (let i = 0; i < 3; i++) {
        const r = await backend.signIn({ make, email: `${make}-${i}@email.com`, password: 'x', mode: 'test', country, appId: 'a', requested: ['battery', 'charge_control', 'lock_control'], required: [] });
        if (!r.ok) throw new Error(make);
        const id = r.vehicles[0]!.vehicleId;
        const c = (await backend.connector(id))!;
        const ctx = ctxOf(id);
        const before = clock.now();
        expect(await readEverything(c, id)).toEqual({});
        expect(clock.now()).toBe(before); // no simulated latency in test mode
        if (c.lockControl) {
          expect(await failure(c.lockControl(ctx, 'UNLOCK'))).toBeUndefined();
          expect((await c.lockStatus!(ctx)).value.isLocked).toBe(false);
          expect(await failure(c.lockControl(ctx, 'LOCK'))).toBeUndefined();
          expect((await c.lockStatus!(ctx)).value.isLocked).toBe(true);
        }
        if (c.chargeControl) {
          const status = (await c.chargeStatus!(ctx)).value;
          expect(status).toEqual({ isPluggedIn: true, state: 'NOT_CHARGING' });
          expect(await failure(c.chargeControl(ctx, 'START'))).toBeUndefined();
          expect((await c.chargeStatus!(ctx)).value).toEqual({ isPluggedIn: true, state: 'CHARGING' });
          expect(await failure(c.chargeControl(ctx, 'START'))).toBeUndefined();
          expect(await failure(c.chargeControl(ctx, 'STOP'))).toBeUndefined();
          expect((await c.chargeStatus!(ctx)).value.state).toBe('NOT_CHARGING');
          expect(await failure(c.chargeControl(ctx, 'STOP'))).toBeUndefined();
          const battery = (await c.battery!(ctx)).value;
          expect(battery.percentRemaining).toBeGreaterThan(0);
          expect(battery.percentRemaining).toBeLessThan(1);
          expect(battery.range).toBeGreaterThan(0);
        }
        if (c.chargePortControl) {
          // Closing the charge-port door takes the cable out in test mode; start charge plugs it back in.
          expect(await failure(c.chargePortControl(ctx, 'CLOSE'))).toBeUndefined();
          expect((await c.chargeStatus!(ctx)).value.isPluggedIn).toBe(false);
          expect(await failure(c.chargePortControl(ctx, 'OPEN'))).toBeUndefined();
          expect(await failure(c.chargeControl!(ctx, 'START'))).toBeUndefined();
          expect((await c.chargeStatus!(ctx)).value).toEqual({ isPluggedIn: true, state: 'CHARGING' });
          expect(await failure(c.chargeControl!(ctx, 'STOP'))).toBeUndefined();
        }
        if (c.setChargeLimit) {
          expect(await failure(c.setChargeLimit(ctx, 0.7))).toBeUndefined();
          expect((await c.chargeLimit!(ctx)).value.limit).toBe(0.7);
        }
      }
    }
  });

  it('re-authentication of a test vehicle reaches the account that holds it, whatever the first request allowed', async () => {
    const { backend } = memorySim();
    const base = { make: 'CHEVROLET', email: 'reauth@email.com', password: 'x', mode: 'test' as const, country: 'US', appId: 'a' };
    const first = await backend.signIn({ ...base, requested: ['battery', 'fuel'], required: ['battery'] });
    if (!first.ok) throw new Error('sign-in');
    const vehicleId = first.vehicles[0]!.vehicleId;
    const again = await backend.signIn({ ...base, password: 'other', vehicleId });
    expect(again.ok && again.accountId).toBe(first.accountId);
    // Another app, or another login, does not reach it.
    const other = await backend.signIn({ ...base, appId: 'b', vehicleId });
    expect(other.ok && other.accountId).not.toBe(first.accountId);
    const otherLogin = await backend.signIn({ ...base, email: 'someone@email.com', vehicleId });
    expect(otherLogin.ok && otherLogin.vehicles.some((v) => v.vehicleId === vehicleId)).toBe(false);
  });

  it('never sleeps: a month idle still answers every getter (simulated mode would be asleep)', async () => {
    const { backend, clock } = memorySim();
    const test = await backend.signIn({ make: 'HONDA', email: 'idle@email.com', password: 'x', mode: 'test', country: 'US', appId: 'a' });
    const simulated = await backend.signIn({ make: 'HONDA', email: 'idle@email.com', password: 'x', mode: 'simulated', country: 'US', appId: 'a' });
    if (!test.ok || !simulated.ok) throw new Error('sign-in');
    clock.advance(30 * 86_400_000);
    const t = test.vehicles[0]!.vehicleId;
    const s = simulated.vehicles[0]!.vehicleId;
    expect(await readEverything((await backend.connector(t))!, t)).toEqual({});
    expect(Object.values(await readEverything((await backend.connector(s))!, s))).toContain('VEHICLE_STATE:ASLEEP');
  });

  it('simulated mode keeps its rules: a new car is unplugged and charge commands say so', async () => {
    const { backend } = memorySim();
    const r = await backend.signIn({ make: 'TESLA', email: 'rules@email.com', password: 'x', mode: 'simulated', country: 'US', appId: 'a' });
    if (!r.ok) throw new Error('sign-in');
    const id = r.vehicles[0]!.vehicleId;
    expect(await failure((await backend.connector(id))!.chargeControl!(ctxOf(id), 'START'))).toBe('VEHICLE_STATE:CHARGING_PLUG_NOT_CONNECTED');
  });

  it('the login conventions keep working exactly in test mode', async () => {
    const { backend } = memorySim();
    const base = { make: 'KIA', password: 'x', mode: 'test' as const, country: 'US', appId: 'a', requested: ['battery'] as Capability[], required: ['battery'] as Capability[] };
    const asleep = await backend.signIn({ ...base, email: 'VEHICLE_STATE.ASLEEP@smartcar.com' });
    if (!asleep.ok) throw new Error('sign-in');
    const id = asleep.vehicles[0]!.vehicleId;
    expect(asleep.vehicles[0]!.vin).toBe('0SCLR0002E8896323');
    const c = (await backend.connector(id))!;
    expect(await failure(c.battery!(ctxOf(id)))).toBe('VEHICLE_STATE:ASLEEP');
    expect(await failure(c.chargeControl!(ctxOf(id), 'START'))).toBe('VEHICLE_STATE:ASLEEP');
    const many = await backend.signIn({ ...base, email: '7-vehicles@smartcar.com' });
    expect(many.ok && many.vehicles.length).toBe(7);
    expect(many.ok && many.vehicles.every((v) => v.powertrain === 'BEV' || v.powertrain === 'PHEV')).toBe(true);
    const vin = await backend.signIn({ ...base, email: 'KNDJX3AE1G7000001@bev.smartcar.com' });
    expect(vin.ok && [vin.vehicles[0]!.vin, vin.vehicles[0]!.powertrain]).toEqual(['KNDJX3AE1G7000001', 'BEV']);
    expect(await backend.signIn({ ...base, email: 'smartcar@vehicle-incompatible.com' })).toMatchObject({ ok: false, error: 'vehicle_incompatible' });
    expect(await backend.signIn({ ...base, email: 'smartcar@invalid-subscription.com' })).toMatchObject({ ok: false, error: 'invalid_subscription' });
    const fixed = await backend.signIn({ ...base, email: 'smartcar@successful-request.com' });
    expect(fixed.ok && fixed.vehicles[0]!.vin).toBe('0SCSUCCESS0000001');
  });
});
