import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import { compatibleVehiclesRoute } from './list.js';
import { compatibleVehicleByVinRoute } from './by-vin.js';

/** Compatibility v3: Smartcar's public list and opencar's per-VIN extension. */
export function compatibilityV3Routes(app: FastifyInstance, deps: ApiDeps): void {
  compatibleVehiclesRoute(app, deps);
  compatibleVehicleByVinRoute(app, deps);
}
