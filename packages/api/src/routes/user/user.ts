import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import { obj, ok, str } from '../../http/schema.js';
import { authenticate } from '../../pipeline/authenticate.js';

/** #2 `GET /v2.0/user`: the owner (OEM account) behind the token. Free. */
export function userRoute(app: FastifyInstance, deps: ApiDeps): void {
  const endpoint = 'GET /v2.0/user';
  app.get('/v2.0/user', {
    schema: { tags: ['User'], summary: 'User id behind the access token', security: [{ bearerAuth: [] }], response: ok(obj({ id: str })) },
  }, async (req, reply) => {
    const access = await authenticate(deps, req);
    req.apiCall = { appId: access.appId, userId: access.userId, vehicleId: null, endpoint, units: 0, requestClass: 'free', woke: false };
    reply.headers(await deps.metering.admit({ appId: access.appId, endpoint, units: 0, requestId: req.id, mode: access.mode }));
    return { id: access.userId };
  });
}
