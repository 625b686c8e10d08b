import type { FastifyInstance } from 'fastify';
import { ApiError } from '@opencar/core';
import type { IntegrationFilter } from '@opencar/storage';
import type { IntegrationInput, IntegrationService } from '@opencar/webhooks';
import type { ApiDeps } from '../../deps.js';
import { v3ErrorHandler } from '../v3/v3-error.js';
import { pageDocument, readPage } from '../v3/paging.js';
import { attributesOf, booleanFilter, checkQuery, managementCaller } from './app-caller.js';
import { webhookResource } from './resources.js';

const FILTERS = ['filter[name]', 'filter[callbackUri]', 'filter[isEnabled]', 'filter[autoSubscribe]'] as const;
const PAGING = ['page[number]', 'page[size]', 'page', 'pageSize'];
const FIELDS = ['name', 'callbackUri', 'errorCallbackUri', 'triggers', 'signals', 'autoSubscribe', 'isEnabled'];
const idParam = { type: 'object', properties: { webhookId: { type: 'string' } }, required: ['webhookId'] };

/** The writable attributes of a JSON:API body; unknown attributes are refused. */
function inputOf(body: unknown): IntegrationInput {
  const a = attributesOf(body);
  const unknown = Object.keys(a).filter((k) => !FIELDS.includes(k));
  if (unknown.length) throw new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description: `Unknown attribute ${unknown.join(', ')}; use ${FIELDS.join(', ')}.` });
  return a as IntegrationInput;
}

/**
 * Management v3 webhooks (integrations): Smartcar's reads, `GET /v3/webhooks` with filters and
 * paging and `GET /v3/webhooks/{id}`; and opencar's extension for scripting them, POST, PATCH,
 * DELETE and `POST /v3/webhooks/{id}/verify`.
 */
