import { ApiError } from '@opencar/core';
import type { BrandRequest, Ctx, Reading } from '../../connector.js';
import { VehicleError } from '../../errors.js';
import { oemReading } from '../freshness.js';
import { COMMANDS, commandTesla, signingOf } from './commands.js';
import { MI_TO_KM, chargeStateOf, type TeslaReading } from './readings.js';
import { chargeDetails } from './readings-v3.js';
import { readTesla } from './reads.js';
import { sessionOf, storedSnapshot, vehicleOf, type TeslaServices } from './services.js';
import { bool, num, optBool, optNum, optStr, section, type Endpoint, type Fields, type Snapshot } from './vehicle-data.js';

/**
 * The contract's Tesla-specific endpoints (`/vehicles/{id}/tesla/…`) that the Fleet API answers
 * directly: detailed charge and battery state, meters, compass, speed, thermometers, cabin climate,
 * extended attributes, status, virtual key and account access; commands for the charging current,
 * the charge-port door, the trunks and the cabin climate. Bodies are metric (the API converts).
 * Other Tesla paths answer COMPATIBILITY:SMARTCAR_NOT_CAPABLE.
 */
const ACTION = { status: 'success', message: 'Successfully sent request to vehicle' };
const r1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const km = (f: Fields, k: string) => { const v = optNum(f, k); return v === null ? null : r1(v * MI_TO_KM); };
const real = (v: string | null) => (v === null || v === '<invalid>' || v === '' ? null : v);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const DIRECTIONS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;
const GEARS: Record<string, string> = { P: 'PARK', D: 'DRIVE', R: 'REVERSE', N: 'NEUTRAL' };

/** A body read from the sections it needs, timed by the first section's own timestamp. */
function view(endpoints: readonly Endpoint[], body: (s: Snapshot) => unknown): TeslaReading<unknown> {
  const first = endpoints[0] === 'location_data' ? 'drive_state' : endpoints[0]!;
  return {
    endpoints,
    extract: (s) => {
      const f = s.sections[first] ?? {};
      return { value: body(s), capturedAt: typeof f.timestamp === 'number' ? f.timestamp : undefined, fetchedAt: s.fetchedAt[first] };
    },
  };
}

const charging = (c: Fields) => c.charging_state === 'Charging' || c.charging_state === 'Starting';

