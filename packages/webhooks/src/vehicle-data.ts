import { randomUUID } from 'node:crypto';
import { VehicleError, toApiError, type Reading, type VehicleBackend, type VehicleConnector, type Ctx } from '@opencar/connectors';
import { ApiError, docUrl } from '@opencar/core';

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

export interface BatchItem { path: string; code: number; body: unknown; headers: Record<string, string> }

function errorItem(path: string, err: unknown, requestId: string, publicUrl: string): BatchItem {
  const e = err instanceof ApiError ? err : err instanceof VehicleError ? toApiError(err) : new ApiError('SERVER:INTERNAL', { cause: err });
  return {
    path, code: e.statusCode, headers: {},
    body: { type: e.type, code: e.code, description: e.description, docURL: docUrl(publicUrl, e.type, e.code), statusCode: e.statusCode, requestId, resolution: e.resolution, suggestedUserMessage: e.suggestedUserMessage },
  };
}

/** Reads `paths` from one vehicle like a batch request would, one item per path. */
export async function readVehicleBatch(backend: VehicleBackend | undefined, vehicleId: string, paths: string[], publicUrl: string): Promise<{ vehicleId: string; requestId: string; data: BatchItem[] }> {
  const requestId = randomUUID();
  const connector = await backend?.connector(vehicleId);
  const ctx: Ctx = { vehicleId, unitSystem: 'metric' };
  const data: BatchItem[] = [];
  for (const path of paths) {
    if (!connector) { data.push(errorItem(path, new ApiError('CONNECTED_SERVICES_ACCOUNT:VEHICLE_MISSING'), requestId, publicUrl)); continue; }
    try {
      if (path === '/' || path === '/vin') {
        const id = await connector.identity(ctx);
        data.push({ path, code: 200, headers: {}, body: path === '/vin' ? { vin: id.vin } : { id: vehicleId, make: id.make, model: id.model, year: id.year } });
        continue;
      }
      const read = READERS[path]?.(connector, ctx);
      if (!read) { data.push(errorItem(path, new ApiError('COMPATIBILITY:VEHICLE_NOT_CAPABLE'), requestId, publicUrl)); continue; }
      const r = await read;
      data.push({
        path, code: 200, body: r.value,
        headers: { 'sc-data-age': new Date(r.capturedAt).toISOString(), 'sc-fetched-at': new Date(r.retrievedAt).toISOString(), 'sc-unit-system': 'metric' },
      });
    } catch (err) {
      data.push(errorItem(path, err, requestId, publicUrl));
    }
  }
  return { vehicleId, requestId, data };
}
