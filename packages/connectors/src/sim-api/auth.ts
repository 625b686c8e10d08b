import { ApiError, parseBasic, safeEqual, sha256 } from '@opencar/core';
import type { SimApiDeps } from './deps.js';

/** HTTP Basic `client_id:client_secret` of an app; returns the app id or throws 401 AUTHENTICATION. */
export async function appFromBasic(deps: SimApiDeps, header: string | undefined): Promise<string> {
  const creds = parseBasic(header);
  if (creds?.user) {
    const app = await deps.accounts.getApp(creds.user);
    if (app && safeEqual(sha256(creds.pass), app.clientSecretHash)) return app.id;
  }
  throw new ApiError('AUTHENTICATION', { description: 'Send the client credentials of the app as `Authorization: Basic base64(client_id:client_secret)`.' });
}

/**
 * Vehicles of the app that may be controlled: the simulator's (connected in `simulated` or `test`
 * mode), never a real vehicle connected in live mode.
 */
export async function controllableIds(deps: SimApiDeps, appId: string): Promise<string[]> {
  const ids = await deps.vehicleIdsOfApp(appId);
  const simulated = new Set((await deps.simulator.sim.engine.getMany(ids)).map((s) => s.id));
  return ids.filter((id) => simulated.has(id));
}

/** The vehicle, if it is a simulator vehicle connected to the app; 404 otherwise (other apps' and real vehicles are invisible). */
export async function ownedVehicle(deps: SimApiDeps, appId: string, vehicleId: string): Promise<string> {
  const ids = await deps.vehicleIdsOfApp(appId);
  const s = ids.includes(vehicleId) ? await deps.simulator.sim.engine.get(vehicleId) : undefined;
  if (!s) throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: `No simulated vehicle ${vehicleId} is connected to this application in simulated or test mode.` });
  return vehicleId;
}
