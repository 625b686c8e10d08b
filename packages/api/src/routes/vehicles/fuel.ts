import { nullable, num, obj } from '../../http/schema.js';
import { readRoute } from './read-route.js';

/** #7 `GET /vehicles/{id}/fuel`: range km/mi, amount L/US gal; each may be null. */
export const fuel = readRoute({
  name: 'fuel', path: '/fuel', permission: 'read_fuel', capability: 'fuel', method: 'fuel',
  response: obj({ range: nullable(num), percentRemaining: nullable(num), amountRemaining: nullable(num) }),
  units: { range: 'distance', amountRemaining: 'volume' }, summary: 'Fuel tank level',
});
