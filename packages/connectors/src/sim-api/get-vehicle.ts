import type { FastifyInstance } from 'fastify';
import { appFromBasic, ownedVehicle } from './auth.js';
import type { SimApiDeps } from './deps.js';
import { SECURITY, TAGS, VEHICLE_PARAMS } from './schemas.js';
import { getVehicle } from './service.js';

/** `GET /simulator/vehicles/:vehicleId`: one vehicle's state, clock, trip and injected fault. */
export function getVehicleRoute(app: FastifyInstance, deps: SimApiDeps): void {
  app.get('/simulator/vehicles/:vehicleId', {
    schema: { tags: TAGS, summary: 'State of one simulated vehicle', security: SECURITY, params: VEHICLE_PARAMS },
  }, async (req) => {
    const appId = await appFromBasic(deps, req);
    const id = await ownedVehicle(deps, appId, (req.params as { vehicleId: string }).vehicleId);
    return getVehicle(deps.simulator, id);
  });
}
