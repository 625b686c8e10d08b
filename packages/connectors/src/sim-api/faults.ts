import type { FastifyInstance } from 'fastify';
import { appFromBasic, ownedVehicle } from './auth.js';
import type { SimApiDeps } from './deps.js';
import { SECURITY, TAGS, VEHICLE_PARAMS } from './schemas.js';
import { setFault } from './service.js';

/** `POST /simulator/vehicles/:vehicleId/faults`: the next `count` vehicle calls fail with a catalogue error. */
export function faultsRoute(app: FastifyInstance, deps: SimApiDeps): void {
  app.post('/simulator/vehicles/:vehicleId/faults', {
    schema: {
      tags: TAGS, summary: 'Make the next N vehicle calls fail with an error of the catalogue (e.g. VEHICLE_STATE:ASLEEP); count 0 clears', security: SECURITY, params: VEHICLE_PARAMS,
      body: { type: 'object', required: ['error'], additionalProperties: false, properties: { error: { type: 'string', pattern: '^[A-Z_]+(:[A-Z_]+)?$' }, count: { type: 'integer', minimum: 0, maximum: 10000 } } },
    },
  }, async (req) => {
    const appId = await appFromBasic(deps, req);
    const id = await ownedVehicle(deps, appId, (req.params as { vehicleId: string }).vehicleId);
    const body = req.body as { error: string; count?: number };
    return setFault(deps.simulator, id, body.error, body.count ?? 1);
  });
}