export function managementWebhookRoutes(app: FastifyInstance, deps: ApiDeps, integrations: IntegrationService): void {
  const errorHandler = v3ErrorHandler(deps.config.publicUrl, deps.secretKey);
  const common = { tags: ['Management (v3)'], security: [{ bearerAuth: [] }] };
  const base = `${deps.config.publicUrl}/v3/webhooks`;
  const resource = (w: Parameters<typeof webhookResource>[1]) => webhookResource(deps.config.publicUrl, w);
  const body = (a: Record<string, unknown>) => ({
    type: 'object', required: ['data'],
    properties: { data: { type: 'object', required: ['attributes'], properties: { type: { type: 'string' }, attributes: { type: 'object', properties: a } } } },
  });
  const attributes = {
    name: { type: 'string' }, callbackUri: { type: 'string' }, errorCallbackUri: { type: ['string', 'null'] },
    triggers: { type: 'array', items: { type: 'object' } }, signals: { type: 'array', items: { type: 'string' } },
    autoSubscribe: { type: 'boolean' }, isEnabled: { type: 'boolean' },
  };

  app.get('/v3/webhooks', {
    errorHandler,
    schema: {
      ...common, summary: 'List the application\'s webhooks (integrations)',
      description: 'Application token. Filters `filter[name]`, `filter[callbackUri]` (exact), `filter[isEnabled]`, `filter[autoSubscribe]` (`true`|`false`); '
        + '`page[number]`/`page[size]` (1, 50, max 100) or `page`/`pageSize`. Oldest first. Free.',
    },
  }, async (req, reply) => {
    const appId = await managementCaller(deps, req, reply, 'GET /v3/webhooks');
    const q = req.query as Record<string, unknown>;
    checkQuery(q, [...FILTERS, ...PAGING]);
    const filter: IntegrationFilter = {};
    if (q['filter[name]']) filter.name = q['filter[name]'] as string;
    if (q['filter[callbackUri]']) filter.url = q['filter[callbackUri]'] as string;
    const enabled = booleanFilter(q, 'filter[isEnabled]');
    if (enabled !== undefined) filter.enabled = enabled;
    const auto = booleanFilter(q, 'filter[autoSubscribe]');
    if (auto !== undefined) filter.autoSubscribe = auto;
    const page = readPage(q, { size: 50, max: 100, spelling: 'bracket' });
    const { items, total } = await integrations.list(appId, filter, { offset: (page.number - 1) * page.size, limit: page.size });
    const echo: Record<string, string> = {};
    for (const k of FILTERS) if (q[k]) echo[k] = q[k] as string;
    return { data: items.map(resource), ...pageDocument(base, echo, page, total) };
  });

  app.get('/v3/webhooks/:webhookId', { errorHandler, schema: { ...common, summary: 'One webhook (integration)', description: 'Application token. Free.', params: idParam } }, async (req, reply) => {
    const appId = await managementCaller(deps, req, reply, 'GET /v3/webhooks/:webhookId');
    const w = await integrations.get(appId, (req.params as { webhookId: string }).webhookId);
    return { data: resource(w), links: { self: `${base}/${w.id}` } };
  });

  app.post('/v3/webhooks', {
    errorHandler,
    schema: {
      ...common, summary: 'Create a webhook (integration) — opencar extension',
      description: 'Application token. JSON:API body with `name`, `callbackUri` (required), `errorCallbackUri`, `triggers` (`{code}` fires on any change of the signal; '
        + '`{code, op: "<"|">"|"="|"changed", value, cooldownSeconds}` is a condition trigger), `signals` (data signal codes), `autoSubscribe`, `isEnabled`. '
        + 'VERIFY is sent at once; `isEnabled: true` takes effect only when it is answered. Answers 201 with `meta.verification`. Free.',
      body: body(attributes),
    },
  }, async (req, reply) => {
    const appId = await managementCaller(deps, req, reply, 'POST /v3/webhooks');
    const { verification, ...w } = await integrations.create(appId, inputOf(req.body));
    return reply.code(201).header('location', `${base}/${w.id}`).send({ data: resource(w), meta: { verification } });
  });

  app.patch('/v3/webhooks/:webhookId', {
    errorHandler,
    schema: {
      ...common, summary: 'Change a webhook (integration) — opencar extension',
      description: 'Application token. The attributes given change; a new `callbackUri` is verified again (the webhook is disabled until it answers). '
        + '`isEnabled: true` needs a verified webhook. Free.',
      params: idParam, body: body(attributes),
    },
  }, async (req, reply) => {
    const appId = await managementCaller(deps, req, reply, 'PATCH /v3/webhooks/:webhookId');
    const { verification, ...w } = await integrations.update(appId, (req.params as { webhookId: string }).webhookId, inputOf(req.body));
    return { data: resource(w), ...(verification ? { meta: { verification } } : {}) };
  });

  app.post('/v3/webhooks/:webhookId/verify', {
    errorHandler, schema: { ...common, summary: 'Send VERIFY again — opencar extension', description: 'Application token. Answers the outcome in `meta.verification`. Free.', params: idParam },
  }, async (req, reply) => {
    const appId = await managementCaller(deps, req, reply, 'POST /v3/webhooks/:webhookId/verify');
    const id = (req.params as { webhookId: string }).webhookId;
    const verification = await integrations.verify(appId, id);
    return { data: resource(await integrations.get(appId, id)), meta: { verification } };
  });

  app.delete('/v3/webhooks/:webhookId', {
    errorHandler, schema: { ...common, summary: 'Delete a webhook (integration) — opencar extension', description: 'Application token. Its subscriptions end and queued events are dropped; answers 204. Free.', params: idParam },
  }, async (req, reply) => {
    const appId = await managementCaller(deps, req, reply, 'DELETE /v3/webhooks/:webhookId');
    await integrations.remove(appId, (req.params as { webhookId: string }).webhookId);
    return reply.code(204).send();
  });
}
