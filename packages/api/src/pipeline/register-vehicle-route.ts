import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../deps.js';
import { requestedUnits } from '../http/units.js';
import type { VehicleCall, VehicleRoute } from '../route-spec.js';
import { authenticate } from './authenticate.js';
import { authenticateWithManagementToken } from './management-access.js';
import { openVehicle, requireCapability, requirePermission } from './vehicle-access.js';
import { runRoute } from './run-route.js';
import { requestedWake } from '../http/wake.js';

export const V2_VEHICLE_PREFIX = '/v2.0/vehicles/:id';

/** Path parameters of a route: the vehicle id plus any `:name` segment of its path. */
function paramsOf(path: string) {
  const names = [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  const properties: Record<string, object> = { id: { type: 'string', description: 'Vehicle id' } };
  for (const n of names) properties[n] = { type: 'string' };
  return { type: 'object', properties, required: ['id', ...names] };
}

declare module 'fastify' {
  interface FastifyRequest {
    vehicleCall: VehicleCall | null;
  }
}

/**
 * Steps 1–4 of the pipeline (token, grant, permission) run before input validation, so a caller
 * without access learns nothing about the input the endpoint expects. The capability check (step 5)
 * runs here for routes without input, and after input validation for the others (`checkCapability:
 * false`), so a bad value is 400 VALIDATION whatever the vehicle.
 */
export async function admitVehicleCall(deps: ApiDeps, req: FastifyRequest, route: VehicleRoute, endpoint: string, checkCapability = true): Promise<VehicleCall> {
  const vehicleId = (req.params as { id: string }).id;
  const access = route.managementToken
    ? await authenticateWithManagementToken(deps, req, vehicleId)
    : await authenticate(deps, req);
  req.apiCall = {
    appId: access.appId, userId: access.viaManagementToken ? null : access.userId, vehicleId, endpoint,
    units: route.billable ? 1 : 0, requestClass: route.requestClass, woke: false,
  };
  const unitSystem = requestedUnits(req.headers['sc-unit-system']);
  const { connector, ctx } = await openVehicle(deps, access, vehicleId, unitSystem, requestedWake(req.headers['sc-allow-wake']));
  requirePermission(route, access);
  if (checkCapability) await requireCapability(route, connector, ctx);
  return { deps, access, vehicleId, connector, ctx, unitSystem, params: req.params as Record<string, string>, query: {}, body: undefined };
}

function describe(route: VehicleRoute): string {
  const access = route.permission ? `Permission: \`${route.permission}\`.` : 'Any access token for the vehicle.';
  const billing = route.billable ? 'Billable.' : 'Not billed.';
  return [route.description, access, billing].filter(Boolean).join(' ');
}

/**
 * Registers one row of the route table behind the shared pipeline. Routes that take input (a body,
 * a query, or any non-GET method whose content type Fastify parses) admit the call in `onRequest`,
 * so access is checked before the content type and the input; plain GETs admit it in the handler,
 * which saves a hook per request and answers identically.
 */
export function registerVehicleRoute(app: FastifyInstance, deps: ApiDeps, route: VehicleRoute, tag = 'Vehicles'): void {
  const url = `${V2_VEHICLE_PREFIX}${route.path}`;
  const endpoint = `${route.method} ${url}`;
  const admitsEarly = Boolean(route.schema.body || route.schema.querystring) || route.method !== 'GET';
  app.route({
    method: route.method,
    url,
    schema: {
      tags: [tag], summary: route.summary, description: describe(route),
      security: [{ bearerAuth: [] }], params: paramsOf(route.path),
      ...(route.schema.body ? { body: route.schema.body } : {}),
      ...(route.schema.querystring ? { querystring: route.schema.querystring } : {}),
      response: route.schema.response,
    },
    ...(admitsEarly ? { onRequest: async (req: FastifyRequest) => { req.vehicleCall = await admitVehicleCall(deps, req, route, endpoint, false); } } : {}),
    handler: async (req, reply) => {
      const call = admitsEarly ? req.vehicleCall! : (req.vehicleCall = await admitVehicleCall(deps, req, route, endpoint));
      call.body = req.body;
      call.query = req.query as Record<string, string | undefined>;
      if (admitsEarly) {
        route.validate?.(call);
        await requireCapability(route, call.connector, call.ctx);
      }
      const limits = await deps.metering.admit({ appId: call.access.appId, vehicleId: call.vehicleId, endpoint, units: route.billable ? 1 : 0, requestId: req.id, mode: call.access.mode });
      reply.headers(limits);
      const result = await runRoute(route, call);
      req.apiCall!.woke = result.woke;
      reply.headers(result.headers);
      return result.body;
    },
  });
}
