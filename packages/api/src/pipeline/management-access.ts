import { ApiError } from '@opencar/core';
import type { AccessContext } from '@opencar/oauth';
import type { ApiDeps } from '../deps.js';
import { authenticateManagement } from '../http/app-auth.js';
import { authenticate } from './authenticate.js';

/**
 * For endpoints that also take the application management token as a bearer token (disconnect):
 * an access token is tried first; otherwise a valid AMT acts for the app itself (not for one owner)
 * on a vehicle it has any connection to, with no data permissions.
 */
export async function authenticateWithManagementToken(deps: ApiDeps, authorization: string | undefined, vehicleId: string): Promise<AccessContext> {
  try {
    return await authenticate(deps, authorization);
  } catch (err) {
    // Neither an access token nor a management token: the access-token error stands; storage errors propagate.
    const app = await authenticateManagement(deps.accounts, authorization).catch((amtErr: unknown) => {
      if (amtErr instanceof ApiError && amtErr.type === 'AUTHENTICATION') return undefined;
      throw amtErr;
    });
    if (!app) throw err;
    const { connections } = await deps.grants.listConnections(app.id, { vehicleId }, { limit: 1 });
    const c = connections[0];
    return {
      tokenId: '', grantId: '', appId: app.id, userId: '', mode: c?.mode ?? 'live', viaManagementToken: true,
      permissions: new Set(), vehicleIds: c ? [vehicleId] : [], expiresAt: Number.MAX_SAFE_INTEGER,
    };
  }
}
