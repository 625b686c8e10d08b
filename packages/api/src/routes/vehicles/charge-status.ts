import { bool, enumOf, obj } from '../../http/schema.js';
import { readRoute } from './read-route.js';

/** #11 `GET /vehicles/{id}/charge`. */
export const chargeStatus = readRoute({
  name: 'charge', path: '/charge', permission: 'read_charge', capability: 'charge', method: 'chargeStatus',
  response: obj({ isPluggedIn: bool, state: enumOf('CHARGING', 'FULLY_CHARGED', 'NOT_CHARGING') }),
  summary: 'EV charging status',
});
