import { ok, num, obj, str } from '../../http/schema.js';
import type { VehicleRoute } from '../../route-spec.js';

/** #3 `GET /vehicles/{id}`: make (upper case), model and year. Identity is static: no data age. */
export const attributes: VehicleRoute = {
  name: 'attributes', method: 'GET', path: '', permission: 'read_vehicle_info', capability: 'attributes',
  billable: true, requestClass: 'data', summary: 'Vehicle attributes',
  schema: { response: ok(obj({ id: str, make: str, model: str, year: num })) },
  async handle({ connector, ctx, vehicleId }) {
    const id = await connector.identity(ctx);
    return { body: { id: vehicleId, make: id.make.toUpperCase(), model: id.model, year: id.year } };
  },
};
