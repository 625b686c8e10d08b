import { num, obj } from '../../http/schema.js';
import { readRoute } from './read-route.js';

/** #9 `GET /vehicles/{id}/battery/capacity`: usable capacity in kWh (older endpoint). */
export const batteryCapacity = readRoute({
  name: 'batteryCapacity', path: '/battery/capacity', permission: 'read_battery', capability: 'battery_capacity',
  method: 'batteryCapacity', response: obj({ capacity: num }), summary: 'EV battery capacity',
});
