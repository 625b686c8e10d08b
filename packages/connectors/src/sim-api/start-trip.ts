import type { FastifyInstance } from 'fastify';
import { appFromBasic, ownedVehicle } from './auth.js';
import type { SimApiDeps } from './deps.js';
import { SECURITY, TAGS, VEHICLE_PARAMS } from './schemas.js';
import { startTrip } from './service.js';

/** `POST /simulator/vehicles/:vehicleId/trip`: drive from the current position along a route. */
export function startTripRoute(app: FastifyInstance, deps: SimApiDeps): void {
  app.post('/simulator/vehicles/:vehicleId/trip', {
    schema: {
      tags: TAGS, summary: 'Start a trip along a route ([[latitude, longitude], …]) at a speed', security: SECURITY, params: VEHICLE_PARAMS,
      body: {
        type: 'object', required: ['route'], additionalProperties: false,
        properties: {
          route: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'number' } } },
          speedKmh: { type: 'number', exclusiveMinimum: 0, maximum: 250 },
        },
      },
    },
  }, async (req) => {
    const appId = await appFromBasic(deps, req.headers.authorization);
    const id = await ownedVehicle(deps, appId, (req.params as { vehicleId: string }).vehicleId);
    const body = req.body as { route: [number, number][]; speedKmh?: number };
    return startTrip(deps.simulator, id, body.route, body.speedKmh ?? 50);
  });
}
