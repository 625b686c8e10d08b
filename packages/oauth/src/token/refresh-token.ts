import { invalidGrant, invalidRequest, sha256, type Clock } from '@opencar/core';
import type { App, OAuthRepo } from '@opencar/storage';
import { issueTokenPair, type TokenResponse } from '../tokens.js';
import { unknownGrant } from './unknown-grant.js';

/**
 * grant_type=refresh_token: rotates on every use. The previous refresh token keeps working for
 * `graceSeconds` after its first use (retries, parallel workers); using it later revokes the whole
 * family, since only a leaked copy would still be around.
 */
export async function refreshTokenGrant(repo: OAuthRepo, clock: Clock, app: App, body: Record<string, string>, graceSeconds: number, onRevoke: () => void): Promise<TokenResponse> {
  if (!body.refresh_token) throw invalidRequest('refresh_token is required.');
  const found = await repo.findTokenWithGrant(sha256(body.refresh_token));
  if (!found || found.token.kind !== 'refresh' || found.token.app_id !== app.id) throw unknownGrant('The refresh token is invalid.');
  const { token, grant } = found;
  const now = clock.now();
  if (token.revoked_at !== null || grant.revokedAt !== null) throw invalidGrant('The refresh token has been revoked.');
  if (now >= token.expires_at) throw invalidGrant('The refresh token has expired.');
  let usedAt = token.used_at;
  if (usedAt === null && !(await repo.markRefreshUsed(token.id, now))) {
    usedAt = (await repo.findTokenWithGrant(token.token_hash))?.token.used_at ?? now;
  }
  if (usedAt !== null && now - usedAt > graceSeconds * 1000) {
    await repo.revokeFamily(token.family_id, now);
    onRevoke();
    throw invalidGrant('The refresh token was already used; every token from this authorization is revoked.');
  }
  return issueTokenPair(repo, clock, { grantId: grant.id, appId: app.id, familyId: token.family_id });
}
