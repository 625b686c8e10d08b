import type { FastifyRequest } from 'fastify';
import { invalidClient, invalidRequest, OAuthError, safeEqual, sha256 } from '@opencar/core';
import type { AccountsRepo, App } from '@opencar/storage';

function decodeComponent(v: string): string {
  try { return decodeURIComponent(v.replace(/\+/g, ' ')); } catch { return v; }
}

/** client_id/client_secret from `Authorization: Basic` (RFC 6749 §2.3.1 form-encoded) or the form body. */
function credentials(req: FastifyRequest, body: Record<string, string>): { id: string; secret: string; basic: boolean } | undefined {
  const auth = req.headers.authorization;
  if (auth && /^basic /i.test(auth)) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw invalidClient('The Basic authorization header is malformed.');
    const id = decodeComponent(decoded.slice(0, colon));
    if (body.client_id !== undefined && body.client_id !== id) throw invalidRequest('client_id in the body does not match the Authorization header.');
    return { id, secret: decodeComponent(decoded.slice(colon + 1)), basic: true };
  }
  if (body.client_id !== undefined && body.client_secret !== undefined) return { id: body.client_id, secret: body.client_secret, basic: false };
  return undefined;
}

/** Authenticates the calling app; any failure is 401 invalid_client. */
export async function authenticateClient(req: FastifyRequest, body: Record<string, string>, accounts: AccountsRepo): Promise<App> {
  const creds = credentials(req, body);
  if (!creds) throw invalidClient('Client credentials are missing: send Basic authorization or client_id and client_secret.');
  const app = await accounts.getApp(creds.id);
  if (!app || !safeEqual(sha256(creds.secret), app.clientSecretHash)) {
    const err = invalidClient('Invalid client_id or client_secret.');
    return Promise.reject(creds.basic ? Object.assign(err, { wwwAuthenticate: true }) : err);
  }
  return app;
}

export const wantsBasicChallenge = (err: unknown): boolean => err instanceof OAuthError && (err as { wwwAuthenticate?: boolean }).wwwAuthenticate === true;
