/**
 * Connect and OAuth: in-progress Connect flows, grants (an owner's consent to an app), the
 * connections a grant makes (owner × vehicle × app), authorization codes and tokens.
 * Codes and tokens are stored only as sha256 hashes. Times are epoch milliseconds.
 */
import type { ColumnType } from 'kysely';

/** Optional on insert, nullable on read. */
type OptionalText = ColumnType<string | null, string | null | undefined, string | null>;

export interface OAuthFlowsTable {
  id: string;
  app_id: string;
  /** JSON: the authorize request and the state of the pages (brand, signed-in account, vehicles, selection). */
  data: string;
  /** sha256 of the CSRF token every form post of this flow must echo (the token is never stored). */
  csrf_hash: string;
  created_at: number;
  expires_at: number;
}

export interface OAuthGrantsTable {
  id: string;
  app_id: string;
  /** Platform user id = the OEM account id. */
  user_id: string;
  /** 'live' | 'simulated' | 'test' */
  mode: string;
  /** JSON array of permission names (without `required:`). */
  permissions: string;
  /** JSON array of vehicle ids this grant still reaches (disconnected vehicles are removed). */
  vehicle_ids: string;
  created_at: number;
  revoked_at: number | null;
  /** The app's own id for the user (v3 Connect `external_id`). */
  external_id: OptionalText;
}

/** One row per (app, owner, vehicle): what the management API lists and disconnect removes. */
export interface OAuthConnectionsTable {
  app_id: string;
  user_id: string;
  vehicle_id: string;
  /** The newest grant that connected this vehicle. */
  grant_id: string;
  mode: string;
  permissions: string;
  connected_at: number;
  /** The app's own id for the user, from the grant that made the connection (v3 Connect `external_id`). */
  external_id: OptionalText;
  /** The public id API v3 names the connection by (`connectionIdOf`). */
  connection_id: OptionalText;
}

export interface OAuthCodesTable {
  id: string;
  code_hash: string;
  app_id: string;
  grant_id: string;
  /** The redirect URI the authorize request named explicitly, or null when it used the default. */
  redirect_uri: string | null;
  code_challenge: string | null;
  code_challenge_method: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface OAuthTokensTable {
  id: string;
  token_hash: string;
  /** 'access' | 'refresh' */
  kind: string;
  grant_id: string;
  app_id: string;
  /** Every token descending from one authorization code shares a family (the code id). */
  family_id: string;
  created_at: number;
  expires_at: number;
  /** Refresh tokens: when it was exchanged for a new pair (rotation). */
  used_at: number | null;
  /** Set by revocations before migration 0061 only: since, a family's or grant's revocation is recorded on its own row. */
  revoked_at: number | null;
}

/** Token families revoked (an authorization code replayed, a refresh token reused past its grace period). */
export interface OAuthRevokedFamiliesTable {
  family_id: string;
  revoked_at: number;
}
