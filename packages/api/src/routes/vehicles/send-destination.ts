import { ACTION_SCHEMA, ok } from '../../http/schema.js';
import { ACTION_OK, type VehicleRoute } from '../../route-spec.js';

/** #19 `POST /vehicles/{id}/navigation/destination`: latitude −90…90, longitude −180…180. */
export const sendDestination: VehicleRoute = {
  name: 'sendDestination', method: 'POST', path: '/navigation/destination', permission: 'control_navigation',
  capability: 'navigation', connectorMethod: 'sendDestination', billable: true, requestClass: 'command',
  summary: 'Send a destination to the navigation system',
  schema: {
    body: {
      type: 'object', required: ['latitude', 'longitude'],
      properties: {
        latitude: { type: 'number', minimum: -90, maximum: 90 },
        longitude: { type: 'number', minimum: -180, maximum: 180 },
      },
    },
    response: ok(ACTION_SCHEMA),
  },
  async handle({ connector, ctx, body }) {
    const { latitude, longitude } = body as { latitude: number; longitude: number };
    const r = await connector.sendDestination!(ctx, latitude, longitude);
    return { body: ACTION_OK, woke: r.woke };
  },
};
