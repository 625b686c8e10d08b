import { ACTION_SCHEMA, numberIn, numberOrDecimal, ok } from '../../http/schema.js';
import { ACTION_OK, type VehicleRoute } from '../../route-spec.js';

/**
 * #14 `POST /vehicles/{id}/charge/limit` `{"limit":0.5–1}`. The Node SDK sends the limit as a
 * string ("0.8"), other SDKs as a number: both are accepted, a string only as a plain decimal.
 */
export const setChargeLimit: VehicleRoute = {
  name: 'setChargeLimit', method: 'POST', path: '/charge/limit', permission: 'control_charge', capability: 'set_charge_limit',
  connectorMethod: 'setChargeLimit', billable: true, requestClass: 'command', summary: 'Set the EV charge limit',
  schema: {
    body: {
      type: 'object', required: ['limit'],
      properties: { limit: numberOrDecimal(0.5, 1, 'Fraction 0.5–1, as a number or a plain decimal string ("0.8").') },
    },
    response: ok(ACTION_SCHEMA),
  },
  validate({ body }) { numberIn((body as { limit: number | string }).limit, 'limit', 0.5, 1); },
  async handle({ connector, ctx, body }) {
    const r = await connector.setChargeLimit!(ctx, numberIn((body as { limit: number | string }).limit, 'limit', 0.5, 1));
    return { body: ACTION_OK, woke: r.woke };
  },
};
