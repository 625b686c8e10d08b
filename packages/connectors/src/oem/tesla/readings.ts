import type { ChargeState, LockItem, LockStatus, TirePressure } from '../../connector.js';
import { VehicleError } from '../../errors.js';
import { epochMs } from '../freshness.js';
import { bool, num, optBool, optNum, optStr, section, str, type Endpoint, type Fields, type Snapshot } from './vehicle-data.js';

/**
 * Tesla `vehicle_data` → opencar's v2 values, in metric units. Tesla reports distances in miles
 * whatever the car's display setting and tyre pressures in bar; both are converted here, once.
 * Each value carries the vehicle's own capture time (`timestamp` in ms, GPS and tyre times in s).
 */
export const MI_TO_KM = 1.609344;
export const BAR_TO_KPA = 100;

const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

export interface Extracted<T> { value: T; capturedAt: number | undefined; fetchedAt: number | undefined }

export interface TeslaReading<T> {
  endpoints: readonly Endpoint[];
  extract(s: Snapshot): Extracted<T>;
}

const at = (f: Fields) => epochMs(f.timestamp);

export const location: TeslaReading<{ latitude: number; longitude: number }> = {
  endpoints: ['location_data'],
  extract(s) {
    const d = section(s, 'drive_state');
    const latitude = num(d, 'latitude');
    const longitude = num(d, 'longitude');
    if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) throw new VehicleError({ kind: 'upstream', code: 'INVALID_DATA' }, 'Tesla position out of range');
    return { value: { latitude: r6(latitude), longitude: r6(longitude) }, capturedAt: epochMs(d.gps_as_of) ?? at(d), fetchedAt: s.fetchedAt.drive_state };
  },
};

export const odometer: TeslaReading<{ distance: number }> = {
  endpoints: ['vehicle_state'],
  extract(s) {
    const v = section(s, 'vehicle_state');
    const miles = num(v, 'odometer');
    if (miles < 0) throw new VehicleError({ kind: 'upstream', code: 'INVALID_DATA' }, 'negative odometer');
    return { value: { distance: r1(miles * MI_TO_KM) }, capturedAt: at(v), fetchedAt: s.fetchedAt.vehicle_state };
  },
};

function soc(c: Fields): number {
  const level = num(c, 'battery_level');
  if (level < 0 || level > 100) throw new VehicleError({ kind: 'upstream', code: 'INVALID_DATA' }, 'battery_level out of range');
  return level;
}

export const battery: TeslaReading<{ range: number; percentRemaining: number }> = {
  endpoints: ['charge_state'],
  extract(s) {
    const c = section(s, 'charge_state');
    return { value: { percentRemaining: r3(soc(c) / 100), range: r1(Math.max(0, num(c, 'battery_range')) * MI_TO_KM) }, capturedAt: at(c), fetchedAt: s.fetchedAt.charge_state };
  },
};

/** Tesla's charging_state: Disconnected, NoPower, Starting, Charging, Stopped, Complete. */
export function chargeStateOf(c: Fields): { isPluggedIn: boolean; state: ChargeState } {
  const cs = str(c, 'charging_state');
  const isPluggedIn = cs !== 'Disconnected';
  const state: ChargeState = cs === 'Charging' || cs === 'Starting' ? 'CHARGING' : cs === 'Complete' ? 'FULLY_CHARGED' : 'NOT_CHARGING';
  return { isPluggedIn, state };
}

export const chargeStatus: TeslaReading<{ isPluggedIn: boolean; state: ChargeState }> = {
  endpoints: ['charge_state'],
  extract(s) {
    const c = section(s, 'charge_state');
    return { value: chargeStateOf(c), capturedAt: at(c), fetchedAt: s.fetchedAt.charge_state };
  },
};

