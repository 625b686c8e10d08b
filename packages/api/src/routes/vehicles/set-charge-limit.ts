import { ACTION_SCHEMA, ok } from '../../http/schema.js';
import { ACTION_OK, type VehicleRoute } from '../../route-spec.js';

/**
 * #14 `POST /vehicles/{id}/charge/limit` `{"limit":0.5–1}`. The Node SDK sends the limit as a
 * string ("0.8"), other SDKs as a number: the schema coerces numeric strings.
 */
export const setChargeLimit: VehicleRoute = {
  name: 'setChargeLimit', method: 'POST', path: '/charge/limit', permission: 'control_charge', capability: 'set_charge_limit',
  connectorMethod: 'setChargeLimit', billable: true, requestClass: 'command', summary: 'Set the EV charge limit',
  schema: {
    body: {
      type: 'object', required: ['limit'],
      properties: { limit: { type: 'number', minimum: 0.5, maximum: 1, description: 'Fraction 0.5–1; a numeric string is accepted.' } },
    },
    response: ok(ACTION_SCHEMA),
  },
  async handle({ connector, ctx, body }) {
    const r = await connector.setChargeLimit!(ctx, (body as { limit: number }).limit);
    return { body: ACTION_OK, woke: r.woke };
  },
};
