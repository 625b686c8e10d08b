import { arr, enumOf, nullable, num, obj, str } from '../../http/schema.js';
import { readRoute } from './read-route.js';

/** #10 `GET /vehicles/{id}/battery/nominal_capacity`: candidate capacities and the selected one. */
export const nominalCapacity = readRoute({
  name: 'nominalCapacity', path: '/battery/nominal_capacity', permission: 'read_battery', capability: 'nominal_capacity',
  method: 'nominalCapacity',
  response: obj({
    availableCapacities: arr(obj({ capacity: nullable(num), description: nullable(str) })),
    capacity: { ...obj({ nominal: num, source: enumOf('USER_SELECTED', 'SMARTCAR') }), type: ['object', 'null'] },
    url: nullable(str),
  }),
  summary: 'EV nominal battery capacity',
});
