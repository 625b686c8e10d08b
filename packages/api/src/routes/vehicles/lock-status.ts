import { arr, bool, enumOf, obj, str } from '../../http/schema.js';
import { readRoute } from './read-route.js';

const items = arr(obj({ type: str, status: enumOf('OPEN', 'CLOSED', 'UNKNOWN', 'LOCKED', 'UNLOCKED') }));

/** #17 `GET /vehicles/{id}/security`: exactly six keys (wire-contract §5.4). */
export const lockStatus = readRoute({
  name: 'lockStatus', path: '/security', permission: 'read_security', capability: 'lock_status', method: 'lockStatus',
  response: obj({ isLocked: bool, doors: items, windows: items, sunroof: items, storage: items, chargingPort: items }),
  summary: 'Lock status',
});
