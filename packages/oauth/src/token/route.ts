import type { FastifyReply, FastifyRequest } from 'fastify';
import { GRANT_POLICY, invalidRequest, OAuthError, tooManyAttempts, unsupportedGrantType } from '@opencar/core';
import { clientApps, OAuthRepo, refreshRotation } from '@opencar/storage';
import type { OAuthDeps } from '../deps.js';
import { authenticateClient, wantsBasicChallenge } from './client-auth.js';
import { authorizationCodeGrant } from './authorization-code.js';
import { refreshTokenGrant } from './refresh-token.js';
import { isUnknownGrant } from './unknown-grant.js';

/** Form (or JSON) body as single string values; a repeated parameter is an error (RFC 6749 §3.2). */
function formBody(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (Array.isArray(v)) throw invalidRequest(`Parameter ${k} is repeated.`);
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

/** POST /oauth/token (wire-contract §3): authenticate the client, then dispatch on grant_type. */
export function tokenHandler(deps: OAuthDeps) {
  const repo = new OAuthRepo(deps.storage.db);
  const accounts = clientApps(deps.storage);
  const rotation = refreshRotation(deps.storage);
  const onRevoke = () => deps.grants.invalidate?.();
  return async (req: FastifyRequest, reply: FastifyReply) => {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    try {
      const body = formBody(req.body);
      const app = await authenticateClient(req, body, accounts, deps.throttle);
      // Codes and refresh tokens the client was never issued count as failed checks of the client.
      const attempt = { kind: 'grant', credential: app.id, address: req.ip };
      const wait = await deps.throttle.retryAfterMs(attempt, GRANT_POLICY);
      if (wait > 0) throw tooManyAttempts(wait);
      try {
        switch (body.grant_type) {
          case 'authorization_code': return await authorizationCodeGrant(repo, deps.clock, app, body, onRevoke);
          case 'refresh_token': return await refreshTokenGrant(rotation, deps.clock, app, body, deps.config.refreshGraceSeconds, onRevoke);
          case undefined: case '': throw invalidRequest('grant_type is required.');
          default: throw unsupportedGrantType(`grant_type ${body.grant_type} is not supported; use authorization_code or refresh_token.`);
        }
      } catch (err) {
        if (isUnknownGrant(err)) await deps.throttle.fail(attempt, GRANT_POLICY);
        throw err;
      }
    } catch (err) {
      if (wantsBasicChallenge(err)) reply.header('www-authenticate', 'Basic realm="opencar"');
      if (err instanceof OAuthError) req.log.info({ error: err.error }, 'token request refused');
      throw err;
    }
  };
}
