import type { FastifyInstance } from 'fastify';
import { appFromBasic, controllableIds } from './auth.js';
import type { SimApiDeps } from './deps.js';
import { SECURITY, TAGS } from './schemas.js';
import { listVehicles } from './service.js';

/** `GET /simulator/vehicles`: the app's connected simulated vehicles with their current state. */
export function listVehiclesRoute(app: FastifyInstance, deps: SimApiDeps): void {
  app.get('/simulator/vehicles', {
    schema: { tags: TAGS, summary: 'List the simulated vehicles connected to the app, with state and clock', security: SECURITY },
  }, async (req) => {
    const appId = await appFromBasic(deps, req);
    return { vehicles: await listVehicles(deps.simulator, await controllableIds(deps, appId)) };
  });
}
