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
  app.addHook('onRequest', async (req) => {
    const url = req.routeOptions.url;
    if (!url || !VEHICLE_ROUTE.test(url)) return;
    const id = (req.params as { id?: string }).id ?? '';
    if (!isVehicleId(id)) {
      throw new ApiError('VALIDATION', { description: 'The vehicle id in the path must be a UUID.', detail: [{ field: 'id', message: 'must be a UUID' }] });
    }
  });
}
