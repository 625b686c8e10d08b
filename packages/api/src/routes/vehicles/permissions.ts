import { PAGING_SCHEMA, arr, obj, ok, str } from '../../http/schema.js';
import type { VehicleRoute } from '../../route-spec.js';
import { paging } from '../paging.js';

/** #23 `GET /vehicles/{id}/permissions?limit&offset`: granted names without `required:`; default page 25. Free. */
export const permissions: VehicleRoute = {
  name: 'permissions', method: 'GET', path: '/permissions', permission: null,
  billable: false, requestClass: 'free', summary: 'Permissions granted to the application',
  schema: {
    querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1 }, offset: { type: 'integer', minimum: 0 } } },
    response: ok(obj({ permissions: arr(str), paging: PAGING_SCHEMA })),
  },
  async handle({ access, query }) {
    const all = [...access.permissions].sort();
    const { limit, offset } = paging(query, 25, 100);
    return { body: { permissions: all.slice(offset, offset + limit), paging: { count: all.length, offset } } };
  },
};
