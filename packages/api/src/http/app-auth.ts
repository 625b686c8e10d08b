import { ApiError, safeEqual, sha256 } from '@opencar/core';
import type { App } from '@opencar/storage';
import type { AppLookup } from '../deps.js';
import { basicCredentials } from './credentials.js';

/** Compatibility API auth: `Basic base64(client_id:client_secret)`. */
export async function authenticateClient(accounts: AppLookup, authorization: string | undefined): Promise<App> {
  const creds = basicCredentials(authorization);
  const app = creds ? await accounts.getApp(creds.user) : undefined;
  if (!creds || !app || !safeEqual(sha256(creds.pass), app.clientSecretHash)) {
    throw new ApiError('AUTHENTICATION', { description: 'Send the client credentials as `Authorization: Basic base64(client_id:client_secret)`.' });
  }
  return app;
}

/** Management API auth: `Basic base64("default:" + application management token)`. */
export async function authenticateManagement(accounts: AppLookup, authorization: string | undefined): Promise<App> {
  const creds = basicCredentials(authorization);
  const app = creds && creds.user === 'default' && creds.pass ? await accounts.findAppByAmtHash(sha256(creds.pass)) : undefined;
  if (!app) throw new ApiError('AUTHENTICATION', { description: 'Send the management token as `Authorization: Basic base64("default:" + token)`.' });
  return app;
}
