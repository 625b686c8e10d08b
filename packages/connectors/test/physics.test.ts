import { describe, expect, it } from 'vitest';
import { clockControl, drive, setState, type VehicleEvent } from '../src/index.js';
import { hoursTo, socAfter } from '../src/sim/physics.js';
import { memorySim, oneVehicle } from './helpers.js';

const H = 3_600_000;

describe('charging physics (closed form)', () => {
  it('constant power to 80 %, then a taper; inverse is exact', () => {
    const cc = socAfter(0.2, 1, 11, 77); // 11 kW into 77 kWh: 14.3 %/h
    expect(cc).toBeCloseTo(0.2 + 11 / 77, 6);
    const h80 = hoursTo(0.2, 0.8, 11, 77);
    const h90 = hoursTo(0.8, 0.9, 11, 77);
    const h100 = hoursTo(0.9, 1, 11, 77);
    expect(h90).toBeGreaterThan(0.1 / (11 / 77)); // slower than CC above 80 %
    expect(h100).toBeGreaterThan(h90);
    expect(socAfter(0.2, h80 + h90, 11, 77)).toBeCloseTo(0.9, 6);
    expect(socAfter(socAfter(0.3, 2, 11, 77), 3, 11, 77)).toBeCloseTo(socAfter(0.3, 5, 11, 77), 9); // composable
  });

  it('plug in → CHARGING_STARTED; advance 8 h → stops at the limit with CHARGING_COMPLETED at the right time', async () => {
    const { backend, engine, sim, clock } = memorySim();
    const seen: VehicleEvent[] = [];
    engine.onEvents((e) => seen.push(...e));
    const { v, connector, ctx } = await oneVehicle(backend, 'TESLA');
    await setState(sim, v.vehicleId, { soc: 0.2, chargeLimit: 0.9, chargeKw: 11 });
    const plug = await setState(sim, v.vehicleId, { pluggedIn: true });
    expect(plug.events.map((e) => e.eventType)).toEqual(['CHARGING_STARTED']);
    const cap = (await connector.batteryCapacity!(ctx)).value.capacity;
    clock.advance(H);
    const mid = (await connector.battery!(ctx)).value.percentRemaining;
    expect(mid).toBeCloseTo(0.2 + 11 / cap, 2);
    expect((await connector.chargeStatus!(ctx)).value.state).toBe('CHARGING');
    const adv = await clockControl(sim, v.vehicleId, { action: 'advance', ms: 8 * H });
    expect(adv.events.map((e) => e.eventType)).toEqual(['CHARGING_COMPLETED']);
    const expectedDone = plug.view.clock.virtualNowMs + Math.ceil(hoursTo(0.2, 0.9, 11, cap) * H);
    expect(adv.events[0]!.at).toBe(expectedDone);
    expect((await connector.battery!(ctx)).value.percentRemaining).toBe(0.9);
    expect((await connector.chargeStatus!(ctx)).value).toEqual({ isPluggedIn: true, state: 'FULLY_CHARGED' });
    expect(seen.map((e) => e.eventType)).toEqual(['CHARGING_STARTED', 'CHARGING_COMPLETED']);
    const err = await connector.chargeControl!(ctx, 'START').catch((e: { failure: unknown }) => e.failure);
    expect(err).toEqual({ kind: 'precondition', code: 'FULLY_CHARGED' });
  });

  it('unplugging stops charging (CHARGING_STOPPED); the background processor completes due charges', async () => {
    const { backend, sim, clock } = memorySim();
    const { v } = await oneVehicle(backend, 'KIA', 'x@example.com', 'DE');
    const a = await oneVehicle(backend, 'TESLA', 'y@example.com');
    await setState(sim, a.v.vehicleId, { soc: 0.5, pluggedIn: true });
    const st = await setState(sim, a.v.vehicleId, { pluggedIn: false });
    expect(st.events.map((e) => e.eventType)).toEqual(['CHARGING_STOPPED']);
    expect(v).toBeDefined();
    const p = await setState(sim, a.v.vehicleId, { soc: 0.79, chargeLimit: 0.8, pluggedIn: true });
    expect(p.view.nextEventAt).not.toBeNull();
    clock.advance(2 * H);
    expect(await backend.processDueEvents()).toBe(1);
    expect(await backend.processDueEvents()).toBe(0);
  });
});

describe('trips', () => {
  it('moves along the route, adds odometer, uses energy, wears oil; lock refused while driving', async () => {
    const { backend, sim, clock } = memorySim();
    const { v, connector, ctx } = await oneVehicle(backend, 'FORD', 'fuel-owner@example.com');
    const start = (await connector.location!(ctx)).value;
    const odo0 = (await connector.odometer!(ctx)).value.distance;
    const fuel0 = (await connector.fuel!(ctx)).value.percentRemaining!;
    const dest: [number, number] = [start.latitude + 0.9, start.longitude]; // ~100 km north
    const d = await drive(sim, v.vehicleId, [dest], 100);
    expect(d.view.state.driving).toBe(true);
    clock.advance(30 * 60_000);
    const mid = (await connector.location!(ctx)).value;
    expect(mid.latitude).toBeGreaterThan(start.latitude + 0.4);
    expect(mid.latitude).toBeLessThan(start.latitude + 0.5);
    const lock = await connector.lockControl!(ctx, 'LOCK').catch((e: { failure: unknown }) => e.failure);
    expect(lock).toEqual({ kind: 'precondition', code: 'IN_MOTION' });
    clock.advance(2 * H);
    const end = (await connector.location!(ctx)).value;
    expect(end.latitude).toBeCloseTo(dest[0], 4);
    const odo1 = (await connector.odometer!(ctx)).value.distance;
    expect(odo1 - odo0).toBeGreaterThan(99);
    expect(odo1 - odo0).toBeLessThan(101);
    expect((await connector.fuel!(ctx)).value.percentRemaining!).toBeLessThan(fuel0);
    await connector.lockControl!(ctx, 'LOCK');
  });

  it('tyre pressure follows the outside temperature and warms while driving', async () => {
    const { backend, sim, clock } = memorySim();
    const { v, connector, ctx } = await oneVehicle(backend, 'TESLA', 't@example.com');
    await setState(sim, v.vehicleId, { location: { latitude: 64.1, longitude: -21.9 } });
    const cold = (await connector.tirePressure!(ctx)).value.frontLeft;
    await setState(sim, v.vehicleId, { location: { latitude: 25.8, longitude: -80.2 } });
    const warm = (await connector.tirePressure!(ctx)).value.frontLeft;
    expect(warm).toBeGreaterThan(cold);
    await drive(sim, v.vehicleId, [[26.5, -80.2]], 80);
    clock.advance(20 * 60_000);
    expect((await connector.tirePressure!(ctx)).value.frontLeft).toBeGreaterThan(warm);
  });
});
