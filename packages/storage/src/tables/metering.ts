/** Request ledger, usage counters, rate-limit buckets and monthly statements. Times are epoch ms. */
export interface LedgerTable {
  /** The sc-request-id (UUIDv4). PostgreSQL: primary key (insert-or-ignore); SQLite: plain column of the time-ordered ledger (migration 0007). */
  request_id: string;
  at: number;
  /** Billing month of `at`, `YYYY-MM` (UTC). */
  month: string;
  app_id: string;
  vehicle_id: string | null;
  user_id: string | null;
  endpoint: string;
  method: string;
  status: number;
  latency_ms: number;
  /** Billable units (0 when free, failed or 5xx). */
  units: number;
  woke: number;
  request_class: string;
}

/** Ledger bookkeeping (migration 0008); key `journal_seq`: highest journal sequence committed to `ledger` (SQLite file). */
export interface LedgerMetaTable {
  key: string;
  value: number;
}

/** Monthly counters per app: scope '' = whole app, otherwise a vehicle id. */
export interface UsageCountersTable {
  app_id: string;
  month: string;
  scope: string;
  units: number;
}

/** Billable units admitted and not yet in the ledger (PostgreSQL; migration 0011). */
export interface QuotaHoldsTable {
  request_id: string;
  app_id: string;
  month: string;
  vehicle_id: string | null;
  units: number;
  expires_at: number;
}

/** Token buckets shared by server processes on PostgreSQL (SQLite keeps them in memory). */
export interface RateBucketsTable {
  key: string;
  tokens: number;
  updated_at: number;
  /** 1 when the last take succeeded (lets one UPDATE … RETURNING answer both questions). */
  granted: number;
}

export interface StatementsTable {
  app_id: string;
  month: string;
  developer_id: string;
  plan: string;
  requests: number;
  billable_units: number;
  vehicles: number;
  amount_cents: number;
  /** JSON object: endpoint → billable units. */
  by_endpoint: string;
  created_at: number;
}
