import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import { PAGING_SCHEMA, arr, obj, ok, str } from '../../http/schema.js';
import { authenticate } from '../../pipeline/authenticate.js';
import { authFirst } from '../../pipeline/auth-first.js';
import { paging } from '../paging.js';

/** #1 `GET /v2.0/vehicles?limit&offset`: the token's vehicles; limit default 10, max 50. Free. */
export function vehiclesRoute(app: FastifyInstance, deps: ApiDeps): void {
  const endpoint = 'GET /v2.0/vehicles';
  const auth = authFirst((req) => authenticate(deps, req));
  app.get('/v2.0/vehicles', {
    onRequest: auth.onRequest,
    schema: {
      tags: ['User'], summary: 'Vehicles connected with the access token', security: [{ bearerAuth: [] }],
      querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1 }, offset: { type: 'integer', minimum: 0 } } },
      response: ok(obj({ vehicles: arr(str), paging: PAGING_SCHEMA })),
    },
  }, async (req, reply) => {
    const access = auth.of(req);
    req.apiCall = { appId: access.appId, userId: access.userId, vehicleId: null, endpoint, units: 0, requestClass: 'free', woke: false };
    reply.headers(await deps.metering.admit({ appId: access.appId, endpoint, units: 0, requestId: req.id, mode: access.mode }));
    const { limit, offset } = paging(req.query as Record<string, unknown>, 10, 50);
    const ids = access.vehicleIds;
    return { vehicles: ids.slice(offset, offset + limit), paging: { count: ids.length, offset } };
  });
}
