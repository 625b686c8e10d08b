/** Developer accounts and their applications (OAuth clients). Times are epoch milliseconds. */
export interface DevelopersTable {
  id: string;
  email: string;
  password_hash: string | null;
  name: string;
  tos_version: string | null;
  tos_accepted_at: number | null;
  /** 'free' | 'payg' | 'enterprise' */
  plan: string;
  /** JSON object overriding plan limits (Enterprise), or null. */
  plan_limits: string | null;
  /** 'active' | 'suspended' | 'terminated' */
  status: string;
  created_at: number;
}

export interface AppsTable {
  /** The OAuth client_id. */
  id: string;
  developer_id: string;
  name: string;
  logo_url: string | null;
  client_secret_hash: string;
  /** sha256 of the application management token, for Basic default:<AMT> lookups. */
  amt_hash: string;
  /** The AMT sealed with OPENCAR_SECRET_KEY: it is the HMAC key for webhook signatures. */
  amt_enc: string;
  /** JSON array of registered redirect URIs; the first is the default. */
  redirect_uris: string;
  /** JSON array of permission names Connect asks for when the request has no scope. */
  default_scope: string;
  /** 'live' | 'simulated' | 'test' */
  mode: string;
  /** Simulator latency profile for this app's vehicles ('zero' | 'realistic'), null = platform default. */
  sim_latency: string | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}
