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
  ['dtcs', 'diagnostics'], ['chargeDetails', 'charge_details'], ['batteryDetails', 'battery_details'],
  ['chargePortControl', 'charge_port_control'], ['chargeRecords', 'charge_records'], ['chargeTimers', 'charge_timers'],
  ['climate', 'climate'], ['lowVoltageBattery', 'low_voltage_battery'], ['motion', 'motion'], ['connectivity', 'connectivity'],
  ['vehicleDetails', 'vehicle_details'], ['surveillance', 'surveillance'], ['accountAccess', 'account_access'],
  ['homeLocation', 'home_location'],
];

const keys = (o: object) => Object.keys(o).sort();
const numOrNull = (x: number | null, min = 0) => { if (x !== null) { expect(Number.isFinite(x)).toBe(true); expect(x).toBeGreaterThanOrEqual(min); } };
const boolOrNull = (x: boolean | null) => expect(x === null || typeof x === 'boolean').toBe(true);
const strOrNull = (x: string | null) => expect(x === null || (typeof x === 'string' && x.length > 0)).toBe(true);
const celsius = (x: number | null) => { if (x !== null) { expect(x).toBeGreaterThan(-70); expect(x).toBeLessThan(90); } };
const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

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

    it('every declared v3 reading answers with its documented keys, metric values or null', async () => {
      const { connector: c, ctx, close } = await setup();
      if (c.chargeDetails) {
        const r = await c.chargeDetails(ctx); fresh(r); const v = r.value;
        expect(keys(v)).toEqual(['amperage', 'amperageMax', 'amperageRequested', 'cableLatched', 'completesAt', 'connectorType', 'energyAddedKwh',
          'fastChargerPresent', 'fastChargerType', 'phases', 'portColor', 'portOpen', 'powerKw', 'rangeRateKmh', 'voltage']);
        for (const n of [v.amperage, v.amperageMax, v.amperageRequested, v.voltage, v.powerKw, v.energyAddedKwh, v.rangeRateKmh, v.phases]) numOrNull(n);
        for (const b of [v.fastChargerPresent, v.cableLatched, v.portOpen]) boolOrNull(b);
        for (const t of [v.connectorType, v.fastChargerType, v.portColor]) strOrNull(t);
        if (v.completesAt !== null) expect(v.completesAt).toBeGreaterThanOrEqual(r.capturedAt);
      }
      if (c.batteryDetails) {
        const v = (await c.batteryDetails(ctx)).value;
        expect(keys(v)).toEqual(['heaterOn', 'maxRangeChargeCount', 'rangeIdeal', 'rangeRated']);
        boolOrNull(v.heaterOn); numOrNull(v.maxRangeChargeCount); numOrNull(v.rangeIdeal); numOrNull(v.rangeRated);
      }
      if (c.climate) {
        const v = (await c.climate(ctx)).value;
        expect(keys(v)).toEqual(['cabinC', 'frontDefroster', 'hvacOn', 'outsideC', 'rearDefroster', 'steeringWheelHeater', 'targetC']);
        celsius(v.cabinC); celsius(v.outsideC); celsius(v.targetC);
        for (const b of [v.hvacOn, v.frontDefroster, v.rearDefroster, v.steeringWheelHeater]) boolOrNull(b);
      }
      if (c.lowVoltageBattery) {
        const v = (await c.lowVoltageBattery(ctx)).value;
        expect(keys(v)).toEqual(['stateOfCharge', 'status']); fraction(v.stateOfCharge);
        expect([null, 'GOOD', 'WARN', 'BAD']).toContain(v.status);
      }
      if (c.motion) {
        const v = (await c.motion(ctx)).value;
        expect(keys(v)).toEqual(['driveMode', 'gear', 'heading', 'speed']); numOrNull(v.speed);
        if (v.heading !== null) { expect(v.heading).toBeGreaterThanOrEqual(0); expect(v.heading).toBeLessThan(360); }
        expect([null, 'PARK', 'DRIVE', 'REVERSE', 'NEUTRAL']).toContain(v.gear);
        if (v.driveMode) expect(keys(v.driveMode)).toEqual(['canonical', 'oemDisplayName']);
      }
      if (c.connectivity) {
        const v = (await c.connectivity(ctx)).value;
        expect(keys(v)).toEqual(['asleep', 'digitalKeyPaired', 'firmwareVersion', 'inService', 'online']);
        expect(typeof v.online).toBe('boolean'); boolOrNull(v.asleep); boolOrNull(v.digitalKeyPaired); boolOrNull(v.inService); strOrNull(v.firmwareVersion);
      }
      if (c.vehicleDetails) {
        const v = (await c.vehicleDetails(ctx)).value;
        expect(keys(v)).toEqual(['exteriorColor', 'nickname', 'packages', 'trim', 'wheelStyle']);
        for (const t of [v.trim, v.exteriorColor, v.nickname, v.wheelStyle]) strOrNull(t);
        if (v.packages !== null) for (const p of v.packages) expect(typeof p).toBe('string');
      }
      if (c.surveillance) { const v = (await c.surveillance(ctx)).value; expect(keys(v)).toEqual(['brand', 'enabled']); expect(typeof v.enabled).toBe('boolean'); }
      if (c.accountAccess) {
        const v = (await c.accountAccess(ctx)).value;
        expect(keys(v)).toEqual(['permissions', 'role']); expect(v.role.length).toBeGreaterThan(0);
        for (const p of v.permissions) expect(typeof p).toBe('string');
      }
      if (c.homeLocation) expect(typeof (await c.homeLocation(ctx)).value.atHome).toBe('boolean');
      if (c.chargeRecords) {
        for (const rec of (await c.chargeRecords(ctx, {})).value) {
          expect(keys(rec)).toEqual(['connectorType', 'cost', 'endStateOfCharge', 'endTime', 'energyAddedKwh', 'id', 'isPublicCharger', 'location',
            'startStateOfCharge', 'startTime']);
          if (rec.endTime !== null) expect(rec.endTime).toBeGreaterThanOrEqual(rec.startTime);
          fraction(rec.startStateOfCharge); fraction(rec.endStateOfCharge); numOrNull(rec.energyAddedKwh);
        }
      }
      if (c.chargeTimers) {
        for (const timer of (await c.chargeTimers(ctx)).value) {
          expect(['GLOBAL', 'LOCATION', 'CONNECTOR']).toContain(timer.type);
          for (const w of timer.schedules) { expect(w.start).toMatch(/^\d\d:\d\d:\d\d$/); for (const d of w.days) expect(WEEKDAYS).toContain(d); }
        }
      }
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
      if (c.chargePortControl && c.chargeDetails && c.chargeStatus && !(await c.chargeStatus(ctx)).value.isPluggedIn) {
        await c.chargePortControl(ctx, 'OPEN');
        expect((await c.chargeDetails(ctx)).value.portOpen).toBe(true);
        await c.chargePortControl(ctx, 'CLOSE');
        expect((await c.chargeDetails(ctx)).value.portOpen).toBe(false);
      }
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
