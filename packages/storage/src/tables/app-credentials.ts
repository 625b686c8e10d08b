/**
 * API v3 machine credentials and the application tokens they obtain. A machine credential is a
 * client id (`client_…`) and secret issued to one app for the client-credentials grant; an
 * application token reaches every vehicle connected to its app. Secrets and tokens are stored only
 * as sha256 hashes. Times are epoch milliseconds.
 */
export interface AppMachineCredentialsTable {
  /** The v3 client id, `client_` followed by 32 hex digits. */
  client_id: string;
  app_id: string;
  secret_hash: string;
  created_at: number;
  revoked_at: number | null;
}

export interface AppTokensTable {
  id: string;
  token_hash: string;
  app_id: string;
  /** The machine credential that obtained it. */
  client_id: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}
