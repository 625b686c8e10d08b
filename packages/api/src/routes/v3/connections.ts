import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '@opencar/core';
import type { ConnectionFilter } from '@opencar/oauth';
import type { ApiDeps } from '../../deps.js';
import { authenticateV3, scUserId } from './v3-access.js';
import { v3ErrorHandler } from './v3-error.js';
import { pageDocument, readPage } from './paging.js';
import { connectionResource, parseConnectionId, vehicleFacts } from './connection-resource.js';

const FILTERS = ['filter[userId]', 'filter[vehicleId]', 'filter[vehicle.mode]', 'filter[user.externalId]'] as const;
const PAGING = ['page[number]', 'page[size]', 'page', 'pageSize'];

/** Connections and users are the app's own records: they take the application token (client credentials). */
async function appCaller(deps: ApiDeps, req: FastifyRequest, endpoint: string): Promise<string> {
  const caller = await authenticateV3(deps, req);
  if (caller.kind !== 'app') {
    throw new ApiError('AUTHENTICATION', { description: 'This endpoint takes an application token: POST /oauth2/token with grant_type=client_credentials.' });
  }
  req.apiCall = { appId: caller.app.appId, userId: null, vehicleId: null, endpoint, units: 0, requestClass: 'free', woke: false };
  return caller.app.appId;
}

/** The list filters: the four `filter[…]` parameters (and `sc-user-id`, which filters by user too); anything else is refused. */
function filterOf(req: FastifyRequest): { filter: ConnectionFilter; echo: Record<string, string> } {
  const q = req.query as Record<string, unknown>;
  for (const k of Object.keys(q)) {
    if (!(FILTERS as readonly string[]).includes(k) && !PAGING.includes(k)) throw new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description: `Unknown query parameter ${k}.` });
    if (typeof q[k] !== 'string') throw new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description: `Send ${k} once.` });
  }
  const get = (k: (typeof FILTERS)[number]) => (q[k] as string | undefined) || undefined;
  const mode = get('filter[vehicle.mode]') ?? 'live';
  if (mode !== 'live' && mode !== 'simulated') throw new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description: 'filter[vehicle.mode] must be live or simulated.' });
  const header = scUserId(req);
  const userId = get('filter[userId]');
  if (header && userId && header !== userId) throw new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description: 'sc-user-id and filter[userId] name different users.' });
  const filter: ConnectionFilter = { modes: mode === 'live' ? ['live'] : ['simulated', 'test'] };
  const user = userId ?? header;
  if (user) filter.userId = user;
  const vehicleId = get('filter[vehicleId]');
  if (vehicleId) filter.vehicleId = vehicleId;
  const externalId = get('filter[user.externalId]');
  if (externalId) filter.externalId = externalId;
  const echo: Record<string, string> = {};
  for (const k of FILTERS) if (get(k)) echo[k] = get(k)!;
  return { filter, echo };
}

/** API v3 connections: list (filters, both paging spellings), one, disconnect; and removing a user. */
export function v3ConnectionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const errorHandler = v3ErrorHandler(deps.config.publicUrl, deps.secretKey);
  const common = { tags: ['Connections (v3)'], security: [{ bearerAuth: [] }] };
  const base = `${deps.config.publicUrl}/v3/connections`;
  const idParam = { type: 'object', properties: { connectionId: { type: 'string' } }, required: ['connectionId'] };

  app.get('/v3/connections', {
    errorHandler,
    schema: {
      ...common, summary: 'List the application\'s connections',
      description: 'Application token. Filters `filter[userId]`, `filter[vehicleId]`, `filter[vehicle.mode]` (`live` by default, or `simulated`), `filter[user.externalId]`; '
        + '`page[number]`/`page[size]` (1, 10, max 100) answered with `meta.pageNumber` and `links.prev`, or `page`/`pageSize` answered with `meta.page` and `links.previous`. '
        + 'Each item carries the permissions actually granted. Newest first. Free.',
    },
  }, async (req, reply) => {
    const appId = await appCaller(deps, req, 'GET /v3/connections');
    const { filter, echo } = filterOf(req);
    const page = readPage(req.query as Record<string, unknown>, { size: 10, max: 100, spelling: 'bracket' });
    reply.headers(await deps.metering.admit({ appId, endpoint: 'GET /v3/connections', units: 0, requestId: req.id }));
    const { connections, total } = await deps.grants.connectionsPage!(appId, filter, { offset: (page.number - 1) * page.size, limit: page.size });
    const data = await Promise.all(connections.map(async (c) => connectionResource(deps.config.publicUrl, c, await vehicleFacts(deps, c.vehicleId, appId))));
    return { data, ...pageDocument(base, echo, page, total, { orderBy: 'connectedAt', orderDirection: 'desc' }) };
  });

  app.get('/v3/connections/:connectionId', { errorHandler, schema: { ...common, summary: 'One connection', description: 'Application token. Free.', params: idParam } }, async (req, reply) => {
    const appId = await appCaller(deps, req, 'GET /v3/connections/:connectionId');
    const key = parseConnectionId((req.params as { connectionId: string }).connectionId);
    reply.headers(await deps.metering.admit({ appId, endpoint: 'GET /v3/connections/:connectionId', units: 0, requestId: req.id }));
    const { connections } = await deps.grants.connectionsPage!(appId, key, { offset: 0, limit: 1 });
    const c = connections[0];
    if (!c) throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'No connection with this id.' });
    return { data: connectionResource(deps.config.publicUrl, c, await vehicleFacts(deps, c.vehicleId, appId)), links: { self: `${base}/${(req.params as { connectionId: string }).connectionId}` } };
  });

  app.delete('/v3/connections/:connectionId', {
    errorHandler, schema: { ...common, summary: 'Disconnect one vehicle from one user', description: 'Application token. Tokens lose access at once; answers 204. Free.', params: idParam },
  }, async (req, reply) => {
    const appId = await appCaller(deps, req, 'DELETE /v3/connections/:connectionId');
    const key = parseConnectionId((req.params as { connectionId: string }).connectionId);
    reply.headers(await deps.metering.admit({ appId, endpoint: 'DELETE /v3/connections/:connectionId', units: 0, requestId: req.id }));
    const removed = await deps.grants.deleteConnections(appId, key);
    if (removed.length === 0) throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'No connection with this id.' });
    return reply.code(204).send();
  });

  app.delete('/v3/users/:userId', {
    errorHandler,
    schema: {
      ...common, summary: 'Remove a user and every connection of theirs', description: 'Application token. Answers 204; 404 when the user has no connection to the application. Free.',
      params: { type: 'object', properties: { userId: { type: 'string' } }, required: ['userId'] },
    },
  }, async (req, reply) => {
    const appId = await appCaller(deps, req, 'DELETE /v3/users/:userId');
    const userId = (req.params as { userId: string }).userId;
    reply.headers(await deps.metering.admit({ appId, endpoint: 'DELETE /v3/users/:userId', units: 0, requestId: req.id }));
    const removed = await deps.grants.deleteConnections(appId, { userId });
    if (removed.length === 0) throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'No user with this id is connected to this application.' });
    return reply.code(204).send();
  });
}
