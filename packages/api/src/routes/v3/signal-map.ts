import type { Capability } from '@opencar/connectors';

type Value = unknown;
/** A connector reading that one or more v3 signals are views of. */
export type SourceMethod = 'odometer' | 'location' | 'battery' | 'batteryCapacity' | 'chargeStatus' | 'chargeLimit' | 'fuel'
  | 'lockStatus' | 'tirePressure' | 'engineOil' | 'dtcs';

export interface SignalDef {
  code: string;
  name: string;
  group: string;
  permission: string;
  capability: Capability;
  source: SourceMethod;
  /** Signal body from the source reading; undefined when the reading has no such value. */
  body(value: Value): { unit?: string; value: unknown } | undefined;
}

const pct = (n: unknown) => (typeof n === 'number' ? Math.round(n * 10000) / 100 : null);
const f = (v: Value, k: string) => (v as Record<string, unknown>)[k];
const s = (code: string, name: string, group: string, permission: string, capability: Capability, source: SourceMethod, body: SignalDef['body']): SignalDef =>
  ({ code, name, group, permission, capability, source, body });

/**
 * v3 signal codes (`<group>-<name>` in lower case) as views of the same connector readings the v2
 * endpoints serve, in metric units.
 */
export const SIGNALS: readonly SignalDef[] = [
  s('odometer-traveleddistance', 'TraveledDistance', 'Odometer', 'read_odometer', 'odometer', 'odometer', (v) => ({ unit: 'km', value: f(v, 'distance') })),
  s('location-preciselocation', 'PreciseLocation', 'Location', 'read_location', 'location', 'location',
    (v) => ({ value: { latitude: f(v, 'latitude'), longitude: f(v, 'longitude') } })),
  s('tractionbattery-stateofcharge', 'StateOfCharge', 'TractionBattery', 'read_battery', 'battery', 'battery', (v) => ({ unit: 'percent', value: pct(f(v, 'percentRemaining')) })),
  s('tractionbattery-range', 'Range', 'TractionBattery', 'read_battery', 'battery', 'battery', (v) => ({ unit: 'km', value: f(v, 'range') })),
  s('tractionbattery-nominalcapacity', 'NominalCapacity', 'TractionBattery', 'read_battery', 'battery_capacity', 'batteryCapacity', (v) => ({ unit: 'kWh', value: f(v, 'capacity') })),
  s('charge-ischarging', 'IsCharging', 'Charge', 'read_charge', 'charge', 'chargeStatus', (v) => ({ value: f(v, 'state') === 'CHARGING' })),
  s('charge-ischargingcableconnected', 'IsChargingCableConnected', 'Charge', 'read_charge', 'charge', 'chargeStatus', (v) => ({ value: f(v, 'isPluggedIn') })),
  s('charge-chargingstatus', 'ChargingStatus', 'Charge', 'read_charge', 'charge', 'chargeStatus', (v) => ({ value: f(v, 'state') })),
  s('charge-chargelimit', 'ChargeLimit', 'Charge', 'read_charge', 'charge_limit', 'chargeLimit', (v) => ({ unit: 'percent', value: pct(f(v, 'limit')) })),
  s('internalcombustionengine-fuellevel', 'FuelLevel', 'InternalCombustionEngine', 'read_fuel', 'fuel', 'fuel', (v) => ({ unit: 'percent', value: pct(f(v, 'percentRemaining')) })),
  s('internalcombustionengine-range', 'Range', 'InternalCombustionEngine', 'read_fuel', 'fuel', 'fuel', (v) => ({ unit: 'km', value: f(v, 'range') })),
  s('internalcombustionengine-amountremaining', 'AmountRemaining', 'InternalCombustionEngine', 'read_fuel', 'fuel', 'fuel', (v) => ({ unit: 'l', value: f(v, 'amountRemaining') })),
  s('internalcombustionengine-oillife', 'OilLife', 'InternalCombustionEngine', 'read_engine_oil', 'engine_oil', 'engineOil', (v) => ({ unit: 'percent', value: pct(f(v, 'lifeRemaining')) })),
  s('closure-islocked', 'IsLocked', 'Closure', 'read_security', 'lock_status', 'lockStatus', (v) => ({ value: f(v, 'isLocked') })),
  s('closure-doors', 'Doors', 'Closure', 'read_security', 'lock_status', 'lockStatus', (v) => ({ value: f(v, 'doors') })),
  s('wheel-tirepressures', 'TirePressures', 'Wheel', 'read_tires', 'tires', 'tirePressure', (v) => ({ unit: 'kPa', value: v })),
  s('diagnostics-dtccount', 'DTCCount', 'Diagnostics', 'read_diagnostics', 'diagnostics', 'dtcs', (v) => ({ value: (f(v, 'activeCodes') as unknown[]).length })),
  s('diagnostics-dtclist', 'DTCList', 'Diagnostics', 'read_diagnostics', 'diagnostics', 'dtcs', (v) => ({ value: f(v, 'activeCodes') })),
];

export const SIGNALS_BY_CODE: ReadonlyMap<string, SignalDef> = new Map(SIGNALS.map((d) => [d.code, d]));
