import type { EmuVehicle } from './state.js';

/**
 * What a command does to an emulated car, and Tesla's `{result, reason}` answer. Reasons are those
 * open-source clients report from real cars (TWCManager's TeslaAPI.py, Home Assistant's tesla_fleet
 * tests); see SOURCES.md.
 */
export type CommandAnswer = { result: true } | { result: false; reason: string };

/** Scopes a command needs (vehicle_charging_cmds covers the charging commands too). */
export function commandScopes(name: string): string[] {
  return CHARGING.has(name) ? ['vehicle_cmds', 'vehicle_charging_cmds'] : ['vehicle_cmds'];
}
const CHARGING = new Set(['charge_start', 'charge_stop', 'set_charge_limit', 'set_charging_amps', 'charge_port_door_open', 'charge_port_door_close']);

export function applyCommand(v: EmuVehicle, name: string, body: Record<string, unknown>, now: number): CommandAnswer | undefined {
  const c = v.data.charge_state;
  const vs = v.data.vehicle_state;
  const touch = () => { for (const s of Object.values(v.data)) s.timestamp = now; };
  switch (name) {
    case 'door_lock': vs.locked = true; touch(); return { result: true };
    case 'door_unlock': vs.locked = false; touch(); return { result: true };
    case 'charge_start': {
      if (c.charging_state === 'Disconnected') return { result: false, reason: 'disconnected' };
      if (c.charging_state === 'Charging' || c.charging_state === 'Starting') return { result: false, reason: 'is_charging' };
      if (c.charging_state === 'Complete' || (c.battery_level as number) >= (c.charge_limit_soc as number)) return { result: false, reason: 'complete' };
      Object.assign(c, { charging_state: 'Charging', charger_power: 11, charger_voltage: 230, charger_actual_current: 16, charge_rate: 42.5, minutes_to_full_charge: 95, time_to_full_charge: 1.58 });
      touch();
      return { result: true };
    }
    case 'charge_stop': {
      if (c.charging_state !== 'Charging' && c.charging_state !== 'Starting') return { result: false, reason: 'not_charging' };
      Object.assign(c, { charging_state: 'Stopped', charger_power: 0, charger_actual_current: 0, charge_rate: 0, minutes_to_full_charge: 0, time_to_full_charge: 0 });
      touch();
      return { result: true };
    }
    case 'set_charge_limit': {
      const p = Number(body.percent);
      if (!Number.isInteger(p) || p < (c.charge_limit_soc_min as number) || p > (c.charge_limit_soc_max as number)) return { result: false, reason: 'invalid_percent' };
      if (p === c.charge_limit_soc) return { result: false, reason: 'already_set' };
      c.charge_limit_soc = p;
      touch();
      return { result: true };
    }
    case 'set_charging_amps': {
      const a = Number(body.charging_amps);
      if (!Number.isFinite(a) || a < 0) return { result: false, reason: 'invalid_amps' };
      c.charge_current_request = Math.min(a, c.charge_current_request_max as number);
      touch();
      return { result: true };
    }
    case 'navigation_gps_request': {
      const d = v.data.drive_state;
      if (typeof body.lat !== 'number' || typeof body.lon !== 'number') return { result: false, reason: 'invalid_location' };
      Object.assign(d, { active_route_latitude: body.lat, active_route_longitude: body.lon, active_route_destination: 'Shared destination' });
      touch();
      return { result: true };
    }
    case 'charge_port_door_open': c.charge_port_door_open = true; touch(); return { result: true };
    case 'charge_port_door_close': c.charge_port_door_open = false; touch(); return { result: true };
    case 'actuate_trunk': {
      const key = body.which_trunk === 'front' ? 'ft' : body.which_trunk === 'rear' ? 'rt' : undefined;
      if (!key) return { result: false, reason: 'invalid_trunk' };
      vs[key] = vs[key] ? 0 : 1;
      touch();
      return { result: true };
    }
    case 'set_temps': {
      const d = Number(body.driver_temp);
      const p = Number(body.passenger_temp);
      if (!Number.isFinite(d) || !Number.isFinite(p)) return { result: false, reason: 'invalid_temperature' };
      Object.assign(v.data.climate_state, { driver_temp_setting: d, passenger_temp_setting: p });
      touch();
      return { result: true };
    }
    case 'auto_conditioning_start': v.data.climate_state.is_climate_on = true; touch(); return { result: true };
    case 'auto_conditioning_stop': v.data.climate_state.is_climate_on = false; touch(); return { result: true };
    default: return undefined;
  }
}
