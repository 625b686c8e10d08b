import type { FastifyInstance } from 'fastify';
import { ApiError, apiErrorBody } from '@opencar/core';
import type { ApiDeps } from '../../deps.js';
import { arr, obj, ok, str } from '../../http/schema.js';
import { project } from '../../http/project.js';
import { authenticate } from '../../pipeline/authenticate.js';
import { V2_VEHICLE_PREFIX } from '../../pipeline/register-vehicle-route.js';
import { runRoute } from '../../pipeline/run-route.js';
import { openVehicle, requireCapability, requirePermission } from '../../pipeline/vehicle-access.js';
import { requestedUnits } from '../../http/units.js';
import type { VehicleCall, VehicleRoute } from '../../route-spec.js';
import { resolveBrandRoute } from '../brand/brand-route.js';
import { requestedWake } from '../../http/wake.js';

export const BATCH_MAX_ITEMS = 50;

interface BatchItem { path: string; code: number; body: unknown; headers: Record<string, string> }

/** `/odometer`, `odometer`, `/tires/pressure/` → `/odometer`, `/tires/pressure`; `/` → `/` (attributes). */
function normalise(path: string): { display: string; lookup: string; query: Record<string, string> } {
  const [p = '', q = ''] = path.split('?');
  const trimmed = `/${p.replace(/^\/+|\/+$/g, '')}`;
  return { display: trimmed, lookup: trimmed === '/' ? '' : trimmed, query: Object.fromEntries(new URLSearchParams(q)) };
}

function errorItem(path: string, err: ApiError, requestId: string, publicUrl: string): BatchItem {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (err.retryAfter !== undefined) headers['retry-after'] = String(Math.max(0, Math.ceil(err.retryAfter)));
  return { path, code: err.statusCode, body: apiErrorBody(err, requestId, publicUrl), headers };
}

/**
 * #25 `POST /v2.0/vehicles/{id}/batch`: several GET sub-paths in one call. Always 200; each item
 * carries its own code, body and headers, runs the same permission and capability checks, and is
 * billed as one request when its endpoint is billable and it succeeds (free endpoints stay free).
 */
export function batchRoute(app: FastifyInstance, deps: ApiDeps, getRoutes: readonly VehicleRoute[]): void {
  const resolveItem = itemResolver(new Map(getRoutes.map((r) => [r.path, r])));
  const endpoint = `POST ${V2_VEHICLE_PREFIX}/batch`;
  app.post(`${V2_VEHICLE_PREFIX}/batch`, {
    schema: {
      tags: ['Vehicles'], summary: 'Several GET requests in one call', security: [{ bearerAuth: [] }],
      description: 'Items are GET sub-paths (`/odometer`, `tires/pressure`, `/` for attributes, brand paths like `/tesla/speedometer`). Each successful item of a billable endpoint is billed as one request.',
      params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      body: {
        type: 'object', required: ['requests'],
        properties: { requests: { type: 'array', minItems: 1, maxItems: BATCH_MAX_ITEMS, items: { type: 'object', required: ['path'], properties: { path: str } } } },
      },
      response: ok(obj({ responses: arr({ type: 'object', properties: { path: str, code: { type: 'integer' }, body: {}, headers: { type: 'object', additionalProperties: str } } }) })),
    },
    onRequest: async (req) => {
      const access = await authenticate(deps, req);
      const vehicleId = (req.params as { id: string }).id;
      req.apiCall = { appId: access.appId, userId: access.userId, vehicleId, endpoint, units: 0, requestClass: 'data', woke: false };
      const unitSystem = requestedUnits(req.headers['sc-unit-system']);
      const { connector, ctx } = await openVehicle(deps, access, vehicleId, unitSystem, requestedWake(req.headers['sc-allow-wake']));
      req.vehicleCall = { deps, access, vehicleId, connector, ctx, unitSystem, params: {}, query: {}, body: undefined };
    },
    handler: async (req, reply) => {
      const base = req.vehicleCall!;
      const requests = (req.body as { requests: { path: string }[] }).requests;
      const items = requests.map(({ path }) => resolveItem(path));
      rejectUnknownPaths(items);
      const billable = items.filter((i) => i.route?.billable).length;
      reply.headers(await deps.metering.admit({ appId: base.access.appId, vehicleId: base.vehicleId, endpoint, units: billable, feature: 'batch', requestId: req.id }));
      // Items run concurrently, as separate requests to the vehicle would; answers keep the request order.
      const woke: boolean[] = [];
      const responses = await Promise.all(items.map((item) =>
        runItem(deps, base, item, req.id, (err) => req.log.error({ err, path: item.display }, 'batch item failed'), () => woke.push(true))));
      // A batch that woke the car is logged as waking it (metering, the owner's access log).
      if (woke.length) req.apiCall!.woke = true;
      // Only billable endpoints that answered successfully count, as they would one by one.
      req.apiCall!.units = responses.filter((r, i) => r.code < 300 && items[i]!.route?.billable).length;
      return { responses };
    },
  });
}

interface ResolvedItem { display: string; query: Record<string, string>; route?: VehicleRoute; error?: ApiError }

/**
 * A path that names no GET endpoint (misspelled, unknown, or a command) fails the whole batch with
 * 400 VALIDATION, as Smartcar answers; nothing runs and nothing is billed. Paths that exist but
 * fail for this vehicle (permission, capability, vehicle state) fail in their own item.
 */
function rejectUnknownPaths(items: readonly ResolvedItem[]): void {
  const unknown = items.flatMap((item, i) => (item.error?.type === 'RESOURCE_NOT_FOUND' ? [{ i, path: item.display }] : []));
  if (unknown.length === 0) return;
  throw new ApiError('VALIDATION', {
    description: `Batch paths that name no GET endpoint: ${unknown.map((u) => u.path).join(', ')}.`,
    detail: unknown.map((u) => ({ field: `requests[${u.i}].path`, message: `${u.path} is not a GET endpoint` })),
  });
}

function itemResolver(byPath: Map<string, VehicleRoute>) {
  return (rawPath: string): ResolvedItem => {
    const { display, lookup, query } = normalise(rawPath);
    try {
      const route = byPath.get(lookup);
      if (route) return { display, query, route };
      const [, make = '', ...rest] = lookup.split('/');
      if (!make || rest.length === 0) throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: `${display} is not a GET endpoint of this vehicle.` });
      return { display, query, route: resolveBrandRoute(make, 'GET', rest.join('/')) };
    } catch (err) {
      return { display, query, error: err instanceof ApiError ? err : new ApiError('SERVER:INTERNAL', { cause: err }) };
    }
  };
}

async function runItem(deps: ApiDeps, base: VehicleCall, item: ResolvedItem, requestId: string, logInternal: (err: unknown) => void, onWake: () => void): Promise<BatchItem> {
  const { display, query, route } = item;
  try {
    if (!route) throw item.error;
    requirePermission(route, base.access);
    await requireCapability(route, base.connector, base.ctx);
    const result = await runRoute(route, { ...base, query, body: undefined });
    if (result.woke) onWake();
    const schema = (route.schema.response as Record<string, unknown>)[200];
    return { path: display, code: 200, body: project(schema, result.body), headers: { 'content-type': 'application/json', ...result.headers } };
  } catch (err) {
    if (!(err instanceof ApiError)) logInternal(err);
    const api = err instanceof ApiError ? err : new ApiError('SERVER:INTERNAL', { cause: err });
    return errorItem(display, api, requestId, deps.config.publicUrl);
  }
}
