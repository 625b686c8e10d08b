import type { FastifyInstance } from 'fastify';
import { ApiError } from '@opencar/core';
import { isPermission } from '@opencar/oauth';
import type { ApiDeps } from '../../deps.js';
import { authenticateClient } from '../../http/app-auth.js';
import { arr, bool, enumOf, nullable, obj, ok, str } from '../../http/schema.js';
import type { VehicleRoute } from '../../route-spec.js';
import { permissionEndpoints, scopeList } from './capability-endpoints.js';

const VIN = /^[A-HJ-NPR-Z0-9]{17}$/i;

/**
 * §9.1 `GET /v2.0/compatibility?vin&scope&country`: per requested permission, which endpoints the
 * vehicle behind a VIN supports. Generated from the backend's catalogue. Basic client credentials.
 */
export function compatibilityByVinRoute(app: FastifyInstance, deps: ApiDeps, routes: readonly VehicleRoute[]): void {
  const table = permissionEndpoints(routes);
  const endpoint = 'GET /v2.0/compatibility';
  app.get('/v2.0/compatibility', {
    schema: {
      tags: ['Compatibility'], summary: 'Compatibility of a VIN', security: [{ basicClient: [] }],
      querystring: { type: 'object', properties: { vin: str, scope: str, country: str, mode: str, test_mode_compatibility_level: str } },
      response: ok(obj({
        compatible: bool, reason: nullable(enumOf('VEHICLE_NOT_COMPATIBLE', 'MAKE_NOT_COMPATIBLE')),
        capabilities: arr(obj({ permission: str, endpoint: str, capable: bool, reason: nullable(enumOf('VEHICLE_NOT_CAPABLE', 'SMARTCAR_NOT_CAPABLE')) })),
      })),
    },
  }, async (req, reply) => {
    const client = await authenticateClient(deps, req);
    req.apiCall = { appId: client.id, userId: null, vehicleId: null, endpoint, units: 0, requestClass: 'free', woke: false };
    const q = req.query as Record<string, string | undefined>;
    const vin = (q.vin ?? '').trim();
    const scope = scopeList(q.scope);
    const detail = [
      ...(VIN.test(vin) ? [] : [{ field: 'vin', message: 'must be a 17-character VIN' }]),
      ...(scope.length > 0 ? [] : [{ field: 'scope', message: 'must list at least one permission' }]),
    ];
    if (detail.length) throw new ApiError('VALIDATION', { description: 'vin and scope are required.', detail });
    const unknown = scope.filter((p) => !isPermission(p));
    if (unknown.length) {
      throw new ApiError('VALIDATION:PARAMETER', {
        description: 'scope lists unknown permissions.', detail: [{ field: 'scope', message: `unknown permission(s): ${unknown.join(', ')}` }],
      });
    }
    reply.headers(await deps.metering.admit({ appId: client.id, endpoint, units: 0, feature: 'compatibility', requestId: req.id }));
    const found = deps.backend.capabilitiesForVin(vin.toUpperCase(), (q.country || 'US').toUpperCase());
    if (!found) return { compatible: false, reason: 'VEHICLE_NOT_COMPATIBLE', capabilities: [] };
    if ('incompatible' in found) return { compatible: false, reason: found.incompatible, capabilities: [] };
    const caps = new Set(found.capabilities);
    const capabilities = scope.flatMap((permission) => table.filter((t) => t.permission === permission).map((t) => ({
      permission, endpoint: t.endpoint, capable: caps.has(t.capability), reason: caps.has(t.capability) ? null : 'VEHICLE_NOT_CAPABLE',
    })));
    const compatible = scope.every((p) => capabilities.some((c) => c.permission === p && c.capable) || !table.some((t) => t.permission === p));
    return { compatible, reason: compatible ? null : 'VEHICLE_NOT_COMPATIBLE', capabilities };
  });
}
