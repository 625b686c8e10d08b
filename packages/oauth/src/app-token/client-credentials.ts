import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalidClient, invalidRequest, isBasicScheme, parseBasic, randomToken, safeEqual, SECRET_POLICY, sha256, tooManyAttempts, uuid } from '@opencar/core';
import { AppCredentialsRepo } from '@opencar/storage';
import type { OAuthDeps } from '../deps.js';

/** Application tokens live one hour and come without a refresh token (wire-contract-v3 §1). */
export const APP_TOKEN_TTL_S = 3600;

/** The 200 body of `POST /oauth2/token`. */
export interface AppTokenResponse { access_token: string; token_type: 'Bearer'; expires_in: number }

/** Body fields as single strings; JSON and form bodies read alike, a repeated field is an error. */
function fields(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === undefined || raw === null) return out;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidRequest('The body must be a JSON object or a form.');
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (Array.isArray(v)) throw invalidRequest(`Parameter ${k} is repeated.`);
    if (typeof v === 'string') out[k] = v;
    else if (v !== null && v !== undefined) throw invalidRequest(`Parameter ${k} must be a string.`);
  }
  return out;
}

function credentials(req: FastifyRequest, body: Record<string, string>): { id: string; secret: string } {
  const auth = req.headers.authorization;
  if (isBasicScheme(auth)) {
    const basic = parseBasic(auth);
    if (!basic) throw invalidClient('The Basic authorization header is malformed.');
    if (body.client_id !== undefined && body.client_id !== basic.user) throw invalidRequest('client_id in the body does not match the Authorization header.');
    return { id: basic.user, secret: basic.pass };
  }
  if (!body.client_id) throw invalidRequest('client_id is required.');
  if (!body.client_secret) throw invalidRequest('client_secret is required.');
  return { id: body.client_id, secret: body.client_secret };
}

/**
 * `POST /oauth2/token` (the v3 identity host): `grant_type=client_credentials` with a v3 machine
 * credential, in a JSON or form body (or Basic authorization). The application token reaches every
 * vehicle connected to the app; signal reads and commands name the user in `sc-user-id`.
 */
export function clientCredentialsHandler(deps: OAuthDeps) {
  const repo = new AppCredentialsRepo(deps.storage.db);
  return async (req: FastifyRequest, reply: FastifyReply): Promise<AppTokenResponse> => {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const body = fields(req.body);
    if (body.grant_type === undefined || body.grant_type === '') throw invalidRequest('grant_type is required.');
    if (body.grant_type !== 'client_credentials') throw invalidRequest(`grant_type ${body.grant_type} is not supported here; use client_credentials (authorization codes go to /oauth/token).`);
    const creds = credentials(req, body);
    const checked = await deps.throttle.guard({ kind: 'client', credential: creds.id, address: req.ip }, SECRET_POLICY, async () => {
      const row = await repo.activeMachineCredential(creds.id);
      return row && safeEqual(sha256(creds.secret), row.secret_hash) ? row : undefined;
    });
    if (!checked.ok) {
      if (checked.retryAfterMs > 0) throw tooManyAttempts(checked.retryAfterMs);
      throw invalidClient('Invalid client_id or client_secret; use the v3 machine credentials (client_…) of the application.');
    }
    const now = deps.clock.now();
    const token = randomToken(32);
    await repo.insertAppToken({
      id: uuid(), token_hash: sha256(token), app_id: checked.value.app_id, client_id: creds.id,
      created_at: now, expires_at: now + APP_TOKEN_TTL_S * 1000, revoked_at: null,
    });
    return { access_token: token, token_type: 'Bearer', expires_in: APP_TOKEN_TTL_S };
  };
}
