import { ApiError, credentialLocked, parseBasic, safeEqual, SECRET_POLICY, sha256, type CredentialSource } from '@opencar/core';
import { appFromAmt } from '@opencar/metering';
import type { App } from '@opencar/storage';
import type { ApiDeps } from '../deps.js';

type AuthDeps = Pick<ApiDeps, 'accounts' | 'throttle'>;

/** Compatibility API auth: `Basic base64(client_id:client_secret)`, throttled like the token endpoint's. */
export async function authenticateClient(deps: AuthDeps, req: CredentialSource): Promise<App> {
  const creds = parseBasic(req.headers.authorization);
  const denied = new ApiError('AUTHENTICATION', { description: 'Send the client credentials as `Authorization: Basic base64(client_id:client_secret)`.' });
  if (!creds) throw denied;
  const checked = await deps.throttle.guard({ kind: 'client', credential: creds.user, address: req.ip }, SECRET_POLICY, async () => {
    const app = await deps.accounts.getApp(creds.user);
    return app && safeEqual(sha256(creds.pass), app.clientSecretHash) ? app : undefined;
  });
  if (checked.ok) return checked.value;
  throw checked.retryAfterMs > 0 ? credentialLocked(checked.retryAfterMs) : denied;
}

/**
 * The application management token, read by the one AMT parser: `Basic base64("default:" + token)`
 * (management API, as the SDK sends it) or `Bearer <token>` (disconnect, webhook unsubscribe).
 */
export async function authenticateManagement(deps: AuthDeps, req: CredentialSource, description?: string): Promise<App> {
  try {
    return await appFromAmt(deps, req);
  } catch (err) {
    if (err instanceof ApiError && err.type === 'AUTHENTICATION') {
      throw new ApiError('AUTHENTICATION', { description: description ?? 'Send the management token as `Authorization: Basic base64("default:" + token)`.' });
    }
    throw err;
  }
}
