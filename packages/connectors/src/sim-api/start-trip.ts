import type { FastifyInstance } from 'fastify';
import { ApiError } from '@opencar/core';
import { appFromBasic, ownedVehicle } from './auth.js';
import type { SimApiDeps } from './deps.js';
import { POINT, SECURITY, TAGS, VEHICLE_PARAMS } from './schemas.js';
import { startTrip } from './service.js';

/** `POST /simulator/vehicles/:vehicleId/trip`: drive from the current position along a route, or straight to a destination. */
export function startTripRoute(app: FastifyInstance, deps: SimApiDeps): void {
  app.post('/simulator/vehicles/:vehicleId/trip', {
    schema: {
      tags: TAGS, summary: 'Start a trip along a route ([[latitude, longitude], …]) or to a destination, at a speed (default 50 km/h)', security: SECURITY, params: VEHICLE_PARAMS,
      body: {
        type: 'object', additionalProperties: false,
        properties: {
          route: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'number' } } },
          destination: { ...POINT, description: 'Drive straight to this point (instead of a route).' },
          speedKmh: { type: 'number', exclusiveMinimum: 0, maximum: 250 },
        },
      },
    },
  }, async (req) => {
    const appId = await appFromBasic(deps, req);
    const id = await ownedVehicle(deps, appId, (req.params as { vehicleId: string }).vehicleId);
    const body = req.body as { route?: [number, number][]; destination?: { latitude: number; longitude: number }; speedKmh?: number };
    if ((body.route === undefined) === (body.destination === undefined)) {
      throw new ApiError('VALIDATION:PARAMETER', { description: 'Send either `route` or `destination`.' });
    }
    const route = body.route ?? [[body.destination!.latitude, body.destination!.longitude]];
    return startTrip(deps.simulator, id, route, body.speedKmh ?? 50);
  });
}
