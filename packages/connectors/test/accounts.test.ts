import { describe, expect, it } from 'vitest';
import { ERROR_VINS, SUCCESSFUL_REQUEST_VIN, VehicleError, catalogueKeyOf } from '../src/index.js';
import { memorySim } from './helpers.js';

describe('simulated OEM accounts', () => {
  it('any email with a non-empty password works; same login → same account and vehicles', async () => {
    const a = memorySim();
    const b = memorySim();
    const input = { make: 'TESLA', email: 'Someone@Example.com', password: 'x', mode: 'test' as const, country: 'US' };
    const r1 = await a.backend.signIn(input);
    const r2 = await b.backend.signIn({ ...input, email: 'someone@example.com' });
    expect(r1).toEqual(r2);
    expect(r1.ok && r1.vehicles.length).toBe(1);
    expect(r1.ok && r1.vehicles[0]!.make).toBe('TESLA');
    expect(await a.backend.signIn({ ...input, password: '' })).toEqual({ ok: false, reason: 'bad_credentials' });
    const simulated = await a.backend.signIn({ ...input, mode: 'simulated' });
    expect(simulated.ok && r1.ok && simulated.accountId !== r1.accountId).toBe(true);
  });

  it('never serves live mode: no account, no vehicle, the brand is unavailable', async () => {
    const { backend, engine } = memorySim();
    expect(backend.brandAvailable('TESLA', 'live')).toBe(false);
    expect(backend.brandAvailable('TESLA', 'simulated') && backend.brandAvailable('TESLA', 'test')).toBe(true);
    expect(backend.brandAvailable('NOT_A_BRAND', 'simulated')).toBe(false);
    const r = await backend.signIn({ make: 'TESLA', email: 'owner@example.com', password: 'x', mode: 'live', country: 'US' });
    expect(r).toMatchObject({ ok: false, reason: 'connect_error', error: 'vehicle_incompatible', make: 'TESLA' });
    expect(engine.vehicles.size).toBe(0);
  });

  it('the account keeps the password it was created with: test/simulated Connect accept any, the owner portal verifies it', async () => {
    const { backend } = memorySim();
    const input = { make: 'TESLA', email: 'pw-owner@example.com', password: 'first-secret', country: 'US' };
    for (const mode of ['test', 'simulated'] as const) {
      expect((await backend.signIn({ ...input, mode })).ok).toBe(true);
      expect((await backend.signIn({ ...input, mode, password: 'something else' })).ok).toBe(true);
      expect(await backend.signIn({ ...input, mode, password: 'something else', requirePassword: true })).toEqual({ ok: false, reason: 'bad_credentials' });
      expect((await backend.signIn({ ...input, mode, requirePassword: true, createIfMissing: false })).ok).toBe(true);
    }
  });

  it('createIfMissing: false refuses an unknown account and creates nothing', async () => {
    const { backend, engine } = memorySim();
    const input = { make: 'TESLA', email: '999-vehicles@smartcar.com', password: 'x', mode: 'simulated' as const, country: 'US', createIfMissing: false };
    expect(await backend.signIn(input)).toEqual({ ok: false, reason: 'bad_credentials' });
    expect(engine.vehicles.size).toBe(0);
    const created = await backend.signIn({ ...input, createIfMissing: true });
    expect(created.ok && created.vehicles.length).toBe(999);
  });

  it('<n>-vehicles@ gives n vehicles of the brand', async () => {
    const { backend } = memorySim();
    const r = await backend.signIn({ make: 'BMW', email: '25-vehicles@smartcar.com', password: 'x', mode: 'test', country: 'DE' });
    expect(r.ok && r.vehicles.length).toBe(25);
    expect(r.ok && new Set(r.vehicles.map((v) => v.vehicleId)).size).toBe(25);
    expect(r.ok && r.vehicles.every((v) => v.make === 'BMW')).toBe(true);
  });

  it('<TYPE>.<CODE>@smartcar.com fails non-static calls with that error, static ones work', async () => {
    const { backend } = memorySim();
    const r = await backend.signIn({ make: 'TESLA', email: 'VEHICLE_STATE.ASLEEP@smartcar.com', password: 'x', mode: 'test', country: 'US' });
    if (!r.ok) throw new Error('sign-in');
    expect(r.vehicles[0]!.vin).toBe(ERROR_VINS['VEHICLE_STATE:ASLEEP']);
    const c = (await backend.connector(r.vehicles[0]!.vehicleId))!;
    const ctx = { vehicleId: r.vehicles[0]!.vehicleId, unitSystem: 'metric' as const };
    expect((await c.identity(ctx)).vin).toBe('0SCLR0002E8896323');
    const err = await c.battery!(ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VehicleError);
    expect(catalogueKeyOf((err as VehicleError).failure)).toBe('VEHICLE_STATE:ASLEEP');
    for (const key of Object.keys(ERROR_VINS)) {
      const rr = await backend.signIn({ make: 'TESLA', email: `${key.replace(':', '.')}@smartcar.com`, password: 'x', mode: 'test', country: 'US' });
      if (!rr.ok) throw new Error(key);
      const cc = (await backend.connector(rr.vehicles[0]!.vehicleId))!;
      const e = await cc.location!({ vehicleId: rr.vehicles[0]!.vehicleId, unitSystem: 'metric' }).catch((x: unknown) => x);
      expect([key, catalogueKeyOf((e as VehicleError).failure)]).toEqual([key, key]);
    }
  });

  it('connect-error logins, VIN logins and the successful-request VIN', async () => {
    const { backend } = memorySim();
    const base = { make: 'AUDI', password: 'x', mode: 'test' as const, country: 'US' };
    expect(await backend.signIn({ ...base, email: 'smartcar@invalid-subscription.com' })).toMatchObject({ ok: false, reason: 'connect_error', error: 'invalid_subscription', vin: '0SCAUDI0155C49A95' });
    expect(await backend.signIn({ ...base, email: 'smartcar@vehicle-incompatible.com' })).toMatchObject({ ok: false, error: 'vehicle_incompatible', vin: '0SCAUDI012FE3B132' });
    const ok = await backend.signIn({ ...base, email: 'smartcar@successful-request.com' });
    expect(ok.ok && ok.vehicles[0]!.vin).toBe(SUCCESSFUL_REQUEST_VIN);
    const bev = await backend.signIn({ ...base, email: 'WAUZZZGE1NB000001@bev.smartcar.com' });
    expect(bev.ok && [bev.vehicles[0]!.vin, bev.vehicles[0]!.powertrain]).toEqual(['WAUZZZGE1NB000001', 'BEV']);
    const fuel = await backend.signIn({ ...base, email: 'WAUZZZGE1NB000002@fuel.smartcar.com' });
    expect(fuel.ok && ['ICE', 'HEV']).toContain(fuel.ok && fuel.vehicles[0]!.powertrain);
    expect(await backend.signIn({ ...base, email: 'WAUZZZGE1NB000003@incompatible.smartcar.com' })).toMatchObject({ ok: false, error: 'vehicle_incompatible' });
  });
});
