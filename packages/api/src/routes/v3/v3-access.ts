import type { FastifyRequest } from 'fastify';
import { ApiError } from '@opencar/core';
import type { AccessContext, AppAccess } from '@opencar/oauth';
import type { ApiDeps } from '../../deps.js';
import { guardedBearer } from '../../pipeline/authenticate.js';
import { bearerToken } from '../../http/credentials.js';
import { openVehicle } from '../../pipeline/vehicle-access.js';
import { requestedWake } from '../../http/wake.js';

/** Who calls the v3 API: an owner's access token (v2 Connect, the Node SDK) or the app itself (client credentials). */
export type V3Caller = { kind: 'user'; access: AccessContext } | { kind: 'app'; app: AppAccess };

type Deps = Pick<ApiDeps, 'grants' | 'throttle'>;

/** Bearer token → caller; either kind of token is accepted (AUTHENTICATION otherwise). */
export async function authenticateV3(deps: Deps, req: FastifyRequest): Promise<V3Caller> {
  const token = bearerToken(req.headers.authorization);
  if (!token) throw new ApiError('AUTHENTICATION', { description: 'Send an access token as `Authorization: Bearer <token>`.' });
  return guardedBearer<V3Caller>(deps, req, async () => {
    const access = await deps.grants.verifyAccessToken(token);
    if (access) return { kind: 'user', access };
    const app = await deps.grants.verifyAppToken?.(token);
    return app ? { kind: 'app', app } : undefined;
  });
}

/** The `sc-user-id` header, when sent once and not empty. */
export function scUserId(req: FastifyRequest): string | undefined {
  const v = req.headers['sc-user-id'];
  if (Array.isArray(v)) throw new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description: 'Send sc-user-id once.' });
  return v && v.trim() ? v.trim() : undefined;
}

export const appId = (caller: V3Caller) => (caller.kind === 'user' ? caller.access.appId : caller.app.appId);

const notConnected = () => new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'No vehicle with this id is connected to this application for this user.' });

/**
 * The access a v3 call has to one vehicle. An owner's token already names its user; an application
 * token reaches the vehicle through its connection to the app, and for signal reads and commands
 * (`needsUser`) the connection of the user named in `sc-user-id` (missing: VALIDATION:MISSING_PARAMETER).
 * The permissions are those that connection was granted.
 */
export async function vehicleAccessV3(deps: Deps, req: FastifyRequest, caller: V3Caller, vehicleId: string, needsUser: boolean): Promise<AccessContext> {
  const userId = scUserId(req);
  if (caller.kind === 'user') {
    if (userId !== undefined && userId !== caller.access.userId) throw notConnected();
    return caller.access;
  }
  if (needsUser && userId === undefined) {
    throw new ApiError('VALIDATION:MISSING_PARAMETER', { description: 'The sc-user-id header is required with an application token: send the user_id Connect returned.' });
  }
  const filter = userId === undefined ? { vehicleId } : { vehicleId, userId };
  const { connections } = await deps.grants.listConnections(caller.app.appId, filter, { limit: 1 });
  const c = connections[0];
  if (!c) throw notConnected();
  return {
    tokenId: caller.app.tokenId, grantId: c.grantId, appId: c.appId, userId: c.userId, mode: c.mode,
    permissions: new Set(c.permissions), vehicleIds: [vehicleId], expiresAt: caller.app.expiresAt,
  };
}

/**
 * The common start of a v3 vehicle call: caller, ledger state, the caller's access to this vehicle
 * (`needsUser`: `sc-user-id` with an application token), the connector and its capabilities.
 */
export async function openV3Vehicle(deps: Pick<ApiDeps, 'grants' | 'throttle' | 'backend' | 'clock'>, req: FastifyRequest, endpoint: string, needsUser: boolean) {
  const caller = await authenticateV3(deps, req);
  const vehicleId = (req.params as { id: string }).id;
  const call = { appId: appId(caller), userId: null as string | null, vehicleId, endpoint, units: 1, requestClass: 'data' as 'data' | 'command', woke: false };
  req.apiCall = call;
  const access = await vehicleAccessV3(deps, req, caller, vehicleId, needsUser);
  call.userId = access.userId;
  const { connector, ctx } = await openVehicle(deps, access, vehicleId, 'metric', requestedWake(req.headers['sc-allow-wake']));
  return { access, vehicleId, connector, ctx, caps: await connector.capabilities(ctx) };
}
