export * from './openapi/index.js';
export { vehicleApi } from './plugin.js';
export type { ApiDeps, AppLookup } from './deps.js';
export { VEHICLE_ROUTES, BATCHABLE_ROUTES } from './route-table.js';
export type { VehicleRoute, VehicleCall, Outcome } from './route-spec.js';
export { toImperial, inUnits } from './http/units.js';
export { SIGNALS } from './routes/v3/signal-map.js';
export { BRAND_ENDPOINTS } from './routes/brand/brand-table.js';
