import type { FastifyInstance } from 'fastify';
import { ApiError } from '@opencar/core';
import type { Capability, Ctx, Reading, VehicleConnector } from '@opencar/connectors';
import type { AccessContext } from '@opencar/oauth';
import type { ApiDeps } from '../../deps.js';
import { requirePermission } from '../../pipeline/vehicle-access.js';
import { bodyOf, SIGNALS, SIGNALS_BY_CODE, type SignalDef, type SourceMethod } from './signal-map.js';
import { v3ErrorHandler } from './v3-error.js';
import { asApiError } from '../../pipeline/run-route.js';
import { openV3Vehicle } from './v3-access.js';
import { powertrainOf, v3Mode } from './connection-resource.js';
import { pageDocument, readPage } from './paging.js';
import { asChargeTimer } from '../../charge-schedules/schedule-spec.js';

const V3 = '/v3/vehicles/:id';
const ID = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
type Json = Record<string, unknown>;

/** The vehicle resource: make, model, year, powertrain and the connection's mode. */
async function vehicleResource(deps: ApiDeps, connector: VehicleConnector, ctx: Ctx, vehicleId: string, access: AccessContext, caps: ReadonlySet<Capability>): Promise<Json> {
  const id = await connector.identity(ctx);
  return {
    id: vehicleId, type: 'vehicle',
    attributes: { make: id.make.toUpperCase(), model: id.model, year: id.year, powertrainType: powertrainOf(caps), mode: v3Mode(access.mode) },
    links: { self: `${deps.config.publicUrl}/v3/vehicles/${vehicleId}` },
  };
}

/** The vehicle can supply the signal: capability declared and the connector has the method. */
export const supplies = (connector: VehicleConnector, caps: ReadonlySet<Capability>, d: SignalDef) =>
  caps.has(d.capability) && (d.source === 'identity' || typeof connector[d.source] === 'function');

/** One source reading; the VIN is static (`oemUpdatedAt` 0), windows default to the connector's. */
export async function readSource(deps: Pick<ApiDeps, 'clock' | 'chargeSchedules'>, connector: VehicleConnector, ctx: Ctx, source: SourceMethod, access: Pick<AccessContext, 'appId' | 'userId'>): Promise<Reading<unknown>> {
  if (source === 'identity') {
    const now = deps.clock.now();
    return { value: await connector.identity(ctx), capturedAt: 0, oemUpdatedAt: 0, retrievedAt: now, source: 'live' };
  }
  if (source === 'chargeRecords') return connector.chargeRecords!(ctx, {});
  if (source === 'serviceHistory') return connector.serviceHistory!(ctx, {});
  if (source === 'chargeTimers' && deps.chargeSchedules) {
    // The vehicle's own timers and the schedules the platform runs for this app and user, as Smartcar's signal lists both.
    const [timers, platform] = await Promise.all([connector.chargeTimers!(ctx), deps.chargeSchedules.forVehicle(access.appId, ctx.vehicleId, access.userId)]);
    return { ...timers, value: [...(timers.value as unknown[]), ...platform.map(asChargeTimer)] };
  }
  return (connector[source] as (c: Ctx) => Promise<Reading<unknown>>).call(connector, ctx);
}

type Outcome = { reading: Reading<unknown> } | { failure: ApiError } | 'unavailable';

/**
 * One signal resource with its own status: SUCCESS with the body; UNAVAILABLE when the vehicle
 * does not supply the value; ERROR with `status.error` when reading it failed.
 */
function signalResource(deps: ApiDeps, vehicleId: string, def: SignalDef, outcome: Outcome, caps: ReadonlySet<Capability>): Json {
  let status: Json = { value: 'UNAVAILABLE' };
  let body: unknown = null;
  let meta = { retrievedAt: deps.clock.now(), oemUpdatedAt: null as number | null };
  if (outcome !== 'unavailable' && 'failure' in outcome) {
    status = { value: 'ERROR', error: { type: outcome.failure.type, code: outcome.failure.code } };
  } else if (outcome !== 'unavailable') {
    const r = outcome.reading;
    meta = { retrievedAt: r.retrievedAt, oemUpdatedAt: r.oemUpdatedAt };
    const result = bodyOf(def, r.value, { caps, capturedAt: r.capturedAt });
    if (result && 'error' in result && Object.keys(result).length === 1) status = { value: 'ERROR', error: result.error };
    else if (result) { status = { value: 'SUCCESS' }; body = result; }
  }
  const base = `${deps.config.publicUrl}/v3/vehicles/${vehicleId}`;
  return {
    id: def.code, type: 'signal',
    attributes: { code: def.code, name: def.name, group: def.group, status, body },
    meta,
    links: { self: `${base}/signals/${def.code}`, vehicle: base },
  };
}

/** A failed reading as its catalogue error (the signal's `status.error`). */
export function asApi(deps: Pick<ApiDeps, 'config' | 'secretKey'>, err: unknown, appId: string, vehicleId: string): ApiError {
  const e = asApiError(err, { publicUrl: deps.config.publicUrl, secretKey: deps.secretKey }, appId, vehicleId);
  return e instanceof ApiError ? e : new ApiError('UPSTREAM:UNKNOWN_ISSUE');
}

