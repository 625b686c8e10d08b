import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '@opencar/core';
import { MI_TO_KM, VehicleError, type BrandRequest, type VehicleConnector } from '../../../src/index.js';
import { teslaHarness, type TeslaHarness } from './harness.js';

/** The contract's Tesla endpoints the Fleet API answers directly, and the ones it does not. */
let h: TeslaHarness;
afterEach(async () => { await h?.close(); });

async function setup() {
  h = await teslaHarness({ config: { quota: { data: 0, commands: 0, wakes: 0, chargingCommands: 0 } } });
  const got = await h.connected();
  const c = (await h.backend.connector(got.vehicleId))! as Required<VehicleConnector>;
  const call = (method: string, path: string, body: unknown = null, unitSystem: 'metric' | 'imperial' = 'metric') =>
    c.brandRequest({ ...got.ctx, unitSystem }, 'tesla', { method, path, query: {}, body } satisfies BrandRequest);
  return { c, ctx: got.ctx, call };
}
const keys = (o: unknown) => Object.keys(o as object).sort();

describe('Tesla brand endpoints', () => {
  it('the connector declares brand:tesla', async () => {
    const { c, ctx } = await setup();
    expect((await c.capabilities(ctx)).has('brand:tesla')).toBe(true);
  });

  it('GET charge and battery: the contract\'s keys, metric, from charge_state', async () => {
    const { call } = await setup();
    Object.assign(h.car.data.charge_state, { charging_state: 'Charging', charger_actual_current: 16, charger_voltage: 231, charger_power: 11, minutes_to_full_charge: 60, charge_rate: 20, conn_charge_cable: 'IEC', charge_port_latch: 'Engaged' });
    const charge = (await call('GET', 'charge')).value as Record<string, unknown>;
    expect(keys(charge)).toEqual(['amperage', 'amperageMaxCharger', 'amperageMaxVehicle', 'amperageRequested', 'chargePortColor', 'chargePortLatch', 'chargePortOpen',
      'chargeRate', 'chargerPhases', 'completionTime', 'connector', 'energyAdded', 'fastChargerBrand', 'fastChargerPresent', 'fastChargerType', 'isPluggedIn',
      'rangeAddedIdeal', 'rangeAddedRated', 'socLimit', 'socLimitDefault', 'socLimitMax', 'socLimitMin', 'state', 'voltage', 'wattage']);
    expect(charge).toMatchObject({ amperage: 16, voltage: 231, wattage: 11, isPluggedIn: true, state: 'CHARGING', socLimit: 0.8, socLimitMin: 0.5, socLimitMax: 1, connector: 'IEC', chargePortLatch: 'ENGAGED' });
    expect(charge.completionTime).toBe(new Date((h.car.data.charge_state.timestamp as number) + 3_600_000).toISOString());
    expect(charge.chargeRate).toBeCloseTo(20 * MI_TO_KM, 1);
    const battery = (await call('GET', 'battery')).value as Record<string, unknown>;
    expect(keys(battery)).toEqual(['heaterOn', 'maxRangeChargeCounter', 'notEnoughPowerToHeat', 'percentRemaining', 'percentRemainingUsable', 'range', 'rangeEstimated', 'rangeIdeal']);
    expect(battery.percentRemainingUsable).toBe(0.63);
    expect(battery.rangeEstimated).toBeCloseTo((h.car.data.charge_state.est_battery_range as number) * MI_TO_KM, 1);
  });

  it('meters, compass, speed, thermometers, climate', async () => {
    const { call } = await setup();
    expect((await call('GET', 'charge/ammeter')).value).toEqual({ amperage: 16 });
    expect((await call('GET', 'charge/wattmeter')).value).toEqual({ wattage: 0 });
    expect((await call('GET', 'charge/voltmeter')).value).toEqual({ voltage: 0 });
    expect(((await call('GET', 'charge/completion').catch((e: unknown) => e)) as VehicleError).failure).toEqual({ kind: 'precondition', code: 'NOT_CHARGING' });
    expect((await call('GET', 'compass')).value).toEqual({ direction: 'E', heading: 92 });
    expect((await call('GET', 'speedometer')).value).toEqual({ speed: 0 });
    expect((await call('GET', 'thermometer/exterior')).value).toEqual({ temperature: 12.5 });
    expect((await call('GET', 'thermometer/interior')).value).toEqual({ temperature: 18.4 });
    expect((await call('GET', 'climate/cabin')).value).toEqual({ status: 'OFF', temperature: 21 });
    expect((await call('GET', 'climate/defroster')).value).toEqual({ frontStatus: 'OFF', rearStatus: 'OFF' });
    expect((await call('GET', 'climate/steering_wheel')).value).toEqual({ status: 'OFF' });
  });

  it('attributes, status (without waking), virtual key, account access', async () => {
    const { call } = await setup();
    const a = (await call('GET', 'attributes')).value as Record<string, unknown>;
    expect(keys(a)).toEqual(['atHome', 'driveUnit', 'driverAssistVersion', 'efficiencyPackage', 'firmwareVersion', 'id', 'make', 'model', 'nickname', 'performancePackage',
      'sentryMode', 'style', 'trimBadging', 'wheel', 'year']);
    expect(a).toMatchObject({ make: 'TESLA', model: 'Model 3', year: 2019, firmwareVersion: '2024.14.30', trimBadging: '74d', nickname: 'Emulated' });
    h.emu.state.sleep(h.car.vin);
    expect((await call('GET', 'status')).value).toEqual({ status: 'ASLEEP', inService: false, gear: 'PARK' });
    expect(h.car.state).toBe('asleep');
    expect((await call('GET', 'virtual_key')).value).toEqual({ isPaired: true });
    expect((await call('GET', 'user/access')).value).toMatchObject({ accessType: 'OWNER' });
  });

  it('commands: charging current, charge-port door, trunk, cabin climate (°F in imperial requests)', async () => {
    const { call } = await setup();
    expect((await call('POST', 'charge/ammeter', { amperage: 12 })).value).toEqual({ status: 'success', message: 'Successfully sent request to vehicle. amperage: 12' });
    expect(h.car.data.charge_state.charge_current_request).toBe(12);
    await call('POST', 'charge/charge_port_door', { action: 'OPEN' });
    expect(h.car.data.charge_state.charge_port_door_open).toBe(true);
    await call('POST', 'security/trunk', { action: 'OPEN' });
    expect(h.car.data.vehicle_state.rt).toBe(1);
    await call('POST', 'security/trunk', { action: 'OPEN' });
    expect(h.car.data.vehicle_state.rt).toBe(1);
    await call('POST', 'security/trunk', { action: 'CLOSE' });
    expect(h.car.data.vehicle_state.rt).toBe(0);
    expect(((await call('POST', 'security/frunk', { action: 'CLOSE' }).catch((e: unknown) => e)) as VehicleError).failure).toEqual({ kind: 'not_capable' });
    expect((await call('POST', 'climate/cabin', { action: 'START', temperature: 71.6 }, 'imperial')).value).toEqual({ status: 'ON', temperature: 22 });
    expect(h.car.data.climate_state).toMatchObject({ is_climate_on: true, driver_temp_setting: 22 });
    expect(await call('POST', 'climate/cabin', { action: 'SET', temperature: 40 }).catch((e: unknown) => e)).toBeInstanceOf(ApiError);
  });

  it('paths the Fleet API connector does not serve: SMARTCAR_NOT_CAPABLE', async () => {
    const { call } = await setup();
    for (const [m, p] of [['GET', 'charge/schedule'], ['GET', 'charge/records'], ['GET', 'alerts'], ['POST', 'pin']] as const) {
      expect(((await call(m, p, {}).catch((e: unknown) => e)) as VehicleError).failure).toEqual({ kind: 'not_capable', platform: true });
    }
  });
});
