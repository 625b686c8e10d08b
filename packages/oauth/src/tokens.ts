import { randomToken, sha256, timeOrderedUuid, type Clock } from '@opencar/core';
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

/** A freshly minted opaque pair: the response to send, and what to store of it (ids, sha256 hashes, expiries). */
export interface MintedPair {
  response: TokenResponse;
  access: { id: string; hash: string; expiresAt: number };
  refresh: { id: string; hash: string; expiresAt: number };
}

/**
 * Access and refresh tokens begin with their minting time (12 hex digits of epoch milliseconds, then
 * a dot) before 32 random bytes. The stored key keeps that prefix in front of the token's sha256, so
 * new keys sort after the ones before them: each rotation adds its two keys at the end of the
 * unique index instead of at two random places (one database page written instead of two). The
 * prefix says only when the token was minted, which its row records anyway.
 */
function timedToken(now: number): string {
  return `${Math.max(0, Math.floor(now)).toString(16).padStart(12, '0').slice(-12)}.${randomToken(32)}`;
}

const TIMED = /^[0-9a-f]{12}\./;

/** The stored key of an access or refresh token: its time prefix and sha256, or (tokens minted before the prefix) the sha256 alone. */
export function tokenKey(token: string): string {
  return TIMED.test(token) ? `${token.slice(0, 12)}.${sha256(token)}` : sha256(token);
}

export function mintTokenPair(now: number): MintedPair {
  const access = timedToken(now);
  const refresh = timedToken(now);
  return {
    response: { access_token: access, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_S, refresh_token: refresh },
    access: { id: timeOrderedUuid(now), hash: tokenKey(access), expiresAt: now + ACCESS_TOKEN_TTL_S * 1000 },
    refresh: { id: timeOrderedUuid(now), hash: tokenKey(refresh), expiresAt: now + REFRESH_TOKEN_TTL_MS },
  };
}

/** Mints an opaque access + refresh pair for a grant; only their sha256 hashes are stored. */
export async function issueTokenPair(repo: OAuthRepo, clock: Clock, grant: { grantId: string; appId: string; familyId: string }): Promise<TokenResponse> {
  const now = clock.now();
  const pair = mintTokenPair(now);
  const base = { grant_id: grant.grantId, app_id: grant.appId, family_id: grant.familyId, created_at: now, used_at: null, revoked_at: null };
  const rows: TokenRow[] = [
    { ...base, id: pair.access.id, token_hash: pair.access.hash, kind: 'access', expires_at: pair.access.expiresAt },
    { ...base, id: pair.refresh.id, token_hash: pair.refresh.hash, kind: 'refresh', expires_at: pair.refresh.expiresAt },
  ];
  await repo.insertTokens(rows);
  return pair.response;
}
