import type { AccountAccess, ChargeDetails, ClimateStatus, Gear, Motion, Surveillance, TractionBatteryDetails, VehicleDetails } from '../../connector.js';
import { epochMs } from '../freshness.js';
import { MI_TO_KM, type TeslaReading } from './readings.js';
import { optBool, optNum, optStr, section, type Fields, type Snapshot } from './vehicle-data.js';

/**
 * The v3 catalogue's readings Tesla's `vehicle_data` answers directly (charge and battery details,
 * climate, motion, vehicle details, Sentry Mode, the account's role), in metric units. Fields Tesla
 * does not report are null.
 */
const r1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
const at = (f: Fields) => epochMs(f.timestamp);
/** Tesla's placeholder for "no value". */
const real = (v: string | null) => (v === null || v === '<invalid>' || v === '' ? null : v);

/** `vehicle_config.charge_port_type` → the inlet standard. */
function inlet(cfg: Fields): string | null {
  const t = real(optStr(cfg, 'charge_port_type'));
  if (t === 'US') return 'NACS';
  if (t === 'EU') return 'TYPE2';
  if (t === 'GB') return 'GBT';
  if (t === 'CCS') return optBool(cfg, 'eu_vehicle') ? 'CCS2' : 'CCS1';
  return null;
}

function fastCharger(c: Fields): string | null {
  const t = real(optStr(c, 'fast_charger_type'))?.toLowerCase();
  if (!t || !optBool(c, 'fast_charger_present')) return null;
  if (t.includes('chademo')) return 'CHADEMO';
  if (t.includes('combo') || t.includes('ccs')) return 'CCS';
  if (t.includes('supercharger') || t.includes('tesla')) return 'NACS';
  return null;
}

const PORT_COLORS: Record<string, string> = { green: 'GREEN', flashinggreen: 'GREEN', blue: 'BLUE', flashingblue: 'BLUE', orange: 'ORANGE', amber: 'ORANGE', white: 'WHITE', off: 'OFF' };

export const chargeDetails: TeslaReading<ChargeDetails> = {
  endpoints: ['charge_state', 'vehicle_config'],
  extract(s: Snapshot) {
    const c = section(s, 'charge_state');
    const cfg = s.sections.vehicle_config ?? {};
    const charging = c.charging_state === 'Charging' || c.charging_state === 'Starting';
    const minutes = optNum(c, 'minutes_to_full_charge');
    const t = at(c);
    const rate = optNum(c, 'charge_rate');
    return {
      value: {
        amperage: optNum(c, 'charger_actual_current'),
        amperageMax: optNum(c, 'charge_current_request_max'),
        amperageRequested: optNum(c, 'charge_current_request'),
        voltage: optNum(c, 'charger_voltage'),
        powerKw: optNum(c, 'charger_power'),
        energyAddedKwh: optNum(c, 'charge_energy_added'),
        rangeRateKmh: rate === null ? null : r1(rate * MI_TO_KM),
        completesAt: charging && minutes !== null && t !== undefined ? t + minutes * 60_000 : null,
        phases: optNum(c, 'charger_phases'),
        connectorType: inlet(cfg),
        fastChargerPresent: optBool(c, 'fast_charger_present'),
        fastChargerType: fastCharger(c),
        cableLatched: real(optStr(c, 'charge_port_latch')) === null ? null : c.charge_port_latch === 'Engaged',
        portOpen: optBool(c, 'charge_port_door_open'),
        portColor: PORT_COLORS[(real(optStr(c, 'charge_port_color')) ?? '').toLowerCase()] ?? null,
      },
      capturedAt: t, fetchedAt: s.fetchedAt.charge_state,
    };
  },
};

export const batteryDetails: TeslaReading<TractionBatteryDetails> = {
  endpoints: ['charge_state'],
  extract(s) {
    const c = section(s, 'charge_state');
    const km = (k: string) => { const v = optNum(c, k); return v === null ? null : r1(v * MI_TO_KM); };
    return {
      value: { heaterOn: optBool(c, 'battery_heater_on'), maxRangeChargeCount: optNum(c, 'max_range_charge_counter'), rangeIdeal: km('ideal_battery_range'), rangeRated: km('battery_range') },
      capturedAt: at(c), fetchedAt: s.fetchedAt.charge_state,
    };
  },
};

export const climate: TeslaReading<ClimateStatus> = {
  endpoints: ['climate_state'],
  extract(s) {
    const c = section(s, 'climate_state');
    return {
      value: {
        cabinC: optNum(c, 'inside_temp'), outsideC: optNum(c, 'outside_temp'), hvacOn: optBool(c, 'is_climate_on'), targetC: optNum(c, 'driver_temp_setting'),
        frontDefroster: optBool(c, 'is_front_defroster_on'), rearDefroster: optBool(c, 'is_rear_defroster_on'), steeringWheelHeater: optBool(c, 'steering_wheel_heater'),
      },
      capturedAt: at(c), fetchedAt: s.fetchedAt.climate_state,
    };
  },
};

const GEARS: Record<string, Gear> = { P: 'PARK', D: 'DRIVE', R: 'REVERSE', N: 'NEUTRAL' };

export const motion: TeslaReading<Motion> = {
  endpoints: ['drive_state'],
  extract(s) {
    const d = section(s, 'drive_state');
    const mph = optNum(d, 'speed');
    const heading = optNum(d, 'heading');
    const shift = optStr(d, 'shift_state');
    return {
      // A parked Tesla reports speed and shift_state as null.
      value: { speed: r1((mph ?? 0) * MI_TO_KM) ?? 0, heading: heading === null ? null : ((heading % 360) + 360) % 360, gear: shift === null ? 'PARK' : GEARS[shift] ?? null, driveMode: null },
      capturedAt: at(d), fetchedAt: s.fetchedAt.drive_state,
    };
  },
};

export function vehicleDetails(nickname: string | null): TeslaReading<VehicleDetails> {
  return {
    endpoints: ['vehicle_config'],
    extract(s) {
      const cfg = section(s, 'vehicle_config');
      return {
        value: { trim: real(optStr(cfg, 'trim_badging')), exteriorColor: real(optStr(cfg, 'exterior_color')), nickname, packages: null, wheelStyle: real(optStr(cfg, 'wheel_type')) },
        capturedAt: at(cfg), fetchedAt: s.fetchedAt.vehicle_config,
      };
    },
  };
}

export const surveillance: TeslaReading<Surveillance> = {
  endpoints: ['vehicle_state'],
  extract(s) {
    const v = section(s, 'vehicle_state');
    return { value: { brand: 'Sentry Mode', enabled: optBool(v, 'sentry_mode') === true }, capturedAt: at(v), fetchedAt: s.fetchedAt.vehicle_state };
  },
};

/** The account's role on the car and the Tesla scopes it granted opencar. */
export function accountAccess(scopes: readonly string[]): TeslaReading<AccountAccess> {
  return {
    endpoints: ['vehicle_config'],
    extract(s) {
      const role = s.accessType ?? 'OWNER';
      return { value: { role, permissions: scopes.filter((x) => x !== 'openid' && x !== 'offline_access') }, capturedAt: at(section(s, 'vehicle_config')), fetchedAt: s.fetchedAt.vehicle_config };
    },
  };
}
