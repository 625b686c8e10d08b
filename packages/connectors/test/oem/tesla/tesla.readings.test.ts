import { afterEach, describe, expect, it } from 'vitest';
import { BAR_TO_KPA, MI_TO_KM, VehicleError, type VehicleConnector } from '../../../src/index.js';
import { ALL_PERMISSIONS, teslaHarness, type TeslaHarness } from './harness.js';

/** vehicle_data → v2 values: units converted once, freshness from Tesla's own timestamps, only the sections needed. */
let h: TeslaHarness;
afterEach(async () => { await h?.close(); });

async function setup(o: Parameters<typeof teslaHarness>[0] = {}) {
  h = await teslaHarness(o);
  const got = await h.connected();
  return { c: (await h.backend.connector(got.vehicleId))! as Required<VehicleConnector>, ctx: got.ctx, vehicleId: got.vehicleId };
}

describe('Tesla readings', () => {
  it('converts Tesla\'s miles and bar once, into km and kPa', async () => {
    const { c, ctx } = await setup();
    const d = h.car.data;
    expect((await c.odometer(ctx)).value.distance).toBeCloseTo((d.vehicle_state.odometer as number) * MI_TO_KM, 1);
    const b = await c.battery(ctx);
    expect(b.value.percentRemaining).toBe((d.charge_state.battery_level as number) / 100);
    expect(b.value.range).toBeCloseTo((d.charge_state.battery_range as number) * MI_TO_KM, 1);
    expect((await c.tirePressure(ctx)).value.frontRight).toBeCloseTo((d.vehicle_state.tpms_pressure_fr as number) * BAR_TO_KPA, 1);
    expect((await c.chargeLimit(ctx)).value.limit).toBe(0.8);
  });

  it('freshness: capturedAt is the vehicle\'s own timestamp (GPS time for the position, the oldest tyre reading for tyres)', async () => {
    const { c, ctx } = await setup();
    h.clock.advance(60_000);
    const loc = await c.location(ctx);
    expect(loc.capturedAt).toBe((h.car.data.drive_state.gps_as_of as number) * 1000);
    expect(loc.retrievedAt).toBe(h.clock.now());
    const tyres = await c.tirePressure(ctx);
    expect(tyres.capturedAt).toBe((h.car.data.vehicle_state.tpms_last_seen_pressure_time_rl as number) * 1000);
    const odo = await c.odometer(ctx);
    expect(odo.capturedAt).toBe(h.car.data.vehicle_state.timestamp);
  });

  it('a vehicle clock ahead of the platform never yields a value from the future', async () => {
    const { c, ctx } = await setup();
    h.car.data.vehicle_state.timestamp = h.clock.now() + 3_600_000;
    const r = await c.odometer(ctx);
    expect(r.capturedAt).toBeLessThanOrEqual(r.retrievedAt);
  });

  it('asks Tesla for only the sections a value needs (endpoints=, ;-separated)', async () => {
    const { c, ctx } = await setup();
    await c.odometer(ctx);
    await c.location(ctx);
    await c.lockStatus(ctx);
    expect(h.emu.state.callsTo(/vehicle_data$/).map((x) => x.query)).toEqual([
      'endpoints=vehicle_state', 'endpoints=location_data', 'endpoints=vehicle_state;charge_state;vehicle_config',
    ]);
  });

  it('location needs the vehicle_location scope: without it the owner must connect again (PERMISSION), and no call is made', async () => {
    h = await teslaHarness();
    h.owner.grants = ['vehicle_device_data', 'vehicle_cmds', 'vehicle_charging_cmds'];
    const r = await h.connect('app-1', { permissions: ALL_PERMISSIONS });
    if (!r.ok) throw new Error('sign-in failed');
    const ctx = { vehicleId: r.vehicles[0]!.vehicleId, unitSystem: 'metric' as const, appId: 'app-1' };
    const c = (await h.backend.connector(ctx.vehicleId))!;
    const before = h.emu.state.callsTo(/vehicle_data$/).length;
    const e = await c.location!(ctx).catch((x: unknown) => x) as VehicleError;
    expect(e.failure).toEqual({ kind: 'account', code: 'PERMISSION' });
    expect(h.emu.state.callsTo(/vehicle_data$/).length).toBe(before);
    expect((await c.odometer!(ctx)).value.distance).toBeGreaterThan(0);
  });

  it('lock status: doors and windows by side (a right-hand-drive car swaps driver and passenger), trunks, charge port', async () => {
    const { c, ctx } = await setup();
    Object.assign(h.car.data.vehicle_state, { df: 1, fp_window: 1, rt: 1, locked: false });
    h.car.data.charge_state.charge_port_door_open = true;
    let s = (await c.lockStatus(ctx)).value;
    expect(s.isLocked).toBe(false);
    expect(s.doors.find((d) => d.type === 'frontLeft')!.status).toBe('OPEN');
    expect(s.windows.find((d) => d.type === 'frontRight')!.status).toBe('OPEN');
    expect(s.storage).toEqual([{ type: 'front', status: 'CLOSED' }, { type: 'rear', status: 'OPEN' }]);
    expect(s.chargingPort).toEqual([{ type: 'chargingPort', status: 'OPEN' }]);
    expect(s.sunroof).toEqual([]);
    h.car.data.vehicle_config.rhd = true;
    s = (await c.lockStatus(ctx)).value;
    expect(s.doors.find((d) => d.type === 'frontRight')!.status).toBe('OPEN');
    expect(s.doors.find((d) => d.type === 'frontLeft')!.status).toBe('CLOSED');
  });

  it('charge status from charging_state', async () => {
    const { c, ctx } = await setup();
    const cases: [string, boolean, string][] = [
      ['Disconnected', false, 'NOT_CHARGING'], ['Stopped', true, 'NOT_CHARGING'], ['NoPower', true, 'NOT_CHARGING'],
      ['Starting', true, 'CHARGING'], ['Charging', true, 'CHARGING'], ['Complete', true, 'FULLY_CHARGED'],
    ];
    for (const [state, plugged, expected] of cases) {
      h.car.data.charge_state.charging_state = state;
      expect((await c.chargeStatus(ctx)).value).toEqual({ isPluggedIn: plugged, state: expected });
    }
  });

  it('tyre pressures the car has not reported yet (null): UPSTREAM:INVALID_DATA rather than a made-up number', async () => {
    const { c, ctx } = await setup();
    h.car.data.vehicle_state.tpms_pressure_rr = null;
    expect(((await c.tirePressure(ctx).catch((e: unknown) => e)) as VehicleError).failure).toEqual({ kind: 'upstream', code: 'INVALID_DATA' });
  });

  it('identity from the listing: model from the VIN, model year from its 10th character; a vehicle id not in the store is VEHICLE_MISSING', async () => {
    const { c, ctx } = await setup();
    expect(await c.identity(ctx)).toEqual({ vin: h.car.vin, make: 'TESLA', model: 'Model 3', year: 2019 });
    const e = await c.odometer({ ...ctx, vehicleId: 'nope' }).catch((x: unknown) => x) as VehicleError;
    expect(e.failure).toEqual({ kind: 'account', code: 'VEHICLE_MISSING' });
  });

  it('concurrent reads of the same value share one Tesla call', async () => {
    const { c, ctx } = await setup();
    const before = h.emu.state.callsTo(/vehicle_data$/).length;
    await Promise.all([c.battery(ctx), c.battery(ctx), c.chargeStatus(ctx), c.chargeLimit(ctx)]);
    expect(h.emu.state.callsTo(/vehicle_data$/).length - before).toBe(1);
  });

  it('v3 readings Tesla answers directly: charge and battery details, climate, motion, details, Sentry Mode, account access', async () => {
    const { c, ctx } = await setup();
    Object.assign(h.car.data.charge_state, {
      charging_state: 'Charging', charger_actual_current: 16, charger_voltage: 230, charger_power: 11, charge_rate: 30, minutes_to_full_charge: 90,
      charger_phases: 3, fast_charger_present: false, charge_port_latch: 'Engaged', charge_port_color: 'Green', charge_port_door_open: true,
    });
    const cd = await c.chargeDetails(ctx);
    expect(cd.value).toMatchObject({ amperage: 16, voltage: 230, powerKw: 11, phases: 3, connectorType: 'CCS2', cableLatched: true, portOpen: true, portColor: 'GREEN', fastChargerType: null });
    expect(cd.value.rangeRateKmh).toBeCloseTo(30 * MI_TO_KM, 1);
    expect(cd.value.completesAt).toBe((h.car.data.charge_state.timestamp as number) + 90 * 60_000);
    expect((await c.batteryDetails(ctx)).value.rangeIdeal).toBeCloseTo((h.car.data.charge_state.ideal_battery_range as number) * MI_TO_KM, 1);
    expect((await c.climate(ctx)).value).toMatchObject({ cabinC: 18.4, outsideC: 12.5, hvacOn: false, targetC: 21 });
    expect((await c.motion(ctx)).value).toEqual({ speed: 0, heading: null, gear: 'PARK', driveMode: null });
    Object.assign(h.car.data.drive_state, { shift_state: 'D', speed: 50 });
    expect((await c.motion(ctx)).value).toMatchObject({ gear: 'DRIVE', speed: 80.5 });
    expect((await c.vehicleDetails(ctx)).value).toEqual({ trim: '74d', exteriorColor: 'MidnightSilver', nickname: 'Emulated', packages: null, wheelStyle: 'Pinwheel18' });
    h.car.data.vehicle_state.sentry_mode = true;
    expect((await c.surveillance(ctx)).value).toEqual({ brand: 'Sentry Mode', enabled: true });
    const acc = (await c.accountAccess(ctx)).value;
    expect(acc.role).toBe('OWNER');
    expect(acc.permissions).toEqual(expect.arrayContaining(['vehicle_device_data', 'vehicle_cmds']));
    expect(acc.permissions).not.toContain('openid');
  });

  it('connectivity comes from the light vehicle call and fleet_status: it never wakes the car', async () => {
    const { c, ctx } = await setup();
    h.emu.state.sleep(h.car.vin);
    const r = await c.connectivity(ctx);
    expect(r.value).toEqual({ online: false, asleep: true, digitalKeyPaired: true, firmwareVersion: '2024.14.30', inService: false });
    expect(h.car.state).toBe('asleep');
    expect(h.emu.state.callsTo(/vehicle_data$|wake_up$/)).toEqual([]);
  });
});
