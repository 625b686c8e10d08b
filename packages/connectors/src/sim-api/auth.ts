import { ApiError, credentialLocked, parseBasic, safeEqual, SECRET_POLICY, sha256, type CredentialSource } from '@opencar/core';
import type { SimApiDeps } from './deps.js';

/**
 * HTTP Basic `client_id:client_secret` of an app; returns the app id or throws 401 AUTHENTICATION
 * (429 RATE_LIMIT:AUTHENTICATION after too many failed checks, counted with the token endpoint's).
 */
export async function appFromBasic(deps: SimApiDeps, req: CredentialSource): Promise<string> {
  const creds = parseBasic(req.headers.authorization);
  const denied = new ApiError('AUTHENTICATION', { description: 'Send the client credentials of the app as `Authorization: Basic base64(client_id:client_secret)`.' });
  if (!creds?.user) throw denied;
  const checked = await deps.throttle.guard({ kind: 'client', credential: creds.user, address: req.ip }, SECRET_POLICY, async () => {
    const app = await deps.accounts.getApp(creds.user);
    return app && safeEqual(sha256(creds.pass), app.clientSecretHash) ? app.id : undefined;
  });
  if (checked.ok) return checked.value;
  throw checked.retryAfterMs > 0 ? credentialLocked(checked.retryAfterMs) : denied;
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
