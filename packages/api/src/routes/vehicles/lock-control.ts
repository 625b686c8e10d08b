import { ACTION_SCHEMA, enumOf, ok } from '../../http/schema.js';
import { ACTION_OK, type VehicleRoute } from '../../route-spec.js';

/** #18 `POST /vehicles/{id}/security` `{"action":"LOCK"|"UNLOCK"}`. */
export const lockControl: VehicleRoute = {
  name: 'lockControl', method: 'POST', path: '/security', permission: 'control_security', capability: 'lock_control',
  connectorMethod: 'lockControl', billable: true, requestClass: 'command', summary: 'Lock or unlock the doors',
  schema: {
    body: { type: 'object', properties: { action: enumOf('LOCK', 'UNLOCK') }, required: ['action'] },
    response: ok(ACTION_SCHEMA),
  },
  async handle({ connector, ctx, body }) {
    const r = await connector.lockControl!(ctx, (body as { action: 'LOCK' | 'UNLOCK' }).action);
    return { body: ACTION_OK, woke: r.woke };
  },
};
