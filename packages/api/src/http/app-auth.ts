import { ApiError, parseBasic, safeEqual, sha256 } from '@opencar/core';
import { appFromAmt } from '@opencar/metering';
import type { App } from '@opencar/storage';
import type { AppLookup } from '../deps.js';

/** Compatibility API auth: `Basic base64(client_id:client_secret)`. */
export async function authenticateClient(accounts: AppLookup, authorization: string | undefined): Promise<App> {
  const creds = parseBasic(authorization);
  const app = creds ? await accounts.getApp(creds.user) : undefined;
  if (!creds || !app || !safeEqual(sha256(creds.pass), app.clientSecretHash)) {
    throw new ApiError('AUTHENTICATION', { description: 'Send the client credentials as `Authorization: Basic base64(client_id:client_secret)`.' });
  }
  return app;
}

/**
 * The application management token, read by the one AMT parser: `Basic base64("default:" + token)`
 * (management API, as the SDK sends it) or `Bearer <token>` (disconnect, webhook unsubscribe).
 */
export async function authenticateManagement(accounts: AppLookup, authorization: string | undefined, description?: string): Promise<App> {
  try {
    return await appFromAmt(accounts, authorization);
  } catch (err) {
    if (err instanceof ApiError && err.type === 'AUTHENTICATION') {
      throw new ApiError('AUTHENTICATION', { description: description ?? 'Send the management token as `Authorization: Basic base64("default:" + token)`.' });
    }
    throw err;
  }
}
