import { parseBasic, sha256, type CredentialSource } from '@opencar/core';
import type { AccessContext } from '@opencar/oauth';
import type { ApiDeps } from '../deps.js';
import { bearerToken } from '../http/credentials.js';
import { guardedBearer } from './authenticate.js';

/**
 * For endpoints that also take the application management token as a bearer token (disconnect):
 * an access token is tried first; otherwise a valid AMT acts for the app itself (not for one owner)
 * on a vehicle it has any connection to, with no data permissions. Both count as one credential
 * check for the throttle: a management token is no failed access token.
 */
export async function authenticateWithManagementToken(deps: ApiDeps, req: CredentialSource, vehicleId: string): Promise<AccessContext> {
  const token = bearerToken(req.headers.authorization) ?? (parseBasic(req.headers.authorization)?.user === 'default' ? parseBasic(req.headers.authorization)!.pass : undefined);
  return guardedBearer(deps, req, async () => {
    if (!token) return undefined;
    const access = await deps.grants.verifyAccessToken(token);
    if (access) return access;
    const app = await deps.accounts.findAppByAmtHash(sha256(token));
    if (!app) return undefined;
    const { connections } = await deps.grants.listConnections(app.id, { vehicleId }, { limit: 1 });
    const c = connections[0];
    return {
      tokenId: '', grantId: '', appId: app.id, userId: '', mode: c?.mode ?? 'live', viaManagementToken: true,
      permissions: new Set<string>(), vehicleIds: c ? [vehicleId] : [], expiresAt: Number.MAX_SAFE_INTEGER,
    } satisfies AccessContext;
  });
}
