import type { FastifyInstance } from 'fastify';
import { ApiError } from '@opencar/core';
import type { ApiDeps } from '../../deps.js';
import { authenticateClient } from '../../http/app-auth.js';
import { arr, enumOf, num, obj, str } from '../../http/schema.js';
import type { VehicleRoute } from '../../route-spec.js';
import { permissionEndpoints, scopeList } from './capability-endpoints.js';

const REGIONS = ['US', 'CA', 'EUROPE'];
const TYPES = ['ICE', 'BEV', 'PHEV', 'HEV'];

/**
 * §9.2 `GET /v2.0/compatibility/matrix?region&type&make&scope`: supported models per make, with the
 * endpoints and permissions each supports. Generated from the backend's catalogue.
 */
export function compatibilityMatrixRoute(app: FastifyInstance, deps: ApiDeps, routes: readonly VehicleRoute[]): void {
  const table = permissionEndpoints(routes);
  const endpoint = 'GET /v2.0/compatibility/matrix';
  const entry = obj({ model: str, startYear: num, endYear: num, type: enumOf(...TYPES), endpoints: arr(str), permissions: arr(str) });
  app.get('/v2.0/compatibility/matrix', {
    schema: {
      tags: ['Compatibility'], summary: 'Compatibility matrix by region', security: [{ basicClient: [] }],
      querystring: { type: 'object', properties: { region: str, type: str, make: str, scope: str, mode: str } },
      response: { 200: { type: 'object', additionalProperties: arr(entry), description: 'Models keyed by make (upper case)' } },
    },
  }, async (req, reply) => {
    const client = await authenticateClient(deps, req);
    req.apiCall = { appId: client.id, userId: null, vehicleId: null, endpoint, units: 0, requestClass: 'free', woke: false };
    const q = req.query as Record<string, string | undefined>;
    const region = (q.region ?? '').toUpperCase();
    const types = scopeList(q.type).map((t) => t.toUpperCase());
    const makes = scopeList(q.make).map((m) => m.toUpperCase());
    const scope = scopeList(q.scope);
    if (!REGIONS.includes(region)) throw new ApiError('VALIDATION', { description: `region must be one of ${REGIONS.join(', ')}.`, detail: [{ field: 'region', message: 'unknown region' }] });
    const badType = types.find((t) => !TYPES.includes(t));
    if (badType) throw new ApiError('VALIDATION', { description: `type must be one of ${TYPES.join(', ')}.`, detail: [{ field: 'type', message: `unknown type ${badType}` }] });
    reply.headers(await deps.metering.admit({ appId: client.id, endpoint, units: 0, feature: 'compatibility', requestId: req.id }));
    const out: Record<string, unknown[]> = {};
    for (const m of deps.backend.models()) {
      if (!m.regions.includes(region as never)) continue;
      if (types.length && !types.includes(m.powertrain)) continue;
      if (makes.length && !makes.includes(m.make.toUpperCase())) continue;
      const caps = new Set(m.capabilities);
      const supported = table.filter((t) => caps.has(t.capability));
      const permissions = [...new Set(supported.map((t) => t.permission))].sort();
      if (scope.some((p) => !permissions.includes(p))) continue;
      (out[m.make.toUpperCase()] ??= []).push({
        model: m.model, startYear: m.startYear, endYear: m.endYear, type: m.powertrain,
        endpoints: [...new Set(supported.map((t) => t.summary))], permissions,
      });
    }
    return out;
  });
}
