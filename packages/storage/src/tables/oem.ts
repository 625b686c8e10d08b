/**
 * Real OEM clouds (migrations 0020–0022): the owner's OEM account, its OAuth tokens (sealed, one
 * token family per app the owner connected), the vehicles found in it, the OEM quota counters and
 * the operator's command-signing key. Times are epoch milliseconds; JSON is text.
 */
export interface OemAccountsTable {
  /** Platform user id of the OEM account (what `GET /v2.0/user` returns). */
  id: string;
  /** Connector name, e.g. `tesla`. */
  connector: string;
  /** The OEM's id for the account (the token's `sub`). */
  subject: string;
  /** Region the OEM serves the account from (`na`, `eu`, `cn`). */
  region: string;
  /** API base URL for the account; corrected when the OEM answers "wrong region". */
  base_url: string;
  created_at: number;
  updated_at: number;
}

/** One token family per (account, app): revoking one app's access deletes only its tokens. */
export interface OemTokensTable {
  account_id: string;
  app_id: string;
  /** AES-256-GCM sealed under the platform key. */
  access_sealed: string;
  refresh_sealed: string | null;
  /** When the access token expires. */
  expires_at: number;
  /** JSON array of the scopes the owner granted at the OEM. */
  scopes: string;
  /** Incremented on every rotation: a refresh only stores its result over the version it started from. */
  version: number;
  /** A process refreshing holds this lease until the time given; others wait for the new version. */
  lease_until: number | null;
  /** `active`, or `failed` once the OEM refused the refresh token (the owner must sign in again). */
  status: string;
  updated_at: number;
}

export interface OemVehiclesTable {
  /** Platform vehicle id. */
  id: string;
  account_id: string;
  connector: string;
  vin: string;
  /** The OEM's own id for the vehicle. */
  oem_id: string;
  make: string;
  model: string;
  year: number;
  display_name: string | null;
  /** JSON: the last data the OEM returned for the vehicle (served when the car may not be woken). */
  snapshot: string | null;
  snapshot_at: number | null;
  created_at: number;
}

/** OEM quota counters (`used` per key and window) and lock-outs (`until`). */
export interface OemQuotaTable {
  key: string;
  used: number;
  /** When the counter's window or the lock-out ends. */
  until: number;
}

/** The operator's key pair for signed vehicle commands, one per connector. */
export interface OemKeysTable {
  connector: string;
  public_pem: string;
  private_sealed: string;
  created_at: number;
}

/** Regions where the operator's application completed the OEM's partner registration. */
export interface OemPartnerRegionsTable {
  connector: string;
  region: string;
  domain: string;
  registered_at: number;
}
