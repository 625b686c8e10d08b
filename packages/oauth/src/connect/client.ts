import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAllowedRedirectUri } from '@opencar/core';
import type { App } from '@opencar/storage';
import { dead, type ConnectContext } from './context.js';
import type { QueryReader } from './query.js';
import { tryConnectCallbackUri } from '../try-connect-callback.js';

export interface ResolvedClient {
  app: App;
  redirectUri: string;
  redirectUriGiven: boolean;
}

/**
 * The checks that decide whether Connect may ever redirect: a known client_id, and a redirect_uri
 * that exactly equals one the app registered (the first one when absent), or the dashboard's own
 * Try Connect callback for this app on this server. On failure the owner
 * sees an error page and nothing is sent anywhere, so Connect cannot be used as an open redirect.
 * A repeated client_id or redirect_uri is refused the same way: which copy is meant is unknowable.
 */
export async function resolveClient(ctx: ConnectContext, req: FastifyRequest, reply: FastifyReply, q: QueryReader): Promise<ResolvedClient | undefined> {
  const ambiguous = q.repeated.find((n) => n === 'client_id' || n === 'application_id' || n === 'redirect_uri');
  if (ambiguous) { dead(reply, req, 400, (tr) => tr.t('repeatedParameter', { name: ambiguous })); return undefined; }
  // API v3 names the app `application_id` (the same id as the legacy client id); both given must agree.
  const legacy = q('client_id');
  const applicationId = q('application_id');
  if (legacy !== undefined && applicationId !== undefined && legacy !== applicationId) { dead(reply, req, 400, (tr) => tr.t('unknownApp')); return undefined; }
  const clientId = applicationId ?? legacy;
  const app = clientId ? await ctx.accounts.getApp(clientId) : undefined;
  if (!app) { dead(reply, req, 400, (tr) => tr.t('unknownApp')); return undefined; }
  const given = q('redirect_uri');
  const redirectUri = given ?? app.redirectUris[0];
  const registered = redirectUri !== undefined && ((app.redirectUris.includes(redirectUri) && isAllowedRedirectUri(redirectUri, app.id))
    || redirectUri === tryConnectCallbackUri(ctx.deps.config.publicUrl, app.id));
  if (!registered) { dead(reply, req, 400, (tr) => tr.t('badRedirect')); return undefined; }
  return { app, redirectUri: redirectUri!, redirectUriGiven: given !== undefined };
}
