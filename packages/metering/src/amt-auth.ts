import { ApiError, credentialLocked, parseBasic, SECRET_POLICY, sha256, type CredentialSource, type CredentialThrottle } from '@opencar/core';
import type { App } from '@opencar/storage';

export interface AmtLookup { findAppByAmtHash(amtHash: string): Promise<App | undefined> }

/** What management-token checks need: the app lookup and the credential throttle. */
export interface AmtAuthDeps { accounts: AmtLookup; throttle: CredentialThrottle }

/**
 * Management endpoints authenticate the application with its management token (AMT), as the SDK
 * does for connections: `Basic base64("default:" + AMT)`; `Bearer <AMT>` is accepted too. Failed
 * checks are throttled per client address (the token itself names no account): 429
 * RATE_LIMIT:AUTHENTICATION with `retry-after` once the address is locked.
 */
export async function appFromAmt(deps: AmtAuthDeps, req: CredentialSource): Promise<App> {
  const amt = parseAmt(req.headers.authorization);
  const checked = await deps.throttle.guard({ kind: 'amt', address: req.ip }, SECRET_POLICY, async () => (amt ? deps.accounts.findAppByAmtHash(sha256(amt)) : undefined));
  if (checked.ok) return checked.value;
  if (checked.retryAfterMs > 0) throw credentialLocked(checked.retryAfterMs);
  throw new ApiError('AUTHENTICATION');
}

function parseAmt(h: string | undefined): string | undefined {
  const bearer = h ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  if (bearer) return bearer[1];
  const basic = parseBasic(h);
  return basic?.user === 'default' ? basic.pass : undefined;
}