/**
 * API v3 vehicle and signals. Unlike Smartcar, whose signal store only webhooks fill, opencar reads
 * through the connector when asked (README, API v3). Every code of the catalogue whose permission
 * was granted is listed, each with its own status, so one failed reading never fails the call.
 */
export function v3Routes(app: FastifyInstance, deps: ApiDeps): void {
  const errorHandler = v3ErrorHandler(deps.config.publicUrl, deps.secretKey);
  const common = { tags: ['Signals (v3)'], security: [{ bearerAuth: [] }] };

  app.get(V3, { errorHandler, schema: { ...common, summary: 'Vehicle', description: 'make, model, year, powertrainType, mode. Permission: `read_vehicle_info`; no `sc-user-id` needed.', params: ID } }, async (req, reply) => {
    const { access, vehicleId, connector, ctx, caps } = await openV3Vehicle(deps, req, `GET ${V3}`, false);
    requirePermission({ permission: 'read_vehicle_info' }, access);
    reply.headers(await deps.metering.admit({ appId: access.appId, vehicleId, endpoint: `GET ${V3}`, units: 1, requestId: req.id, mode: access.mode }));
    return vehicleResource(deps, connector, ctx, vehicleId, access, caps);
  });

  app.get(`${V3}/signals`, {
    errorHandler,
    schema: {
      ...common, summary: 'All signals of the vehicle',
      description: 'Every catalogue code whose permission was granted, each with `status.value` SUCCESS, UNAVAILABLE or ERROR (`status.error`). '
        + '`page`/`pageSize` (all codes on one page by default) or `page[number]`/`page[size]`; the answer uses the spelling of the request. `sc-user-id` with an application token. One billable request.',
      params: ID,
    },
  }, async (req, reply) => {
    const endpoint = `GET ${V3}/signals`;
    const { access, vehicleId, connector, ctx, caps } = await openV3Vehicle(deps, req, endpoint, true);
    const granted = SIGNALS.filter((d) => access.permissions.has(d.permission));
    const page = readPage(req.query as Record<string, unknown>, { size: Math.max(1, granted.length), max: 100, spelling: 'flat' });
    reply.headers(await deps.metering.admit({ appId: access.appId, vehicleId, endpoint, units: 1, requestId: req.id, mode: access.mode }));
    const defs = granted.slice((page.number - 1) * page.size, page.number * page.size);
    const sources = [...new Set(defs.filter((d) => supplies(connector, caps, d)).map((d) => d.source))];
    const settled = await Promise.allSettled(sources.map((s) => readSource(deps, connector, ctx, s, access)));
    const outcomes = new Map<SourceMethod, Outcome>();
    settled.forEach((r, i) => outcomes.set(sources[i]!, r.status === 'fulfilled' ? { reading: r.value } : { failure: asApi(deps, r.reason, access.appId, vehicleId) }));
    for (const r of settled) if (r.status === 'fulfilled' && r.value.woke) req.apiCall!.woke = true;
    const data = defs.map((d) => signalResource(deps, vehicleId, d, outcomes.get(d.source) ?? 'unavailable', caps));
    return {
      data,
      ...pageDocument(`${deps.config.publicUrl}/v3/vehicles/${vehicleId}/signals`, {}, page, granted.length),
      included: { vehicle: await vehicleResource(deps, connector, ctx, vehicleId, access, caps) },
    };
  });

  app.get(`${V3}/signals/:code`, {
    errorHandler,
    schema: {
      ...common, summary: 'One signal',
      description: 'A code of the catalogue (`<group>-<name>`); an unknown code is `404 RESOURCE_NOT_FOUND SIGNAL_NOT_FOUND`. A code the vehicle cannot supply answers `status.value` UNAVAILABLE. `sc-user-id` with an application token.',
      params: { type: 'object', properties: { id: { type: 'string' }, code: { type: 'string' } }, required: ['id', 'code'] },
    },
  }, async (req, reply) => {
    const endpoint = `GET ${V3}/signals/:code`;
    const { access, vehicleId, connector, ctx, caps } = await openV3Vehicle(deps, req, endpoint, true);
    const def = SIGNALS_BY_CODE.get((req.params as { code: string }).code.toLowerCase());
    if (!def) throw new ApiError('RESOURCE_NOT_FOUND:SIGNAL_NOT_FOUND', { description: 'No signal has this code; codes are <group>-<name>, e.g. vehicleidentification-vin.' });
    requirePermission(def, access);
    reply.headers(await deps.metering.admit({ appId: access.appId, vehicleId, endpoint, units: 1, requestId: req.id, mode: access.mode }));
    if (!supplies(connector, caps, def)) return signalResource(deps, vehicleId, def, 'unavailable', caps);
    const reading = await readSource(deps, connector, ctx, def.source, access);
    if (reading.woke) req.apiCall!.woke = true;
    return signalResource(deps, vehicleId, def, { reading }, caps);
  });
}
