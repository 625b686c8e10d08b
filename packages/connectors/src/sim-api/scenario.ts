import type { FastifyInstance } from 'fastify';
import { SCENARIOS } from '../sim/scenarios.js';
import { appFromBasic, ownedVehicle } from './auth.js';
import type { SimApiDeps } from './deps.js';
import { SECURITY, TAGS, VEHICLE_PARAMS } from './schemas.js';
import { scenario } from './service.js';

/** `POST /simulator/vehicles/:vehicleId/scenario`: a preset situation, set up (and lived through) in one step. */
export function scenarioRoute(app: FastifyInstance, deps: SimApiDeps): void {
  app.post('/simulator/vehicles/:vehicleId/scenario', {
    schema: {
      tags: TAGS, security: SECURITY, params: VEHICLE_PARAMS,
      summary: 'Run a scenario preset: overnight-charge, commute, low-battery, asleep-week or oem-outage',
      description: '`overnight-charge`: 25 %, on the AC wall box, charging, then 10 hours pass. `commute`: an 18 km trip at 50 km/h. '
        + '`low-battery`: 8 % battery and/or 6 % fuel, unplugged. `asleep-week`: asleep, then 7 days pass. '
        + '`oem-outage`: the next 20 calls fail with UPSTREAM:KNOWN_ISSUE. Answers `{view, events, changes}`.',
      body: { type: 'object', required: ['scenario'], additionalProperties: false, properties: { scenario: { type: 'string', enum: [...SCENARIOS] } } },
    },
  }, async (req) => {
    const appId = await appFromBasic(deps, req);
    const id = await ownedVehicle(deps, appId, (req.params as { vehicleId: string }).vehicleId);
    return scenario(deps.simulator, id, (req.body as { scenario: string }).scenario);
  });
}