export const chargeLimit: TeslaReading<{ limit: number }> = {
  endpoints: ['charge_state'],
  extract(s) {
    const c = section(s, 'charge_state');
    const pct = num(c, 'charge_limit_soc');
    if (pct < 0 || pct > 100) throw new VehicleError({ kind: 'upstream', code: 'INVALID_DATA' }, 'charge_limit_soc out of range');
    return { value: { limit: r3(pct / 100) }, capturedAt: at(c), fetchedAt: s.fetchedAt.charge_state };
  },
};

export const tirePressure: TeslaReading<TirePressure> = {
  endpoints: ['vehicle_state'],
  extract(s) {
    const v = section(s, 'vehicle_state');
    const wheels = { frontLeft: 'fl', frontRight: 'fr', backLeft: 'rl', backRight: 'rr' } as const;
    const value = {} as TirePressure;
    let seen: number | undefined;
    for (const [k, w] of Object.entries(wheels) as [keyof TirePressure, string][]) {
      const bar = optNum(v, `tpms_pressure_${w}`);
      if (bar === null) throw new VehicleError({ kind: 'upstream', code: 'INVALID_DATA' }, 'the vehicle has not reported its tyre pressures yet');
      value[k] = r1(bar * BAR_TO_KPA);
      const t = epochMs(v[`tpms_last_seen_pressure_time_${w}`]);
      if (t !== undefined) seen = seen === undefined ? t : Math.min(seen, t);
    }
    return { value, capturedAt: seen ?? at(v), fetchedAt: s.fetchedAt.vehicle_state };
  },
};

const openClosed = (open: boolean | null): LockItem['status'] => (open === null ? 'UNKNOWN' : open ? 'OPEN' : 'CLOSED');
/** Tesla door, window and trunk fields are 0 when closed. */
const closure = (f: Fields, key: string): LockItem['status'] => {
  const v = optNum(f, key);
  return openClosed(v === null ? null : v !== 0);
};

export const lockStatus: TeslaReading<LockStatus> = {
  endpoints: ['vehicle_state', 'charge_state', 'vehicle_config'],
  extract(s) {
    const v = section(s, 'vehicle_state');
    const c = s.sections.charge_state ?? {};
    const cfg = s.sections.vehicle_config ?? {};
    // Tesla names doors and windows by seat (driver/passenger); which side that is depends on the steering wheel.
    const rhd = optBool(cfg, 'rhd') === true;
    const [left, right] = rhd ? ['p', 'd'] : ['d', 'p'];
    const sunroofInstalled = cfg.sun_roof_installed !== false && cfg.sun_roof_installed !== 0 && cfg.sun_roof_installed !== null && cfg.sun_roof_installed !== undefined;
    const sunroofState = optStr(v, 'sun_roof_state');
    const sunroofPct = optNum(v, 'sun_roof_percent_open') ?? optNum(v, 'vehicle_state_sun_roof_percent_open');
    const sunroofOpen = sunroofPct !== null ? sunroofPct > 0 : sunroofState === null || sunroofState === 'unknown' ? null : sunroofState !== 'closed';
    const value: LockStatus = {
      isLocked: bool(v, 'locked'),
      doors: [
        { type: 'frontLeft', status: closure(v, `${left}f`) }, { type: 'frontRight', status: closure(v, `${right}f`) },
        { type: 'backLeft', status: closure(v, `${left}r`) }, { type: 'backRight', status: closure(v, `${right}r`) },
      ],
      windows: [
        { type: 'frontLeft', status: closure(v, `f${left}_window`) }, { type: 'frontRight', status: closure(v, `f${right}_window`) },
        { type: 'backLeft', status: closure(v, `r${left}_window`) }, { type: 'backRight', status: closure(v, `r${right}_window`) },
      ],
      sunroof: sunroofInstalled ? [{ type: 'sunroof', status: openClosed(sunroofOpen) }] : [],
      storage: [{ type: 'front', status: closure(v, 'ft') }, { type: 'rear', status: closure(v, 'rt') }],
      chargingPort: [{ type: 'chargingPort', status: openClosed(optBool(c, 'charge_port_door_open')) }],
    };
    return { value, capturedAt: at(v), fetchedAt: s.fetchedAt.vehicle_state };
  },
};
