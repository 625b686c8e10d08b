import { num, obj } from '../../http/schema.js';
import { readRoute } from './read-route.js';

/** #16 `GET /vehicles/{id}/engine/oil`: remaining oil life (0–1), not the oil level. */
export const engineOil = readRoute({
  name: 'engineOil', path: '/engine/oil', permission: 'read_engine_oil', capability: 'engine_oil', method: 'engineOil',
  response: obj({ lifeRemaining: num }), summary: 'Engine oil life',
});
