import { ok, obj, str } from '../../http/schema.js';
import type { VehicleRoute } from '../../route-spec.js';

/** #4 `GET /vehicles/{id}/vin`. */
export const vin: VehicleRoute = {
  name: 'vin', method: 'GET', path: '/vin', permission: 'read_vin', capability: 'vin',
  billable: true, requestClass: 'data', summary: 'Vehicle identification number',
  schema: { response: ok(obj({ vin: str })) },
  async handle({ connector, ctx }) {
    return { body: { vin: (await connector.identity(ctx)).vin } };
  },
};
