import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '@opencar/core';
import type { Ctx, Reading, VehicleConnector } from '@opencar/connectors';
import type { AccessContext } from '@opencar/oauth';
import type { ApiDeps } from '../../deps.js';
import { authenticateV3, vehicleAccessV3 } from './v3-access.js';
import { openVehicle, requirePermission } from '../../pipeline/vehicle-access.js';
import { SIGNALS, SIGNALS_BY_CODE, type SignalDef, type SourceMethod } from './signal-map.js';
import { v3ErrorHandler } from './v3-error.js';
import { requestedWake } from '../../http/wake.js';

const V3 = '/v3/vehicles/:id';
const ID = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
type Json = Record<string, unknown>;

async function open(deps: ApiDeps, req: FastifyRequest, endpoint: string, needsUser: boolean) {
  const caller = await authenticateV3(deps, req);
  const vehicleId = (req.params as { id: string }).id;
  const call = { appId: caller.kind === 'user' ? caller.access.appId : caller.app.appId, userId: null as string | null, vehicleId, endpoint, units: 1, requestClass: 'data' as const, woke: false };
  req.apiCall = call;
  const access = await vehicleAccessV3(deps, req, caller, vehicleId, needsUser);
  call.userId = access.userId;
  const { connector, ctx } = await openVehicle(deps, access, vehicleId, 'metric', requestedWake(req.headers['sc-allow-wake']));
  return { access, vehicleId, connector, ctx };
}

async function vehicleResource(deps: ApiDeps, connector: VehicleConnector, ctx: Ctx, vehicleId: string): Promise<Json> {
  const id = await connector.identity(ctx);
  return {
    id: vehicleId, type: 'vehicle',
    attributes: { make: id.make.toUpperCase(), model: id.model, year: id.year },
    links: { self: `${deps.config.publicUrl}/v3/vehicles/${vehicleId}` },
  };
}

function signalResource(deps: ApiDeps, vehicleId: string, def: SignalDef, reading: Reading<unknown>): Json | undefined {
  const body = def.body(reading.value);
  if (!body) return undefined;
  return {
    id: def.code, type: 'signal',
    attributes: { code: def.code, name: def.name, group: def.group, status: { value: 'SUCCESS' }, body },
    meta: { retrievedAt: reading.retrievedAt, oemUpdatedAt: reading.oemUpdatedAt },
    links: { self: `${deps.config.publicUrl}/v3/vehicles/${vehicleId}/signals/${def.code}`, vehicle: `${deps.config.publicUrl}/v3/vehicles/${vehicleId}` },
  };
}

/** Signals this vehicle can serve to this token: capability declared, connector method present, permission granted. */
async function available(connector: VehicleConnector, ctx: Ctx, access: AccessContext): Promise<SignalDef[]> {
  const caps = await connector.capabilities(ctx);
  return SIGNALS.filter((d) => caps.has(d.capability) && typeof connector[d.source] === 'function' && access.permissions.has(d.permission));
}

function read(connector: VehicleConnector, ctx: Ctx, source: SourceMethod): Promise<Reading<unknown>> {
  return (connector[source] as (c: Ctx) => Promise<Reading<unknown>>).call(connector, ctx);
}

/** v3 (`smartcar.getVehicle`, `vehicle.getSignals()`, `vehicle.getSignal(code)`), JSON:API shapes, v3 error envelope. */
export function v3Routes(app: FastifyInstance, deps: ApiDeps): void {
  const errorHandler = v3ErrorHandler(deps.config.publicUrl);
  const common = { tags: ['Signals (v3)'], security: [{ bearerAuth: [] }] };

  app.get(V3, { errorHandler, schema: { ...common, summary: 'Vehicle', description: 'Permission: `read_vehicle_info`.', params: ID } }, async (req, reply) => {
    const { access, vehicleId, connector, ctx } = await open(deps, req, `GET ${V3}`, false);
    requirePermission({ permission: 'read_vehicle_info' }, access);
    reply.headers(await deps.metering.admit({ appId: access.appId, vehicleId, endpoint: `GET ${V3}`, units: 1, requestId: req.id }));
    return vehicleResource(deps, connector, ctx, vehicleId);
  });

  app.get(`${V3}/signals`, { errorHandler, schema: { ...common, summary: 'All signals of the vehicle', description: 'Only signals whose permission was granted are listed.', params: ID } }, async (req, reply) => {
    const endpoint = `GET ${V3}/signals`;
    const { access, vehicleId, connector, ctx } = await open(deps, req, endpoint, true);
    reply.headers(await deps.metering.admit({ appId: access.appId, vehicleId, endpoint, units: 1, requestId: req.id }));
    const defs = await available(connector, ctx, access);
    const sources = [...new Set(defs.map((d) => d.source))];
    const settled = await Promise.allSettled(sources.map((s) => read(connector, ctx, s)));
    const readings = new Map<SourceMethod, Reading<unknown>>();
    settled.forEach((r, i) => { if (r.status === 'fulfilled') readings.set(sources[i]!, r.value); });
    if ([...readings.values()].some((r) => r.woke)) req.apiCall!.woke = true;
    const firstFailure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (readings.size === 0 && firstFailure) throw firstFailure.reason;
    const data = defs.flatMap((d) => { const r = readings.get(d.source); const res = r && signalResource(deps, vehicleId, d, r); return res ? [res] : []; });
    const self = `${deps.config.publicUrl}/v3/vehicles/${vehicleId}/signals`;
    return {
      data,
      meta: { page: 1, pageSize: data.length, totalCount: data.length },
      links: { self, first: self, previous: null, next: null, last: self },
      included: { vehicle: await vehicleResource(deps, connector, ctx, vehicleId) },
    };
  });

  app.get(`${V3}/signals/:code`, {
    errorHandler,
    schema: { ...common, summary: 'One signal', params: { type: 'object', properties: { id: { type: 'string' }, code: { type: 'string' } }, required: ['id', 'code'] } },
  }, async (req, reply) => {
    const endpoint = `GET ${V3}/signals/:code`;
    const { access, vehicleId, connector, ctx } = await open(deps, req, endpoint, true);
    const def = SIGNALS_BY_CODE.get((req.params as { code: string }).code.toLowerCase());
    if (!def) throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'Unknown signal code.' });
    requirePermission(def, access);
    const caps = await connector.capabilities(ctx);
    if (!caps.has(def.capability)) throw new ApiError('COMPATIBILITY:VEHICLE_NOT_CAPABLE');
    if (typeof connector[def.source] !== 'function') throw new ApiError('COMPATIBILITY:SMARTCAR_NOT_CAPABLE');
    reply.headers(await deps.metering.admit({ appId: access.appId, vehicleId, endpoint, units: 1, requestId: req.id }));
    const reading = await read(connector, ctx, def.source);
    if (reading.woke) req.apiCall!.woke = true;
    const resource = signalResource(deps, vehicleId, def, reading);
    if (!resource) throw new ApiError('UPSTREAM:INVALID_DATA');
    return resource;
  });
}
