import { num, obj } from '../../http/schema.js';
import { readRoute } from './read-route.js';

/** #8 `GET /vehicles/{id}/battery`: state of charge (0–1) and electric range. */
export const battery = readRoute({
  name: 'battery', path: '/battery', permission: 'read_battery', capability: 'battery', method: 'battery',
  response: obj({ range: num, percentRemaining: num }), units: { range: 'distance' }, summary: 'EV battery level',
});
