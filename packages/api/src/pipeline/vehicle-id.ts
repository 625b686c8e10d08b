import type { FastifyInstance } from 'fastify';
import { ApiError } from '@opencar/core';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VEHICLE_ROUTE = /^\/(v2\.0|v3)\/vehicles\/:id(\/|$)/;

/** Whether a vehicle id is well formed (every vehicle id is a UUID). */
export const isVehicleId = (id: string): boolean => UUID.test(id);

/**
 * A vehicle id that is not a UUID can name no vehicle: every v2.0 and v3 vehicle route answers
 * 400 VALIDATION before anything else, as Smartcar does. A well-formed unknown id goes on to the
 * pipeline and keeps its own error.
 */
export function rejectMalformedVehicleIds(app: FastifyInstance): void {
  // Callback-style: no promise per request on the hot path.
  app.addHook('onRequest', (req, _reply, done) => {
    const url = req.routeOptions.url;
    if (url && VEHICLE_ROUTE.test(url) && !isVehicleId((req.params as { id?: string }).id ?? '')) {
      done(new ApiError('VALIDATION', { description: 'The vehicle id in the path must be a UUID.', detail: [{ field: 'id', message: 'must be a UUID' }] }));
      return;
    }
    done();
  });
}
