import { invalidGrant, invalidRequest, type Clock } from '@opencar/core';
import type { App, RefreshRotation } from '@opencar/storage';
import { mintTokenPair, tokenKey, type TokenResponse } from '../tokens.js';
import { unknownGrant } from './unknown-grant.js';

/**
 * grant_type=refresh_token: rotates on every use. The previous refresh token keeps working for
 * `graceSeconds` after its first use (retries, parallel workers); using it later revokes the whole
 * family, since only a leaked copy would still be around. The check, the mark of first use and the
 * new pair are committed together (`RefreshRotation`).
 */
export async function refreshTokenGrant(rotation: RefreshRotation, clock: Clock, app: App, body: Record<string, string>, graceSeconds: number, onRevoke: () => void): Promise<TokenResponse> {
  if (!body.refresh_token) throw invalidRequest('refresh_token is required.');
  const now = clock.now();
  const pair = mintTokenPair(now);
  const outcome = await rotation.rotate({ hash: tokenKey(body.refresh_token), appId: app.id, now, graceMs: graceSeconds * 1000, next: pair });
  switch (outcome.kind) {
    case 'unknown': throw unknownGrant('The refresh token is invalid.');
    case 'revoked': throw invalidGrant('The refresh token has been revoked.');
    case 'expired': throw invalidGrant('The refresh token has expired.');
    case 'reused':
      onRevoke();
      throw invalidGrant('The refresh token was already used; every token from this authorization is revoked.');
    case 'rotated': return pair.response;
  }
}
