import { ACTION_SCHEMA, enumOf, ok } from '../../http/schema.js';
import { ACTION_OK, type VehicleRoute } from '../../route-spec.js';

/** #12 `POST /vehicles/{id}/charge` `{"action":"START"|"STOP"}`. */
export const chargeControl: VehicleRoute = {
  name: 'chargeControl', method: 'POST', path: '/charge', permission: 'control_charge', capability: 'charge_control',
  connectorMethod: 'chargeControl', billable: true, requestClass: 'command', summary: 'Start or stop charging',
  schema: {
    body: { type: 'object', properties: { action: enumOf('START', 'STOP') }, required: ['action'] },
    response: ok(ACTION_SCHEMA),
  },
  async handle({ connector, ctx, body }) {
    const r = await connector.chargeControl!(ctx, (body as { action: 'START' | 'STOP' }).action);
    return { body: ACTION_OK, woke: r.woke };
  },
};
