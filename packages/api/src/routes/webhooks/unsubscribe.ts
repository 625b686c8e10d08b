import type { FastifyInstance } from 'fastify';
import { ApiError } from '@opencar/core';
import type { ApiDeps } from '../../deps.js';
import { STATUS_SCHEMA, ok } from '../../http/schema.js';
import { authenticateManagement } from '../../http/app-auth.js';

/**
 * #27 `DELETE /v2.0/vehicles/{id}/webhooks/{webhookId}`, authorised with
 * `Authorization: Bearer <application management token>` (not an access token). The Node SDK sends `{}`.
 */
export function unsubscribeRoute(app: FastifyInstance, deps: ApiDeps): void {
  const url = '/v2.0/vehicles/:id/webhooks/:webhookId';
  app.delete(url, {
    schema: {
      tags: ['Webhooks'], summary: 'Unsubscribe the vehicle from a webhook', security: [{ bearerAuth: [] }],
      description: 'Authorised with the application management token as a bearer token.',
      params: { type: 'object', properties: { id: { type: 'string' }, webhookId: { type: 'string' } }, required: ['id', 'webhookId'] },
      response: ok(STATUS_SCHEMA),
    },
  }, async (req) => {
    const { id, webhookId } = req.params as { id: string; webhookId: string };
    const app = await authenticateManagement(deps, req, 'Send the application management token as `Authorization: Bearer <token>`.');
    req.apiCall = { appId: app.id, userId: null, vehicleId: id, endpoint: `DELETE ${url}`, units: 0, requestClass: 'free', woke: false };
    if (!(await deps.webhooks.unsubscribe(app.id, webhookId, id))) {
      throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'This vehicle is not subscribed to this webhook.' });
    }
    return { status: 'success' };
  });
}
