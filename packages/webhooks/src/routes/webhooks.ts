import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { CredentialSource } from '@opencar/core';
import { appFromAmt, type AmtAuthDeps } from '@opencar/metering';
import { EVENT_TYPES, type NewWebhook, type WebhookService } from '../webhook-service.js';
import { SCHEDULABLE_PATHS } from '../vehicle-data.js';

export interface WebhookRouteDeps extends AmtAuthDeps { webhooks: WebhookService }

const security = [{ basicManagement: [] }];
const tags = ['Webhooks'];
const ID = Type.Object({ id: Type.String() });

const NEW_WEBHOOK = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 200 })),
  url: Type.String({ description: 'Receiver URL; it must answer the verify challenge.' }),
  type: Type.Union([Type.Literal('scheduled'), Type.Literal('eventBased')]),
  cadence: Type.Optional(Type.String({ description: 'Scheduled: hourly, daily, weekly, monthly or <n>m.' })),
  endpoints: Type.Optional(Type.Array(Type.Union(SCHEDULABLE_PATHS.map((p) => Type.Literal(p))), { description: 'Scheduled: paths read per vehicle.' })),
  events: Type.Optional(Type.Array(Type.Union(EVENT_TYPES.map((e) => Type.Literal(e))), { description: 'Event-based: event types (default all).' })),
}, { additionalProperties: false });

/** Webhook management for the calling application (management token). Not part of the Smartcar API. */
export function webhookRoutes(deps: WebhookRouteDeps) {
  return async function webhooksPlugin(app: FastifyInstance): Promise<void> {
    const caller = (req: CredentialSource) => appFromAmt(deps, req);

    app.post('/v2.0/management/webhooks', {
      schema: { tags, security, summary: 'Register a webhook and run its verify handshake', body: NEW_WEBHOOK },
    }, async (req, reply) => {
      const a = await caller(req);
      reply.code(201);
      return deps.webhooks.create(a.id, req.body as NewWebhook);
    });

    app.get('/v2.0/management/webhooks', { schema: { tags, security, summary: 'List the webhooks of the application' } }, async (req) => {
      const a = await caller(req);
      return { webhooks: await deps.webhooks.list(a.id) };
    });

    app.get('/v2.0/management/webhooks/:id', { schema: { tags, security, summary: 'One webhook with its subscribed vehicles', params: ID } }, async (req) => {
      const a = await caller(req);
      return deps.webhooks.get(a.id, (req.params as { id: string }).id);
    });

    app.delete('/v2.0/management/webhooks/:id', { schema: { tags, security, summary: 'Delete a webhook (queued deliveries are dropped)', params: ID } }, async (req) => {
      const a = await caller(req);
      await deps.webhooks.remove(a.id, (req.params as { id: string }).id);
      return { status: 'success' };
    });

    app.post('/v2.0/management/webhooks/:id/verify', { schema: { tags, security, summary: 'Run the verify handshake again', params: ID } }, async (req) => {
      const a = await caller(req);
      return deps.webhooks.verify(a.id, (req.params as { id: string }).id);
    });

    app.get('/v2.0/management/webhooks/:id/deliveries', {
      schema: { tags, security, summary: 'Recent deliveries of a webhook, newest first', params: ID, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }) },
    }, async (req) => {
      const a = await caller(req);
      return { deliveries: await deps.webhooks.deliveries(a.id, (req.params as { id: string }).id, (req.query as { limit?: number }).limit ?? 100) };
    });

    app.get('/v2.0/management/deliveries/:id', { schema: { tags, security, summary: 'One delivery with its attempt log (status, timing, response)', params: ID } }, async (req) => {
      const a = await caller(req);
      return deps.webhooks.delivery(a.id, (req.params as { id: string }).id);
    });

    app.post('/v2.0/management/deliveries/:id/redeliver', { schema: { tags, security, summary: 'Send a delivery again with the same id and body', params: ID } }, async (req, reply) => {
      const a = await caller(req);
      reply.code(202);
      return deps.webhooks.redeliver(a.id, (req.params as { id: string }).id);
    });
  };
}
