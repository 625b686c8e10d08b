import { num, obj } from '../../http/schema.js';
import { readRoute } from './read-route.js';

/** #6 `GET /vehicles/{id}/odometer`: km, or miles under imperial. */
export const odometer = readRoute({
  name: 'odometer', path: '/odometer', permission: 'read_odometer', capability: 'odometer', method: 'odometer',
  response: obj({ distance: num }), units: { distance: 'distance' }, summary: 'Odometer reading',
});
