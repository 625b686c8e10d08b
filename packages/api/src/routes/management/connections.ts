import type { FastifyInstance } from 'fastify';
import { ApiError } from '@opencar/core';
import type { ConnectMode } from '@opencar/connectors';
import type { ApiDeps } from '../../deps.js';
import { authenticateManagement } from '../../http/app-auth.js';
import { arr, nullable, obj, ok, str } from '../../http/schema.js';
import { paging } from '../paging.js';
import { authFirst } from '../../pipeline/auth-first.js';

const MODES = ['live', 'simulated', 'test'];
const URL = '/v2.0/management/connections';

function filterOf(q: Record<string, string | undefined>): { userId?: string; vehicleId?: string; mode?: ConnectMode } {
  if (q.mode && !MODES.includes(q.mode)) throw new ApiError('VALIDATION', { description: `mode must be one of ${MODES.join(', ')}.`, detail: [{ field: 'mode', message: 'unknown mode' }] });
  return {
    ...(q.user_id ? { userId: q.user_id } : {}),
    ...(q.vehicle_id ? { vehicleId: q.vehicle_id } : {}),
    ...(q.mode ? { mode: q.mode as ConnectMode } : {}),
  };
}

/** §10 Management API: the application's connections (newest first, cursor-paged) and their removal. */
export function managementRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const common = { tags: ['Management'], security: [{ basicManagement: [] }] };
  const auth = authFirst((req) => authenticateManagement(deps, req));
  const query = { type: 'object', properties: { user_id: str, vehicle_id: str, limit: { type: 'integer', minimum: 1 }, cursor: str, mode: str } };

  app.get(URL, {
    onRequest: auth.onRequest,
    schema: {
      ...common, summary: 'List connections', description: 'Newest first; `limit` default 10, max 100; page with `paging.cursor`.', querystring: query,
      response: ok(obj({ connections: arr(obj({ userId: str, vehicleId: str, connectedAt: str, mode: str })), paging: obj({ cursor: nullable(str) }) })),
    },
  }, async (req, reply) => {
    const owner = auth.of(req);
    req.apiCall = { appId: owner.id, userId: null, vehicleId: null, endpoint: `GET ${URL}`, units: 0, requestClass: 'free', woke: false };
    const q = req.query as Record<string, string | undefined>;
    const { limit } = paging(q, 10, 100);
    reply.headers(await deps.metering.admit({ appId: owner.id, endpoint: `GET ${URL}`, units: 0, requestId: req.id }));
    const page = await deps.grants.listConnections(owner.id, filterOf(q), { limit, ...(q.cursor ? { cursor: q.cursor } : {}) });
    return {
      connections: page.connections.map((c) => ({ userId: c.userId, vehicleId: c.vehicleId, connectedAt: new Date(c.connectedAt).toISOString(), mode: c.mode })),
      paging: { cursor: page.cursor },
    };
  });

  app.delete(URL, {
    onRequest: auth.onRequest,
    schema: {
      ...common, summary: 'Delete connections', description: 'By `user_id` and/or `vehicle_id` (both = that vehicle of that user). Tokens lose access at once.',
      querystring: query, response: ok(obj({ connections: arr(obj({ userId: str, vehicleId: str })) })),
    },
  }, async (req, reply) => {
    const owner = auth.of(req);
    req.apiCall = { appId: owner.id, userId: null, vehicleId: null, endpoint: `DELETE ${URL}`, units: 0, requestClass: 'free', woke: false };
    const filter = filterOf(req.query as Record<string, string | undefined>);
    if (!filter.userId && !filter.vehicleId) {
      throw new ApiError('VALIDATION', { description: 'Give user_id or vehicle_id.', detail: [{ field: 'user_id', message: 'user_id or vehicle_id is required' }] });
    }
    reply.headers(await deps.metering.admit({ appId: owner.id, endpoint: `DELETE ${URL}`, units: 0, requestId: req.id }));
    const removed = await deps.grants.deleteConnections(owner.id, filter);
    return { connections: removed.map((c) => ({ userId: c.userId, vehicleId: c.vehicleId })) };
  });
}
