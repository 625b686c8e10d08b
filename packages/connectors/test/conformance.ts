import { describe, expect, it } from 'vitest';
import type { Capability, Ctx, Reading, VehicleConnector } from '../src/connector.js';
import { VehicleError } from '../src/errors.js';

/**
 * The connector conformance suite: any VehicleConnector must pass it. `setup` returns a connector
 * for one vehicle that is awake, parked, unlocked-able, with its doors closed.
 */
export interface ConformanceSubject {
  connector: VehicleConnector;
  ctx: Ctx;
  close?: () => Promise<void>;
}

const METHOD_CAPS: [keyof VehicleConnector, Capability][] = [
  ['location', 'location'], ['odometer', 'odometer'], ['fuel', 'fuel'], ['battery', 'battery'], ['batteryCapacity', 'battery_capacity'],
  ['nominalCapacity', 'nominal_capacity'], ['chargeStatus', 'charge'], ['chargeLimit', 'charge_limit'], ['setChargeLimit', 'set_charge_limit'],
  ['chargeControl', 'charge_control'], ['tirePressure', 'tires'], ['engineOil', 'engine_oil'], ['lockStatus', 'lock_status'],
  ['lockControl', 'lock_control'], ['sendDestination', 'navigation'], ['serviceHistory', 'service_history'], ['systemStatus', 'diagnostics'],
  ['dtcs', 'diagnostics'],
];

function fresh<T>(r: Reading<T>): void {
  expect(Number.isFinite(r.capturedAt)).toBe(true);
  expect(r.capturedAt).toBeLessThanOrEqual(r.retrievedAt);
  expect(['live', 'oem-cache', 'platform-cache', 'estimated']).toContain(r.source);
}
const fraction = (x: number | null) => { if (x !== null) { expect(x).toBeGreaterThanOrEqual(0); expect(x).toBeLessThanOrEqual(1); } };

export function connectorConformance(name: string, setup: () => Promise<ConformanceSubject>): void {
  describe(`connector conformance: ${name}`, () => {
    it('identity: 17-character VIN, upper-case make, numeric year', async () => {
      const { connector, ctx, close } = await setup();
      const id = await connector.identity(ctx);
      expect(id.vin).toMatch(/^[A-HJ-NPR-Z0-9]{17}$/);
      expect(id.make).toBe(id.make.toUpperCase());
      expect(Number.isInteger(id.year)).toBe(true);
      expect(id.model.length).toBeGreaterThan(0);
      await close?.();
    });

    it('declares a capability exactly when it has the method', async () => {
      const { connector, ctx, close } = await setup();
      const caps = await connector.capabilities(ctx);
      expect(caps.has('attributes') && caps.has('vin')).toBe(true);
      for (const [method, cap] of METHOD_CAPS) expect([method, typeof connector[method] === 'function']).toEqual([method, caps.has(cap)]);
      if (caps.has('battery') && !caps.has('fuel')) expect(connector.fuel).toBeUndefined();
      await close?.();
    });

    it('every declared read answers with a fresh, well-formed reading', async () => {
      const { connector: c, ctx, close } = await setup();
      if (c.location) { const r = await c.location(ctx); fresh(r); expect(Math.abs(r.value.latitude)).toBeLessThanOrEqual(90); expect(Math.abs(r.value.longitude)).toBeLessThanOrEqual(180); }
      if (c.odometer) { const r = await c.odometer(ctx); fresh(r); expect(r.value.distance).toBeGreaterThanOrEqual(0); }
      if (c.fuel) { const r = await c.fuel(ctx); fresh(r); fraction(r.value.percentRemaining); expect(Object.keys(r.value).sort()).toEqual(['amountRemaining', 'percentRemaining', 'range']); }
      if (c.battery) { const r = await c.battery(ctx); fresh(r); fraction(r.value.percentRemaining); expect(r.value.range).toBeGreaterThanOrEqual(0); }
      if (c.batteryCapacity) { const r = await c.batteryCapacity(ctx); expect(r.value.capacity).toBeGreaterThan(0); }
      if (c.nominalCapacity) { const r = await c.nominalCapacity(ctx); expect(Object.keys(r.value).sort()).toEqual(['availableCapacities', 'capacity', 'url']); }
      if (c.chargeStatus) { const r = await c.chargeStatus(ctx); expect(['CHARGING', 'FULLY_CHARGED', 'NOT_CHARGING']).toContain(r.value.state); expect(typeof r.value.isPluggedIn).toBe('boolean'); }
      if (c.chargeLimit) { const r = await c.chargeLimit(ctx); expect(r.value.limit).toBeGreaterThanOrEqual(0.5); expect(r.value.limit).toBeLessThanOrEqual(1); }
      if (c.tirePressure) { const r = await c.tirePressure(ctx); for (const v of Object.values(r.value)) expect(v).toBeGreaterThan(100); expect(Object.keys(r.value).sort()).toEqual(['backLeft', 'backRight', 'frontLeft', 'frontRight']); }
      if (c.engineOil) { const r = await c.engineOil(ctx); fraction(r.value.lifeRemaining); }
      if (c.lockStatus) { const r = await c.lockStatus(ctx); expect(Object.keys(r.value).sort()).toEqual(['chargingPort', 'doors', 'isLocked', 'storage', 'sunroof', 'windows']); }
      if (c.serviceHistory) { const r = await c.serviceHistory(ctx, {}); expect(Array.isArray(r.value)).toBe(true); }
      if (c.systemStatus) { const r = await c.systemStatus(ctx); for (const s of r.value.systems) expect(['OK', 'ALERT']).toContain(s.status); }
      if (c.dtcs) { const r = await c.dtcs(ctx); expect(Array.isArray(r.value.activeCodes)).toBe(true); }
      await close?.();
    });

    it('commands confirm with a completion time and change what a later read shows', async () => {
      const { connector: c, ctx, close } = await setup();
      if (c.lockControl && c.lockStatus) {
        const unlock = await c.lockControl(ctx, 'UNLOCK');
        expect(Number.isFinite(unlock.completedAt)).toBe(true);
        expect((await c.lockStatus(ctx)).value.isLocked).toBe(false);
        await c.lockControl(ctx, 'LOCK');
        expect((await c.lockStatus(ctx)).value.isLocked).toBe(true);
      }
      if (c.setChargeLimit && c.chargeLimit) {
        await c.setChargeLimit(ctx, 0.7);
        expect((await c.chargeLimit(ctx)).value.limit).toBeCloseTo(0.7, 5);
      }
      if (c.sendDestination) expect(Number.isFinite((await c.sendDestination(ctx, 48.1, 11.5)).completedAt)).toBe(true);
      await close?.();
    });

    it('fails only with typed VehicleErrors', async () => {
      const { connector: c, ctx, close } = await setup();
      if (c.chargeControl && c.chargeStatus && !(await c.chargeStatus(ctx)).value.isPluggedIn) {
        const err = await c.chargeControl(ctx, 'START').catch((e: unknown) => e);
        expect(err).toBeInstanceOf(VehicleError);
        expect((err as VehicleError).failure).toEqual({ kind: 'precondition', code: 'CHARGING_PLUG_NOT_CONNECTED' });
      }
      const other = { ...ctx, vehicleId: 'no-such-vehicle' };
      const missing = c.odometer ? await c.odometer(other).catch((e: unknown) => e) : undefined;
      if (missing !== undefined) expect(missing).toBeInstanceOf(VehicleError);
      await close?.();
    });
  });
}