const READS: Record<string, TeslaReading<unknown>> = {
  charge: view(['charge_state', 'vehicle_config'], (s) => {
    const c = section(s, 'charge_state');
    const d = chargeDetails.extract(s).value;
    const { isPluggedIn, state } = chargeStateOf(c);
    return {
      amperage: d.amperage, completionTime: iso(d.completesAt), wattage: d.powerKw, voltage: d.voltage, isPluggedIn, state,
      socLimit: r3(num(c, 'charge_limit_soc') / 100), amperageMaxVehicle: d.amperageMax,
      socLimitMax: r3((optNum(c, 'charge_limit_soc_max') ?? 100) / 100), socLimitMin: r3((optNum(c, 'charge_limit_soc_min') ?? 50) / 100),
      socLimitDefault: r3((optNum(c, 'charge_limit_soc_std') ?? 80) / 100), amperageRequested: d.amperageRequested, energyAdded: d.energyAddedKwh,
      rangeAddedRated: km(c, 'charge_miles_added_rated'), rangeAddedIdeal: km(c, 'charge_miles_added_ideal'), chargeRate: d.rangeRateKmh,
      connector: real(optStr(c, 'conn_charge_cable')), fastChargerPresent: d.fastChargerPresent, fastChargerType: real(optStr(c, 'fast_charger_type')),
      fastChargerBrand: real(optStr(c, 'fast_charger_brand')), amperageMaxCharger: optNum(c, 'charger_pilot_current'),
      chargePortColor: d.portColor, chargePortOpen: d.portOpen, chargePortLatch: real(optStr(c, 'charge_port_latch'))?.toUpperCase() ?? null,
      chargerPhases: d.phases,
    };
  }),
  battery: view(['charge_state'], (s) => {
    const c = section(s, 'charge_state');
    return {
      percentRemaining: r3(num(c, 'battery_level') / 100), range: km(c, 'battery_range'), heaterOn: optBool(c, 'battery_heater_on'),
      rangeEstimated: km(c, 'est_battery_range'), rangeIdeal: km(c, 'ideal_battery_range'),
      percentRemainingUsable: optNum(c, 'usable_battery_level') === null ? null : r3(num(c, 'usable_battery_level') / 100),
      maxRangeChargeCounter: optNum(c, 'max_range_charge_counter'), notEnoughPowerToHeat: optBool(c, 'not_enough_power_to_heat') ?? false,
    };
  }),
  'charge/completion': view(['charge_state'], (s) => {
    const c = section(s, 'charge_state');
    const minutes = optNum(c, 'minutes_to_full_charge');
    if (!charging(c) || minutes === null) throw new VehicleError({ kind: 'precondition', code: 'NOT_CHARGING' });
    return { time: iso(num(c, 'timestamp') + minutes * 60_000) };
  }),
  'charge/voltmeter': view(['charge_state'], (s) => ({ voltage: optNum(section(s, 'charge_state'), 'charger_voltage') })),
  'charge/wattmeter': view(['charge_state'], (s) => ({ wattage: optNum(section(s, 'charge_state'), 'charger_power') })),
  'charge/ammeter': view(['charge_state'], (s) => {
    const c = section(s, 'charge_state');
    return { amperage: charging(c) ? optNum(c, 'charger_actual_current') : optNum(c, 'charge_current_request') };
  }),
  compass: view(['location_data'], (s) => {
    const heading = num(section(s, 'drive_state'), 'heading');
    return { direction: DIRECTIONS[Math.round((((heading % 360) + 360) % 360) / 45) % 8]!, heading };
  }),
  speedometer: view(['drive_state'], (s) => ({ speed: r1((optNum(section(s, 'drive_state'), 'speed') ?? 0) * MI_TO_KM) })),
  'thermometer/exterior': view(['climate_state'], (s) => ({ temperature: optNum(section(s, 'climate_state'), 'outside_temp') })),
  'thermometer/interior': view(['climate_state'], (s) => ({ temperature: optNum(section(s, 'climate_state'), 'inside_temp') })),
  'climate/cabin': view(['climate_state'], (s) => {
    const c = section(s, 'climate_state');
    return { status: bool(c, 'is_climate_on') ? 'ON' : 'OFF', temperature: optNum(c, 'driver_temp_setting') };
  }),
  'climate/defroster': view(['climate_state'], (s) => {
    const c = section(s, 'climate_state');
    return { frontStatus: optBool(c, 'is_front_defroster_on') ? 'ON' : 'OFF', rearStatus: optBool(c, 'is_rear_defroster_on') ? 'ON' : 'OFF' };
  }),
  'climate/steering_wheel': view(['climate_state'], (s) => ({ status: optBool(section(s, 'climate_state'), 'steering_wheel_heater') ? 'ON' : 'OFF' })),
};

function attributes(v: { id: string; make: string; model: string; year: number; display_name: string | null }): TeslaReading<unknown> {
  return view(['vehicle_config', 'vehicle_state'], (s) => {
    const cfg = section(s, 'vehicle_config');
    const vs = s.sections.vehicle_state ?? {};
    return {
      id: v.id, make: v.make, model: v.model, year: Number(v.year),
      firmwareVersion: real(optStr(vs, 'car_version'))?.split(' ')[0] ?? null,
      trimBadging: real(optStr(cfg, 'trim_badging')), efficiencyPackage: real(optStr(cfg, 'efficiency_package')),
      performancePackage: real(optStr(cfg, 'performance_package')), nickname: real(optStr(vs, 'vehicle_name')) ?? v.display_name,
      driverAssistVersion: real(optStr(cfg, 'driver_assist')), atHome: null,
      sentryMode: { available: optBool(vs, 'sentry_mode_available') ?? false, enabled: optBool(vs, 'sentry_mode') ?? false },
      style: { exteriorColor: real(optStr(cfg, 'exterior_color')), exteriorTrim: real(optStr(cfg, 'exterior_trim')), interiorTrim: real(optStr(cfg, 'interior_trim_type')) },
      wheel: { style: real(optStr(cfg, 'wheel_type')), diameter: null },
      driveUnit: { front: null, rear: real(optStr(cfg, 'rear_drive_unit')) },
    };
  });
}

const asReading = <T>(s: TeslaServices, value: T, woke?: boolean): Reading<T> => oemReading(value, { retrievedAt: s.clock.now(), source: 'live', woke });
const notCapable = () => new VehicleError({ kind: 'not_capable', platform: true }, 'Tesla brand endpoint not served by the Fleet API connector');
const field = (body: unknown, k: string): unknown => (body && typeof body === 'object' ? (body as Record<string, unknown>)[k] : undefined);
const invalid = (name: string, message: string) => new ApiError('VALIDATION', { description: message, detail: [{ field: name, message }] });

