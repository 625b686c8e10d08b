import { ApiError } from '@opencar/core';
import { obj, ok, str } from '../../http/schema.js';
import type { VehicleRoute } from '../../route-spec.js';

/** #26 `POST /vehicles/{id}/webhooks/{webhookId}`: subscribes the vehicle; unknown webhook → VALIDATION. */
export const subscribe: VehicleRoute = {
  name: 'subscribe', method: 'POST', path: '/webhooks/:webhookId', permission: null,
  billable: false, requestClass: 'free', summary: 'Subscribe the vehicle to a webhook',
  schema: { response: ok(obj({ webhookId: str, vehicleId: str })) },
  async handle({ deps, access, vehicleId, params }) {
    const webhookId = params.webhookId!;
    if (!(await deps.webhooks.subscribe(access.appId, webhookId, vehicleId))) {
      throw new ApiError('VALIDATION', { description: 'No webhook with this id exists for this application.', detail: [{ field: 'webhookId', message: 'unknown webhook' }] });
    }
    return { body: { webhookId, vehicleId } };
  },
};
