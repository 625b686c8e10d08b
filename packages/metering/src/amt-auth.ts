import { ApiError, sha256 } from '@opencar/core';
import type { App } from '@opencar/storage';

export interface AmtLookup { findAppByAmtHash(amtHash: string): Promise<App | undefined> }

/**
 * Management endpoints authenticate the application with its management token (AMT), as the SDK
 * does for connections: `Basic base64("default:" + AMT)`; `Bearer <AMT>` is accepted too.
 */
export async function appFromAmt(accounts: AmtLookup, authorization: string | undefined): Promise<App> {
  const amt = parseAmt(authorization);
  const app = amt ? await accounts.findAppByAmtHash(sha256(amt)) : undefined;
  if (!app) throw new ApiError('AUTHENTICATION');
  return app;
}

function parseAmt(h: string | undefined): string | undefined {
  if (!h) return undefined;
  const [scheme, value] = h.trim().split(/\s+/, 2);
  if (!scheme || !value) return undefined;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i >= 0 && decoded.slice(0, i) === 'default' ? decoded.slice(i + 1) : undefined;
}
