/** A first read to try with a new token: the path under /v2.0/vehicles/:id and the Node SDK method, by permission. */
const CALLS: [permission: string, path: string, method: string][] = [
  ['read_odometer', '/odometer', 'odometer'], ['read_battery', '/battery', 'battery'], ['read_charge', '/charge', 'charge'],
  ['read_fuel', '/fuel', 'fuel'], ['read_location', '/location', 'location'], ['read_vin', '/vin', 'vin'],
  ['read_tires', '/tires/pressure', 'tirePressure'], ['read_engine_oil', '/engine/oil', 'engineOil'], ['read_vehicle_info', '', 'attributes'],
];

export function firstCall(permissions: readonly string[]): { path: string; method: string } {
  const found = CALLS.find(([p]) => permissions.includes(p));
  return found ? { path: found[1], method: found[2] } : { path: '/permissions', method: 'permissions' };
}
