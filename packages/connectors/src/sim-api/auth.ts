import { ApiError, safeEqual, sha256 } from '@opencar/core';
import type { SimApiDeps } from './deps.js';

/** HTTP Basic `client_id:client_secret` of an app; returns the app id or throws 401 AUTHENTICATION. */
export async function appFromBasic(deps: SimApiDeps, header: string | undefined): Promise<string> {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
  const i = decoded.indexOf(':');
  if (i > 0) {
    const app = await deps.accounts.getApp(decoded.slice(0, i));
    if (app && safeEqual(sha256(decoded.slice(i + 1)), app.clientSecretHash)) return app.id;
  }
  throw new ApiError('AUTHENTICATION', { description: 'Send the client credentials of the app as `Authorization: Basic base64(client_id:client_secret)`.' });
}

/** The vehicle, if connected to the app; 404 otherwise (other apps' vehicles are invisible). */
export async function ownedVehicle(deps: SimApiDeps, appId: string, vehicleId: string): Promise<string> {
  const ids = await deps.vehicleIdsOfApp(appId);
  if (!ids.includes(vehicleId)) throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: `No simulated vehicle ${vehicleId} is connected to this application.` });
  return vehicleId;
}
