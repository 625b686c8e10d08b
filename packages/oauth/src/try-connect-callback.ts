import { OAuthRepo, type App, type Storage } from '@opencar/storage';
import type { Clock } from '@opencar/core';
import { authorizationCodeGrant } from './token/authorization-code.js';
import type { TokenResponse } from './tokens.js';

/** Where the dashboard's Try Connect lands: a redirect URI Connect accepts for every app, on this server. */
export const tryConnectCallbackPath = (appId: string): string => `/dashboard/apps/${encodeURIComponent(appId)}/try-connect/callback`;

export const tryConnectCallbackUri = (publicUrl: string, appId: string): string => publicUrl + tryConnectCallbackPath(appId);

/**
 * Exchanges an authorization code for the app inside the server (the dashboard's Try Connect, whose
 * developer is signed in and owns the app): the same checks as POST /oauth/token with
 * grant_type=authorization_code (single use, expiry, redirect URI, PKCE), without the client secret,
 * which the server keeps only as a hash.
 */
export function exchangeCodeInServer(storage: Storage, clock: Clock, app: App, input: { code: string; redirectUri: string; codeVerifier: string }, onRevoke: () => void): Promise<TokenResponse> {
  return authorizationCodeGrant(new OAuthRepo(storage.db), clock, app, { code: input.code, redirect_uri: input.redirectUri, code_verifier: input.codeVerifier }, onRevoke);
}
