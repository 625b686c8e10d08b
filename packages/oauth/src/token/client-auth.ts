import type { FastifyRequest } from 'fastify';
import { invalidClient, invalidRequest, isBasicScheme, OAuthError, parseBasic, safeEqual, SECRET_POLICY, sha256, tooManyAttempts, type CredentialThrottle } from '@opencar/core';
import type { AccountsRepo, App } from '@opencar/storage';

/** client_id/client_secret from `Authorization: Basic` (RFC 6749 §2.3.1 form-encoded) or the form body. */
function credentials(req: FastifyRequest, body: Record<string, string>): { id: string; secret: string; basic: boolean } | undefined {
  const auth = req.headers.authorization;
  if (isBasicScheme(auth)) {
    const basic = parseBasic(auth);
    if (!basic) throw invalidClient('The Basic authorization header is malformed.');
    if (body.client_id !== undefined && body.client_id !== basic.user) throw invalidRequest('client_id in the body does not match the Authorization header.');
    return { id: basic.user, secret: basic.pass, basic: true };
  }
  if (body.client_id !== undefined && body.client_secret !== undefined) return { id: body.client_id, secret: body.client_secret, basic: false };
  return undefined;
}

/**
 * Authenticates the calling app; a wrong or unknown client is 401 invalid_client, and after too
 * many failed checks for the client id or from the address, 429 with `retry-after`.
 */
export async function authenticateClient(req: FastifyRequest, body: Record<string, string>, accounts: Pick<AccountsRepo, 'getApp'>, throttle: CredentialThrottle): Promise<App> {
  const creds = credentials(req, body);
  if (!creds) throw invalidClient('Client credentials are missing: send Basic authorization or client_id and client_secret.');
  const checked = await throttle.guard({ kind: 'client', credential: creds.id, address: req.ip }, SECRET_POLICY, async () => {
    const app = await accounts.getApp(creds.id);
    return app && safeEqual(sha256(creds.secret), app.clientSecretHash) ? app : undefined;
  });
  if (checked.ok) return checked.value;
  if (checked.retryAfterMs > 0) throw tooManyAttempts(checked.retryAfterMs);
  const err = invalidClient('Invalid client_id or client_secret.');
  throw creds.basic ? Object.assign(err, { wwwAuthenticate: true }) : err;
}

export const wantsBasicChallenge = (err: unknown): boolean => err instanceof OAuthError && (err as { wwwAuthenticate?: boolean }).wwwAuthenticate === true;
