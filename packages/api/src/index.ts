export * from './openapi/index.js';
export { vehicleApi } from './plugin.js';
export type { ApiDeps } from './deps.js';
export { VEHICLE_ROUTES } from './route-table.js';
export type { VehicleRoute } from './route-spec.js';
export { BRAND_ENDPOINTS } from './routes/brand/brand-table.js';
export { ChargeScheduleRunner, type ScheduleRunnerOptions } from './charge-schedules/schedule-runner.js';
export { SIGNALS, SIGNALS_BY_CODE, type SignalDef } from './routes/v3/signal-map.js';
export { readSignalSnapshot, type SignalSnapshot, type SnapshotSignal } from './routes/v3/signal-snapshot.js';
