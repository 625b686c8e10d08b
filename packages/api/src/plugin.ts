import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.js';
import { BATCHABLE_ROUTES, VEHICLE_ROUTES } from './route-table.js';
import { recordCalls } from './pipeline/call-state.js';
import { registerVehicleRoute } from './pipeline/register-vehicle-route.js';
import { rejectMalformedVehicleIds } from './pipeline/vehicle-id.js';
import { userRoute } from './routes/user/user.js';
import { vehiclesRoute } from './routes/user/vehicles.js';
import { batchRoute } from './routes/vehicles/batch.js';
import { brandRoutes } from './routes/brand/brand.js';
import { unsubscribeRoute } from './routes/webhooks/unsubscribe.js';
import { v3Routes } from './routes/v3/signals.js';
import { v3ConnectionRoutes } from './routes/v3/connections.js';
import { v3CommandRoutes } from './routes/v3/commands.js';
import { v3ChargeScheduleRoutes } from './routes/v3/charge-schedules.js';
import { compatibilityByVinRoute } from './routes/compatibility/by-vin.js';
import { compatibilityMatrixRoute } from './routes/compatibility/matrix.js';
import { compatibilityV3Routes } from './routes/compatibility-v3/index.js';
import { managementRoutes } from './routes/management/connections.js';
import { managementV3Routes } from './routes/management-v3/index.js';

/** The vehicle API v2.0 (+ v3 signals), batch, brand endpoints, compatibility and management APIs. */
export function vehicleApi(deps: ApiDeps) {
  return async function vehicleApiPlugin(app: FastifyInstance): Promise<void> {
    app.decorateRequest('vehicleCall', null);
    recordCalls(app, deps);
    rejectMalformedVehicleIds(app);
    vehiclesRoute(app, deps);
    userRoute(app, deps);
    for (const route of VEHICLE_ROUTES) registerVehicleRoute(app, deps, route, route.name === 'subscribe' ? 'Webhooks' : 'Vehicles');
    batchRoute(app, deps, BATCHABLE_ROUTES);
    unsubscribeRoute(app, deps);
    brandRoutes(app, deps);
    v3Routes(app, deps);
    v3ConnectionRoutes(app, deps);
    v3CommandRoutes(app, deps);
    if (deps.chargeSchedules) v3ChargeScheduleRoutes(app, deps, deps.chargeSchedules);
    compatibilityByVinRoute(app, deps, VEHICLE_ROUTES);
    compatibilityMatrixRoute(app, deps, VEHICLE_ROUTES);
    compatibilityV3Routes(app, deps);
    managementRoutes(app, deps);
    if (deps.integrations && deps.appCredentials) managementV3Routes(app, deps, deps.integrations, deps.appCredentials);
  };
}
