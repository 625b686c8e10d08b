import { STATUS_SCHEMA, ok } from '../../http/schema.js';
import type { VehicleRoute } from '../../route-spec.js';

/**
 * #24 `DELETE /vehicles/{id}/application`: revokes this app's connection to the vehicle at once.
 * With the vehicle's access token: that owner's connection; with the application management token:
 * every owner's connection of the app to the vehicle. Free.
 */
export const disconnect: VehicleRoute = {
  name: 'disconnect', method: 'DELETE', path: '/application', permission: null, managementToken: true,
  billable: false, requestClass: 'free', summary: 'Disconnect the vehicle from the application',
  schema: { response: ok(STATUS_SCHEMA) },
  async handle({ deps, access, vehicleId }) {
    // The management token speaks for the app: every owner's connection to this vehicle goes.
    const scope = access.viaManagementToken ? { vehicleId } : { userId: access.userId, vehicleId };
    await deps.grants.deleteConnections(access.appId, scope);
    return { body: { status: 'success' } };
  },
};
