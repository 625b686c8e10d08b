import { randomToken, sha256, uuid, type Clock } from '@opencar/core';
import type { OAuthRepo, TokenRow } from '@opencar/storage';

export const ACCESS_TOKEN_TTL_S = 7200;
export const REFRESH_TOKEN_TTL_MS = 60 * 24 * 3600 * 1000;
export const CODE_TTL_MS = 10 * 60 * 1000;

/** The token endpoint's 200 body (wire-contract §3). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
}

/** Mints an opaque access + refresh pair for a grant; only their sha256 hashes are stored. */
export async function issueTokenPair(repo: OAuthRepo, clock: Clock, grant: { grantId: string; appId: string; familyId: string }): Promise<TokenResponse> {
  const now = clock.now();
  const access = randomToken(32);
  const refresh = randomToken(32);
  const base = { grant_id: grant.grantId, app_id: grant.appId, family_id: grant.familyId, created_at: now, used_at: null, revoked_at: null };
  const rows: TokenRow[] = [
    { ...base, id: uuid(), token_hash: sha256(access), kind: 'access', expires_at: now + ACCESS_TOKEN_TTL_S * 1000 },
    { ...base, id: uuid(), token_hash: sha256(refresh), kind: 'refresh', expires_at: now + REFRESH_TOKEN_TTL_MS },
  ];
  await repo.insertTokens(rows);
  return { access_token: access, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_S, refresh_token: refresh };
}
