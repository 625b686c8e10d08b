/** Permission names an app may request (wire-contract §4). */
export const READ_PERMISSIONS = [
  'read_alerts', 'read_battery', 'read_charge', 'read_charge_locations', 'read_charge_records', 'read_charge_events',
  'read_climate', 'read_compass', 'read_diagnostics', 'read_engine_oil', 'read_extended_vehicle_info', 'read_fuel',
  'read_location', 'read_odometer', 'read_security', 'read_service_history', 'read_speedometer', 'read_thermometer',
  'read_tires', 'read_user_profile', 'read_vehicle_info', 'read_vin',
] as const;
export const CONTROL_PERMISSIONS = ['control_charge', 'control_climate', 'control_navigation', 'control_security', 'control_pin', 'control_trunk'] as const;
export const PERMISSIONS: readonly string[] = [...READ_PERMISSIONS, ...CONTROL_PERMISSIONS];
export const APP_MODES = ['live', 'simulated', 'test'] as const;
export type AppMode = (typeof APP_MODES)[number];
