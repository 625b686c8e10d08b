import { ApiError, credentialLocked, SECRET_POLICY, type CredentialSource } from '@opencar/core';
import type { AccessContext } from '@opencar/oauth';
import type { ApiDeps } from '../deps.js';
import { bearerToken } from '../http/credentials.js';

type AuthDeps = Pick<ApiDeps, 'grants' | 'throttle'>;

/**
 * Runs a bearer-token check behind the credential throttle (per client address: a token names no
 * account); 429 RATE_LIMIT:AUTHENTICATION once the address is locked, AUTHENTICATION otherwise.
 */
export function guardedBearer<T>(deps: Pick<ApiDeps, 'throttle'>, req: CredentialSource, check: () => Promise<T | undefined>): Promise<T> {
  return deps.throttle.guard({ kind: 'token', address: req.ip }, SECRET_POLICY, check).then((checked) => {
    if (checked.ok) return checked.value;
    if (checked.retryAfterMs > 0) throw credentialLocked(checked.retryAfterMs);
    throw new ApiError('AUTHENTICATION', { description: bearerToken(req.headers.authorization) ? 'The access token is invalid, expired or revoked.' : 'Send an access token as `Authorization: Bearer <token>`.' });
  });
}

/** Step 1–2: bearer token → verified access context (AUTHENTICATION otherwise). The promise itself: no async layer. */
export function authenticate(deps: AuthDeps, req: CredentialSource): Promise<AccessContext> {
  const token = bearerToken(req.headers.authorization);
  if (!token) return Promise.reject(new ApiError('AUTHENTICATION', { description: 'Send an access token as `Authorization: Bearer <token>`.' }));
  return guardedBearer(deps, req, () => deps.grants.verifyAccessToken(token));
}
