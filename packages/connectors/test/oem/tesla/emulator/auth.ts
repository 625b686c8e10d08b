import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { EmulatorState, Region } from './state.js';

/**
 * Tesla's OAuth 2.0 server: `GET /oauth2/v3/authorize` (the owner's login page), the login form
 * post, and `POST /oauth2/v3/token` (authorization_code with PKCE S256, refresh_token with
 * single-use rotation, client_credentials for partner tokens). See SOURCES.md.
 */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const q = (v: unknown) => (typeof v === 'string' ? v : '');

function loginPage(params: Record<string, string>, error?: string): string {
  const hidden = Object.entries(params).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tesla – Sign In</title></head><body>
<main><h1>Sign In</h1>${error ? `<p id="login-error" role="alert">${esc(error)}</p>` : ''}
<form id="form" method="post" action="/oauth2/v3/authorize">${hidden}
<label for="form-input-identity">Email</label><input id="form-input-identity" name="identity" type="email" autocomplete="username">
<label for="form-input-credential">Password</label><input id="form-input-credential" name="credential" type="password" autocomplete="current-password">
<button id="form-submit-continue" type="submit">Sign In</button></form></main></body></html>`;
}

const oauthError = (reply: FastifyReply, status: number, error: string, description: string) =>
  reply.code(status).send({ error, error_description: description });

const AUTHORIZE_PARAMS = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method', 'locale', 'prompt_missing_scopes'];

export function authRoutes(app: FastifyInstance, state: EmulatorState): void {
  app.get('/oauth2/v3/authorize', async (req, reply) => {
    const query = req.query as Record<string, unknown>;
    const client = state.clients.get(q(query.client_id));
    if (!client || !client.redirectUris.includes(q(query.redirect_uri))) return reply.code(400).type('text/html').send('<p>Invalid client or redirect URI</p>');
    if (q(query.response_type) !== 'code') return reply.code(400).type('text/html').send('<p>response_type must be code</p>');
    if (query.code_challenge && q(query.code_challenge_method) !== 'S256') return reply.code(400).type('text/html').send('<p>code_challenge_method must be S256</p>');
    const params = Object.fromEntries(AUTHORIZE_PARAMS.filter((k) => typeof query[k] === 'string').map((k) => [k, q(query[k])]));
    return reply.type('text/html').send(loginPage(params));
  });

  app.post('/oauth2/v3/authorize', async (req, reply) => {
    const body = req.body as Record<string, unknown>;
    const client = state.clients.get(q(body.client_id));
    const redirectUri = q(body.redirect_uri);
    if (!client || !client.redirectUris.includes(redirectUri)) return reply.code(400).type('text/html').send('<p>Invalid client or redirect URI</p>');
    const params = Object.fromEntries(AUTHORIZE_PARAMS.filter((k) => typeof body[k] === 'string').map((k) => [k, q(body[k])]));
    const user = state.users.get(q(body.identity).trim().toLowerCase());
    if (!user || user.password !== q(body.credential)) return reply.code(401).type('text/html').send(loginPage(params, 'The email or password is incorrect.'));
    const requested = q(body.scope).split(/\s+/).filter(Boolean);
    const scopes = user.grants ? requested.filter((s) => user.grants!.includes(s) || s === 'openid' || s === 'offline_access') : requested;
    const code = state.issueCode({ clientId: client.id, redirectUri, sub: user.subject, scopes, challenge: q(body.code_challenge) || null }, user.region);
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    if (body.state !== undefined) target.searchParams.set('state', q(body.state));
    target.searchParams.set('issuer', 'https://auth.tesla.com/oauth2/v3');
    return reply.code(302).header('location', target.toString()).send();
  });

  app.post('/oauth2/v3/token', async (req, reply) => {
    const b = req.body as Record<string, unknown>;
    const client = state.clients.get(q(b.client_id));
    if (!client) return oauthError(reply, 400, 'unauthorized_client', 'We don\'t recognize this client_id and client_secret combination.');
    const secretGiven = q(b.client_secret);
    if (secretGiven && secretGiven !== client.secret) return oauthError(reply, 400, 'unauthorized_client', 'We don\'t recognize this client_id and client_secret combination.');
    switch (q(b.grant_type)) {
      case 'authorization_code': {
        if (client.secret && !secretGiven) return oauthError(reply, 400, 'unauthorized_client', 'client_secret is required');
        const code = state.takeCode(q(b.code));
        if (!code || code.clientId !== client.id) return oauthError(reply, 400, 'invalid_auth_code', 'The "code" in request body is invalid, generate a new one and try again.');
        if (code.redirectUri !== q(b.redirect_uri)) return oauthError(reply, 400, 'invalid_redirect_url', 'The authorize redirect URI and token redirect URI must match.');
        if (code.challenge || !client.secret) {
          const verifier = q(b.code_verifier);
          const digest = createHash('sha256').update(verifier).digest('base64url');
          if (!verifier || digest !== code.challenge) return oauthError(reply, 400, 'invalid_request', 'Invalid code_verifier');
        }
        const user = state.userBySubject(code.sub)!;
        return reply.send(state.issueTokens(code.sub, client.id, code.scopes, user.region));
      }
      case 'refresh_token': {
        const r = state.useRefresh(q(b.refresh_token), client.id);
        if (!r) return oauthError(reply, 401, 'login_required', 'The refresh_token has already been used or is no longer valid.');
        return reply.send(state.issueTokens(r.sub, client.id, r.scopes, r.region));
      }
      case 'client_credentials': {
        if (!client.secret || secretGiven !== client.secret) return oauthError(reply, 400, 'unauthorized_client', 'client_credentials needs the client secret');
        const audience = q(b.audience);
        const region = (Object.keys(state.bases) as Region[]).find((r) => state.bases[r] === audience) ?? 'na';
        return reply.send(state.issueTokens(client.id, client.id, q(b.scope).split(/\s+/).filter(Boolean), region, 'partner'));
      }
      default:
        return oauthError(reply, 400, 'unsupported_grant_type', 'The grant type is invalid. Use one of: authorization_code, client_credentials, refresh_token');
    }
  });
}