/** A cabin set point in °C (the body is in °F for imperial requests), within Tesla's 15–28 °C. */
function setPoint(raw: unknown, imperial: boolean): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  const n = Number(raw);
  const c = imperial ? ((n - 32) * 5) / 9 : n;
  if (!Number.isFinite(n) || c < 14.95 || c > 28.05) throw invalid('temperature', imperial ? 'temperature must be between 59 and 82 °F' : 'temperature must be between 15 and 28 °C');
  return Math.round(Math.min(28, Math.max(15, c)) * 10) / 10;
}

export async function teslaBrandRequest(s: TeslaServices, ctx: Ctx, req: BrandRequest): Promise<Reading<unknown>> {
  const key = `${req.method.toUpperCase()} ${req.path}`;
  if (req.method.toUpperCase() === 'GET') {
    if (READS[req.path]) return readTesla(s, ctx, READS[req.path]!);
    if (req.path === 'attributes') return readTesla(s, ctx, (v) => attributes(v));
    const v = await vehicleOf(s, ctx);
    const session = await sessionOf(s, v, ctx);
    if (req.path === 'virtual_key') return asReading(s, { isPaired: (await signingOf(s, session, v, ctx)).paired });
    if (req.path === 'user/access') {
      const role = storedSnapshot(v).accessType ?? 'OWNER';
      return asReading(s, { accessType: role, permissions: session.scopes.filter((x) => x !== 'openid' && x !== 'offline_access') });
    }
    if (req.path === 'status') {
      // From the light vehicle call: never wakes the car. The gear is the last one the car reported.
      const { state, inService } = await s.fleet.vehicleState(session, v.vin, ctx);
      const shift = storedSnapshot(v).sections.drive_state?.shift_state;
      return asReading(s, { status: state === 'online' ? 'AWAKE' : state === 'asleep' ? 'ASLEEP' : 'OFFLINE', inService, gear: typeof shift === 'string' ? GEARS[shift] ?? null : 'PARK' });
    }
    throw notCapable();
  }
  const act = field(req.body, 'action');
  switch (key) {
    case 'POST charge/ammeter': {
      const amps = Math.round(Number(field(req.body, 'amperage')));
      const r = await commandTesla(s, ctx, COMMANDS.chargingAmps.name, { charging_amps: amps }, COMMANDS.chargingAmps.classes);
      return asReading(s, { ...ACTION, message: `${ACTION.message}. amperage: ${amps}` }, r.woke);
    }
    case 'POST charge/charge_port_door': {
      const c = act === 'OPEN' ? COMMANDS.portOpen : COMMANDS.portClose;
      return asReading(s, ACTION, (await commandTesla(s, ctx, c.name, {}, c.classes)).woke);
    }
    case 'POST security/frunk':
    case 'POST security/trunk': {
      const front = req.path === 'security/frunk';
      // Tesla toggles a trunk (actuate_trunk); most cars cannot close the frunk remotely.
      if (front && act === 'CLOSE') throw new VehicleError({ kind: 'not_capable' }, 'the frunk cannot be closed remotely');
      const state = await readTesla(s, ctx, view(['vehicle_state'], (snap) => optNum(section(snap, 'vehicle_state'), front ? 'ft' : 'rt')));
      if ((state.value === 0) === (act === 'CLOSE')) return asReading(s, ACTION, state.woke);
      const r = await commandTesla(s, ctx, 'actuate_trunk', { which_trunk: front ? 'front' : 'rear' }, ['commands']);
      return asReading(s, ACTION, r.woke || state.woke);
    }
    case 'POST climate/cabin': {
      const setC = setPoint(field(req.body, 'temperature'), ctx.unitSystem === 'imperial');
      if (act === 'SET' && setC === undefined) throw invalid('temperature', 'temperature is required to SET');
      let woke = false;
      if (setC !== undefined) woke = (await commandTesla(s, ctx, 'set_temps', { driver_temp: setC, passenger_temp: setC }, ['commands'])).woke ?? false;
      if (act === 'START' || act === 'STOP') woke = (await commandTesla(s, ctx, act === 'START' ? 'auto_conditioning_start' : 'auto_conditioning_stop', {}, ['commands'])).woke || woke;
      const now = await readTesla(s, ctx, READS['climate/cabin']!);
      return { ...now, woke: woke || now.woke };
    }
    default:
      throw notCapable();
  }
}
