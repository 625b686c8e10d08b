import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import { project } from '../../http/project.js';
import { requestedUnits } from '../../http/units.js';
import { authenticate } from '../../pipeline/authenticate.js';
import { authFirst } from '../../pipeline/auth-first.js';
import { runRoute } from '../../pipeline/run-route.js';
import { V2_VEHICLE_PREFIX } from '../../pipeline/register-vehicle-route.js';
import { openVehicle, requireCapability, requirePermission } from '../../pipeline/vehicle-access.js';
import { BRAND_ENDPOINTS } from './brand-table.js';
import { resolveBrandRoute } from './brand-route.js';
import { requestedWake } from '../../http/wake.js';

/** #28 `ANY /v2.0/vehicles/{id}/{make}/…`: brand-specific endpoints through the same pipeline. */
export function brandRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const listing = BRAND_ENDPOINTS.map((b) => `- \`${b.method} /${b.makes.join('|')}/${b.path}\` (${b.permission ?? 'any permission'}): ${b.summary}`).join('\n');
  const auth = authFirst((req) => authenticate(deps, req));
  app.route({
    method: ['GET', 'POST', 'PUT', 'DELETE'],
    onRequest: auth.onRequest,
    url: `${V2_VEHICLE_PREFIX}/:make/*`,
    schema: {
      tags: ['Brand-specific'], summary: 'Brand-specific endpoint', security: [{ bearerAuth: [] }],
      params: { type: 'object', properties: { id: { type: 'string', description: 'Vehicle id' }, make: { type: 'string', description: 'Make in lower case, e.g. tesla' } }, required: ['id', 'make'] },
      description: `Endpoints that exist for some makes only; the make is lower case. Billable.\n\n${listing}`,
    },
    handler: async (req, reply) => {
      const { id: vehicleId, make, '*': rest } = req.params as { id: string; make: string; '*': string };
      const access = auth.of(req);
      const endpoint = `${req.method} ${V2_VEHICLE_PREFIX}/${make.toLowerCase()}/${rest}`;
      req.apiCall = { appId: access.appId, userId: access.userId, vehicleId, endpoint, units: 1, requestClass: 'data', woke: false };
      const unitSystem = requestedUnits(req.headers['sc-unit-system']);
      const { connector, ctx } = await openVehicle(deps, access, vehicleId, unitSystem, requestedWake(req.headers['sc-allow-wake']));
      const route = resolveBrandRoute(make, req.method, rest);
      req.apiCall.requestClass = route.requestClass;
      req.apiCall.endpoint = `${route.method} ${V2_VEHICLE_PREFIX}${route.path}`;
      requirePermission(route, access);
      route.validate?.({ body: req.body, query: req.query as Record<string, string | undefined> });
      await requireCapability(route, connector, ctx);
      reply.headers(await deps.metering.admit({ appId: access.appId, vehicleId, endpoint: req.apiCall.endpoint, units: 1, requestId: req.id, mode: access.mode }));
      const result = await runRoute(route, {
        deps, access, vehicleId, connector, ctx, unitSystem, params: {}, query: req.query as Record<string, string | undefined>, body: req.body,
      });
      req.apiCall.woke = result.woke;
      reply.headers(result.headers);
      return reply.type('application/json').send(JSON.stringify(project((route.schema.response as Record<string, unknown>)[200], result.body)));
    },
  });
}
