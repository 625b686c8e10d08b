import type { FastifyInstance } from 'fastify';
import type { SimApiDeps } from './deps.js';
import { listVehiclesRoute } from './list-vehicles.js';
import { getVehicleRoute } from './get-vehicle.js';
import { setStateRoute } from './set-state.js';
import { startTripRoute } from './start-trip.js';
import { clockRoute } from './clock.js';
import { fleetClockRoute } from './fleet-clock.js';
import { faultsRoute } from './faults.js';
import { scenarioRoute } from './scenario.js';
import { chargingSessionsRoute } from './charging-sessions.js';
import { addVehicleRoute } from './add-vehicle.js';

export type { SimApiDeps } from './deps.js';

/** The simulator control API (tag Simulator), authenticated with the app's client credentials. */
export function simulatorApi(deps: SimApiDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    listVehiclesRoute(app, deps);
    addVehicleRoute(app, deps);
    getVehicleRoute(app, deps);
    setStateRoute(app, deps);
    startTripRoute(app, deps);
    clockRoute(app, deps);
    fleetClockRoute(app, deps);
    faultsRoute(app, deps);
    scenarioRoute(app, deps);
    chargingSessionsRoute(app, deps);
  };
}
