import { batteryCapacityUrl } from '@opencar/oauth';
import type { NominalCapacity } from '@opencar/connectors';
import { arr, enumOf, nullable, num, obj, str } from '../../http/schema.js';
import { fromReading, type VehicleRoute } from '../../route-spec.js';
import { readRoute } from './read-route.js';

const base = readRoute({
  name: 'nominalCapacity', path: '/battery/nominal_capacity', permission: 'read_battery', capability: 'nominal_capacity',
  method: 'nominalCapacity',
  response: obj({
    availableCapacities: arr(obj({ capacity: nullable(num), description: nullable(str) })),
    capacity: { ...obj({ nominal: num, source: enumOf('USER_SELECTED', 'SMARTCAR') }), type: ['object', 'null'] },
    url: nullable(str),
  }),
  summary: 'EV nominal battery capacity',
  description: 'When the capacity is not known, `url` is a Connect link (valid 30 days) where the owner picks it; append `redirect_uri`.',
});

/**
 * #10 `GET /vehicles/{id}/battery/nominal_capacity`: candidate capacities and the selected one; when
 * none is known, `url` carries the signed battery-capacity link for the owner (wire-contract §2.4).
 */
export const nominalCapacity: VehicleRoute = {
  ...base,
  async handle({ deps, access, vehicleId, connector, ctx }) {
    const reading = await connector.nominalCapacity!(ctx);
    const value: NominalCapacity = reading.value.capacity === null && reading.value.url === null && deps.secretKey
      ? { ...reading.value, url: batteryCapacityUrl(deps.config.publicUrl, deps.secretKey, access.appId, vehicleId, deps.clock.now()) }
      : reading.value;
    return fromReading({ ...reading, value });
  },
};
