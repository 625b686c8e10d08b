import { ApiError } from '@opencar/core';
import type { AccessContext } from '@opencar/oauth';
import type { ApiDeps } from '../deps.js';
import { bearerToken } from '../http/credentials.js';

/** Step 1–2: bearer token → verified access context (AUTHENTICATION otherwise). */
export async function authenticate(deps: Pick<ApiDeps, 'grants'>, authorization: string | undefined): Promise<AccessContext> {
  const token = bearerToken(authorization);
  if (!token) throw new ApiError('AUTHENTICATION', { description: 'Send an access token as `Authorization: Bearer <token>`.' });
  const access = await deps.grants.verifyAccessToken(token);
  if (!access) throw new ApiError('AUTHENTICATION', { description: 'The access token is invalid, expired or revoked.' });
  return access;
}
