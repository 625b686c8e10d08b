import { num, obj } from '../../http/schema.js';
import { readRoute } from './read-route.js';

/** #5 `GET /vehicles/{id}/location`: degrees, never converted. */
export const location = readRoute({
  name: 'location', path: '/location', permission: 'read_location', capability: 'location', method: 'location',
  response: obj({ latitude: num, longitude: num }), summary: 'Vehicle location',
});
