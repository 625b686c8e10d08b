import type { Capability } from '@opencar/connectors';

/** Every permission name Connect accepts (wire-contract §4). */
export const PERMISSIONS = [
  'read_alerts', 'read_battery', 'read_charge', 'read_charge_locations', 'read_charge_records', 'read_charge_events',
  'read_climate', 'read_compass', 'read_diagnostics', 'read_engine_oil', 'read_extended_vehicle_info', 'read_fuel',
  'read_location', 'read_odometer', 'read_security', 'read_service_history', 'read_speedometer', 'read_thermometer',
  'read_tires', 'read_user_profile', 'read_vehicle_info', 'read_vin',
  'control_charge', 'control_climate', 'control_navigation', 'control_security', 'control_pin', 'control_trunk',
] as const;

const KNOWN = new Set<string>(PERMISSIONS);
export const isPermission = (name: string): boolean => KNOWN.has(name);

/**
 * The capability a vehicle needs before a `required:` permission can be honoured. Permissions not
 * listed here are not tied to one vehicle endpoint and never make a vehicle incompatible.
 */
const NEEDS: Record<string, Capability[]> = {
  read_battery: ['battery'],
  read_charge: ['charge'],
  read_diagnostics: ['diagnostics'],
  read_engine_oil: ['engine_oil'],
  read_fuel: ['fuel'],
  read_location: ['location'],
  read_odometer: ['odometer'],
  read_security: ['lock_status'],
  read_service_history: ['service_history'],
  read_tires: ['tires'],
  read_vin: ['vin'],
  control_charge: ['charge_control'],
  control_navigation: ['navigation'],
  control_security: ['lock_control'],
};

/** The capabilities a vehicle needs to honour every one of these permissions. */
export function capabilitiesFor(permissions: readonly string[]): Capability[] {
  return [...new Set(permissions.flatMap((p) => NEEDS[p] ?? []))];
}

/** Required permissions a vehicle with these capabilities cannot satisfy. */
export function unmetPermissions(required: readonly string[], capabilities: ReadonlySet<Capability>): string[] {
  return required.filter((p) => (NEEDS[p] ?? []).some((c) => !capabilities.has(c)));
}

export interface ParsedScope {
  /** Every requested permission, without prefixes, de-duplicated, in request order. */
  permissions: string[];
  /** Those marked `required:`. */
  required: string[];
  unknown: string[];
}

/** Parses a space-separated scope (already query-decoded, so `+` and `%20` are both spaces). */
export function parseScope(scope: string): ParsedScope {
  const permissions: string[] = [];
  const required: string[] = [];
  const unknown: string[] = [];
  for (const word of scope.split(/\s+/).filter(Boolean)) {
    const isRequired = word.startsWith('required:');
    const name = isRequired ? word.slice('required:'.length) : word;
    if (!isPermission(name)) { unknown.push(name); continue; }
    if (!permissions.includes(name)) permissions.push(name);
    if (isRequired && !required.includes(name)) required.push(name);
  }
  return { permissions, required, unknown };
}
