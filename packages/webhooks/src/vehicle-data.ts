import { VehicleError, toApiError, type Reading, type VehicleBackend, type VehicleConnector, type Ctx } from '@opencar/connectors';
import { ApiError, apiErrorBody } from '@opencar/core';

/** Standard non-brand GET endpoints a scheduled webhook may carry, with their connector reads (metric units). */
const READERS: Record<string, (c: VehicleConnector, ctx: Ctx) => Promise<Reading<unknown>> | undefined> = {
  '/odometer': (c, ctx) => c.odometer?.(ctx),
  '/battery': (c, ctx) => c.battery?.(ctx),
  '/battery/capacity': (c, ctx) => c.batteryCapacity?.(ctx),
  '/charge': (c, ctx) => c.chargeStatus?.(ctx),
  '/charge/limit': (c, ctx) => c.chargeLimit?.(ctx),
  '/fuel': (c, ctx) => c.fuel?.(ctx),
  '/location': (c, ctx) => c.location?.(ctx),
  '/tires/pressure': (c, ctx) => c.tirePressure?.(ctx),
  '/engine/oil': (c, ctx) => c.engineOil?.(ctx),
  '/security': (c, ctx) => c.lockStatus?.(ctx),
};

export const SCHEDULABLE_PATHS = ['/', '/vin', ...Object.keys(READERS)];

/** The permission each schedulable path needs, as on the vehicle API. */
export const PATH_PERMISSIONS: Record<string, string> = {
  '/': 'read_vehicle_info', '/vin': 'read_vin', '/odometer': 'read_odometer', '/battery': 'read_battery', '/battery/capacity': 'read_battery',
  '/charge': 'read_charge', '/charge/limit': 'read_charge', '/fuel': 'read_fuel', '/location': 'read_location',
  '/tires/pressure': 'read_tires', '/engine/oil': 'read_engine_oil', '/security': 'read_security',
};

export interface BatchItem { path: string; code: number; body: unknown; headers: Record<string, string> }

const JSON_HEADERS = { 'content-type': 'application/json' };

function errorItem(path: string, err: unknown, requestId: string, publicUrl: string): BatchItem {
  const e = err instanceof ApiError ? err : err instanceof VehicleError ? toApiError(err) : new ApiError('SERVER:INTERNAL', { cause: err });
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (e.retryAfter !== undefined) headers['retry-after'] = String(Math.ceil(e.retryAfter));
  return { path, code: e.statusCode, headers, body: apiErrorBody(e, requestId, publicUrl) };
}

export interface ReadOptions {
  /** Request id of this vehicle's item set (error bodies carry it). */
  requestId: string;
  /** What the owner granted the app; a path whose permission is missing yields a PERMISSION item and is not read. */
  permissions: ReadonlySet<string>;
  appId?: string;
  /** Called after each read that reached the vehicle (access log). */
  onRead?: (path: string, code: number, latencyMs: number) => Promise<void> | void;
}

/** Reads `paths` from one vehicle like a batch request would, one item per path. */
export async function readVehicleBatch(backend: VehicleBackend | undefined, vehicleId: string, paths: string[], publicUrl: string, opts: ReadOptions): Promise<{ vehicleId: string; requestId: string; data: BatchItem[] }> {
  const { requestId } = opts;
  const connector = await backend?.connector(vehicleId);
  const ctx: Ctx = { vehicleId, unitSystem: 'metric', ...(opts.appId ? { appId: opts.appId } : {}) };
  const data: BatchItem[] = [];
  for (const path of paths) {
    const permission = PATH_PERMISSIONS[path];
    if (!permission || !opts.permissions.has(permission)) {
      data.push(errorItem(path, new ApiError('PERMISSION'), requestId, publicUrl));
      continue;
    }
    if (!connector) { data.push(errorItem(path, new ApiError('CONNECTED_SERVICES_ACCOUNT:VEHICLE_MISSING'), requestId, publicUrl)); continue; }
    const started = performance.now();
    let item: BatchItem;
    try {
      if (path === '/' || path === '/vin') {
        const id = await connector.identity(ctx);
        item = { path, code: 200, headers: { ...JSON_HEADERS }, body: path === '/vin' ? { vin: id.vin } : { id: vehicleId, make: id.make, model: id.model, year: id.year } };
      } else {
        const read = READERS[path]?.(connector, ctx);
        if (!read) { data.push(errorItem(path, new ApiError('COMPATIBILITY:VEHICLE_NOT_CAPABLE'), requestId, publicUrl)); continue; }
        const r = await read;
        item = {
          path, code: 200, body: r.value,
          headers: { ...JSON_HEADERS, 'sc-data-age': new Date(r.capturedAt).toISOString(), 'sc-fetched-at': new Date(r.retrievedAt).toISOString(), 'sc-unit-system': 'metric' },
        };
      }
    } catch (err) {
      item = errorItem(path, err, requestId, publicUrl);
    }
    data.push(item);
    await opts.onRead?.(path, item.code, performance.now() - started);
  }
  return { vehicleId, requestId, data };
}
