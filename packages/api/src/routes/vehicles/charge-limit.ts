import { num, obj } from '../../http/schema.js';
import { readRoute } from './read-route.js';

/** #13 `GET /vehicles/{id}/charge/limit`: fraction 0–1. */
export const chargeLimit = readRoute({
  name: 'getChargeLimit', path: '/charge/limit', permission: 'read_charge', capability: 'charge_limit', method: 'chargeLimit',
  response: obj({ limit: num }), summary: 'EV charge limit',
});
