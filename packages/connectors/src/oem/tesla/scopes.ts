/**
 * Which Tesla Fleet API scope each opencar permission needs. `openid` and `offline_access` are
 * always asked for (without `offline_access` Tesla issues no refresh token).
 */
export const TESLA_BASE_SCOPES = ['openid', 'offline_access'] as const;

export const TESLA_SCOPE_OF: Readonly<Record<string, readonly string[]>> = {
  read_vehicle_info: ['vehicle_device_data'],
  read_vin: ['vehicle_device_data'],
  read_odometer: ['vehicle_device_data'],
  read_battery: ['vehicle_device_data'],
  read_charge: ['vehicle_device_data'],
  read_tires: ['vehicle_device_data'],
  read_security: ['vehicle_device_data'],
  read_climate: ['vehicle_device_data'],
  read_compass: ['vehicle_device_data', 'vehicle_location'],
  read_speedometer: ['vehicle_device_data'],
  read_thermometer: ['vehicle_device_data'],
  read_extended_vehicle_info: ['vehicle_device_data'],
  read_alerts: ['vehicle_device_data'],
  read_location: ['vehicle_device_data', 'vehicle_location'],
  read_charge_records: ['vehicle_charging_cmds'],
  read_charge_locations: ['vehicle_device_data', 'vehicle_location'],
  read_user_profile: ['user_data'],
  control_charge: ['vehicle_charging_cmds'],
  control_security: ['vehicle_cmds'],
  control_navigation: ['vehicle_cmds'],
  control_climate: ['vehicle_cmds'],
  control_trunk: ['vehicle_cmds'],
  control_pin: ['vehicle_cmds'],
};

/** The scopes to request at Tesla for these permissions (space-separated in the authorize URL). */
export function teslaScopes(permissions: readonly string[]): string[] {
  const out = new Set<string>(TESLA_BASE_SCOPES);
  // Reading the vehicle list needs vehicle_device_data even when only commands were asked for.
  out.add('vehicle_device_data');
  for (const p of permissions) for (const s of TESLA_SCOPE_OF[p] ?? []) out.add(s);
  return [...out];
}
