import type { FastifyInstance } from 'fastify';
import type { StatePatch } from '../sim/control.js';
import { appFromBasic, ownedVehicle } from './auth.js';
import type { SimApiDeps } from './deps.js';
import { SECURITY, STATE_BODY, TAGS, VEHICLE_PARAMS } from './schemas.js';
import { updateState } from './service.js';

/** `PATCH /simulator/vehicles/:vehicleId/state`: plug in/out, SoC, location, closures, sleep/wake, remote access … */
export function setStateRoute(app: FastifyInstance, deps: SimApiDeps): void {
  app.patch('/simulator/vehicles/:vehicleId/state', {
    schema: { tags: TAGS, summary: 'Change the state of a simulated vehicle (events fire as a real car would send them)', security: SECURITY, params: VEHICLE_PARAMS, body: STATE_BODY },
  }, async (req) => {
    const appId = await appFromBasic(deps, req);
    const id = await ownedVehicle(deps, appId, (req.params as { vehicleId: string }).vehicleId);
    return updateState(deps.simulator, id, req.body as StatePatch);
  });
}
