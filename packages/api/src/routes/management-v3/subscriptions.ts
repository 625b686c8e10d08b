import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '@opencar/core';
import type { SubscriptionFilter } from '@opencar/storage';
import type { IntegrationService } from '@opencar/webhooks';
import type { ApiDeps } from '../../deps.js';
import { v3ErrorHandler } from '../v3/v3-error.js';
import { pageDocument, readPage } from '../v3/paging.js';
import { attributesOf, checkQuery, managementCaller } from './app-caller.js';
import { subscriptionResource } from './resources.js';

const FILTERS = ['filter[userId]', 'filter[webhookId]', 'filter[vehicleId]', 'filter[vehicle.mode]'] as const;
const PAGING = ['page[number]', 'page[size]', 'page', 'pageSize'];
const CREATED = { meta: { message: 'subscription creation in progress' } };

type Req = FastifyRequest;
const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** The ids of a subscription request: from the JSON:API body, the path's webhook id taking precedence. */
function idsOf(req: Req, pathWebhookId?: string): { webhookId: string; vehicleId: string; userId?: string } {
  const a = attributesOf(req.body);
  const unknown = Object.keys(a).filter((k) => !['webhookId', 'vehicleId', 'userId'].includes(k));
  if (unknown.length) throw new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description: `Unknown attribute ${unknown.join(', ')}; use webhookId, vehicleId, userId.` });
  const webhookId = pathWebhookId ?? text(a.webhookId);
  const vehicleId = text(a.vehicleId);
  if (pathWebhookId && a.webhookId !== undefined && a.webhookId !== pathWebhookId) throw new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description: 'webhookId in the body differs from the one in the path.' });
  const missing = [webhookId ? null : 'webhookId', vehicleId ? null : 'vehicleId'].filter((x): x is string => x !== null);
  if (missing.length) throw new ApiError('VALIDATION:MISSING_PARAMETER', { description: `data.attributes needs ${missing.join(' and ')}.`, detail: missing.map((m) => ({ field: `/data/attributes/${m}`, message: 'is required' })) });
  if (a.userId !== undefined && !text(a.userId)) throw new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description: 'userId must be a non-empty string.' });
  return { webhookId: webhookId!, vehicleId: vehicleId!, ...(text(a.userId) ? { userId: text(a.userId)! } : {}) };
}

/** Which subscription a DELETE names: a JSON:API body, or `filter[webhookId]` and `filter[vehicleId]` in the query. */
function deleteIdsOf(req: Req, pathWebhookId?: string): { webhookId: string; vehicleId: string } {
  const q = req.query as Record<string, unknown>;
  checkQuery(q, ['filter[webhookId]', 'filter[vehicleId]']);
  if (req.body !== undefined && req.body !== null && req.body !== '') return idsOf(req, pathWebhookId);
  const webhookId = pathWebhookId ?? text(q['filter[webhookId]']);
  const vehicleId = text(q['filter[vehicleId]']);
  if (!webhookId || !vehicleId) throw new ApiError('VALIDATION:MISSING_PARAMETER', { description: 'Name the subscription: a body {"data": {"attributes": {"webhookId", "vehicleId"}}} or filter[webhookId] and filter[vehicleId].' });
  return { webhookId, vehicleId };
}

/**
 * Management v3 subscriptions: `POST /v3/subscriptions` (202; 409 when it exists), `GET` with
 * filters and paging, `DELETE`; and the other spelling under `/v3/webhooks/{id}/subscriptions`.
 */
