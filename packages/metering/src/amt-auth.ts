import { ApiError, parseBasic, sha256 } from '@opencar/core';
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
  const bearer = h ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  if (bearer) return bearer[1];
  const basic = parseBasic(h);
  return basic?.user === 'default' ? basic.pass : undefined;
}
