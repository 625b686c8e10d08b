import type { FastifyInstance } from 'fastify';
import { appFromBasic, ownedVehicle } from './auth.js';
import type { SimApiDeps } from './deps.js';
import { CLOCK_BODY, SECURITY, TAGS, VEHICLE_PARAMS } from './schemas.js';
import { clockActionOf, moveClock } from './service.js';

/** `POST /simulator/vehicles/:vehicleId/clock`: pause, resume, speed up, or advance instantly (events fire in order). */
export function clockRoute(app: FastifyInstance, deps: SimApiDeps): void {
  app.post('/simulator/vehicles/:vehicleId/clock', {
    schema: { tags: TAGS, summary: 'Pause, resume, speed up or advance the clock of one vehicle', security: SECURITY, params: VEHICLE_PARAMS, body: CLOCK_BODY },
  }, async (req) => {
    const appId = await appFromBasic(deps, req);
    const id = await ownedVehicle(deps, appId, (req.params as { vehicleId: string }).vehicleId);
    return moveClock(deps.simulator, id, clockActionOf(req.body as Parameters<typeof clockActionOf>[0]));
  });
}