export function managementSubscriptionRoutes(app: FastifyInstance, deps: ApiDeps, integrations: IntegrationService): void {
  const errorHandler = v3ErrorHandler(deps.config.publicUrl, deps.secretKey);
  const common = { tags: ['Management (v3)'], security: [{ bearerAuth: [] }] };
  const base = `${deps.config.publicUrl}/v3/subscriptions`;
  const idParam = { type: 'object', properties: { webhookId: { type: 'string' } }, required: ['webhookId'] };
  const body = {
    type: 'object', required: ['data'],
    properties: { data: { type: 'object', required: ['attributes'], properties: { type: { type: 'string' }, attributes: { type: 'object', properties: { webhookId: { type: 'string' }, vehicleId: { type: 'string' }, userId: { type: 'string' } } } } } },
  };

  const create = (endpoint: string) => async (req: Req, reply: FastifyReply) => {
    const appId = await managementCaller(deps, req, reply, endpoint);
    const ids = idsOf(req, (req.params as { webhookId?: string }).webhookId);
    const { created } = await integrations.subscribe(appId, ids.webhookId, ids.vehicleId, ids.userId);
    if (!created) throw new ApiError('VALIDATION:ALREADY_EXISTS', { description: 'This vehicle is already subscribed to this webhook.' });
    return reply.code(202).send(CREATED);
  };
  const list = (endpoint: string, pageBase: (req: Req) => string) => async (req: Req, reply: FastifyReply) => {
    const appId = await managementCaller(deps, req, reply, endpoint);
    const q = req.query as Record<string, unknown>;
    const pathWebhookId = (req.params as { webhookId?: string }).webhookId;
    checkQuery(q, [...FILTERS, ...PAGING]);
    const filter: SubscriptionFilter = {};
    const get = (k: (typeof FILTERS)[number]) => text(q[k]);
    if (get('filter[userId]')) filter.userId = get('filter[userId]');
    if (get('filter[webhookId]')) filter.webhookId = get('filter[webhookId]');
    if (pathWebhookId) {
      if (filter.webhookId && filter.webhookId !== pathWebhookId) throw new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description: 'filter[webhookId] differs from the webhook in the path.' });
      await integrations.get(appId, pathWebhookId);
      filter.webhookId = pathWebhookId;
    }
    if (get('filter[vehicleId]')) filter.vehicleId = get('filter[vehicleId]');
    const mode = get('filter[vehicle.mode]');
    if (mode !== undefined && mode !== 'live' && mode !== 'simulated') throw new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description: 'filter[vehicle.mode] must be live or simulated.' });
    if (mode) filter.mode = mode;
    const page = readPage(q, { size: 25, max: 100, spelling: 'bracket' });
    const { items, total } = await integrations.subscriptions(appId, filter, { offset: (page.number - 1) * page.size, limit: page.size });
    const echo: Record<string, string> = {};
    for (const k of FILTERS) if (get(k)) echo[k] = get(k)!;
    return { data: items.map(subscriptionResource), ...pageDocument(pageBase(req), echo, page, total) };
  };
  const remove = (endpoint: string) => async (req: Req, reply: FastifyReply) => {
    const appId = await managementCaller(deps, req, reply, endpoint);
    const ids = deleteIdsOf(req, (req.params as { webhookId?: string }).webhookId);
    if (!(await integrations.unsubscribe(appId, ids.webhookId, ids.vehicleId))) throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'This vehicle is not subscribed to this webhook.' });
    return reply.code(204).send();
  };

  const createDoc = 'Application token. Body `{"data": {"attributes": {"webhookId", "vehicleId", "userId"}}}` (`userId` may be left out when one owner connected the vehicle). '
    + 'Answers 202 `{"meta": {"message": "subscription creation in progress"}}`; 409 when the vehicle is already subscribed; the first event is FIRST_DELIVERY. Free.';
  const listDoc = 'Application token. Filters `filter[userId]`, `filter[webhookId]`, `filter[vehicleId]`, `filter[vehicle.mode]` (`live`|`simulated`; absent: both); '
    + '`page[number]`/`page[size]` (1, 25, max 100) or `page`/`pageSize`. Oldest first. Free.';
  const deleteDoc = 'Application token. The same body as POST, or `filter[webhookId]` and `filter[vehicleId]` in the query. Answers 204; 404 when there is no such subscription. Free.';

  app.post('/v3/subscriptions', { errorHandler, schema: { ...common, summary: 'Subscribe a vehicle to a webhook', description: createDoc, body } }, create('POST /v3/subscriptions'));
  app.get('/v3/subscriptions', { errorHandler, schema: { ...common, summary: 'List subscriptions', description: listDoc } }, list('GET /v3/subscriptions', () => base));
  app.delete('/v3/subscriptions', { errorHandler, schema: { ...common, summary: 'Unsubscribe a vehicle from a webhook', description: deleteDoc } }, remove('DELETE /v3/subscriptions'));

  const nested = 'The same as the `/v3/subscriptions` route, with the webhook named in the path (the spelling of Smartcar\'s launch post). ';
  app.post('/v3/webhooks/:webhookId/subscriptions', { errorHandler, schema: { ...common, summary: 'Subscribe a vehicle to this webhook', description: nested + createDoc, params: idParam, body } }, create('POST /v3/webhooks/:webhookId/subscriptions'));
  app.get('/v3/webhooks/:webhookId/subscriptions', { errorHandler, schema: { ...common, summary: 'List this webhook\'s subscriptions', description: nested + listDoc, params: idParam } },
    list('GET /v3/webhooks/:webhookId/subscriptions', (req) => `${deps.config.publicUrl}/v3/webhooks/${(req.params as { webhookId: string }).webhookId}/subscriptions`));
  app.delete('/v3/webhooks/:webhookId/subscriptions', { errorHandler, schema: { ...common, summary: 'Unsubscribe a vehicle from this webhook', description: nested + deleteDoc, params: idParam } }, remove('DELETE /v3/webhooks/:webhookId/subscriptions'));
}
