import { STATUS_SCHEMA, ok } from '../../http/schema.js';
import type { VehicleRoute } from '../../route-spec.js';

/**
 * #24 `DELETE /vehicles/{id}/application`: revokes this app's connection to the vehicle at once.
 * Takes the vehicle's access token or the application management token. Free.
 */
export const disconnect: VehicleRoute = {
  name: 'disconnect', method: 'DELETE', path: '/application', permission: null, managementToken: true,
  billable: false, requestClass: 'free', summary: 'Disconnect the vehicle from the application',
  schema: { response: ok(STATUS_SCHEMA) },
  async handle({ deps, access, vehicleId }) {
    await deps.grants.deleteConnections(access.appId, { userId: access.userId, vehicleId });
    return { body: { status: 'success' } };
  },
};
