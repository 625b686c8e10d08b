import type { RequestDetail } from './request-detail-writer.js';

/** Request class for pricing recipes (vehicle-behaviour §7). */
export type RequestClass = 'data' | 'command' | 'wake' | 'cached' | 'free';

export interface AdmitInput {
  appId: string;
  vehicleId?: string;
  /** Route pattern, e.g. `GET /v2.0/vehicles/:id/odometer`. */
  endpoint: string;
  /** Billable units this request would consume if it succeeds (batch: item count; free endpoints: 0). */
  units: number;
  /** Plan-gated feature, when the endpoint is one. */
  feature?: 'batch' | 'compatibility' | 'event_webhooks' | 'single_select';
  /**
   * The request's id (the `requestId` its ledger entry will carry). When given, admitted billable
   * units are reserved against the monthly quotas until `record` for that id (or a bounded expiry).
   */
  requestId?: string;
  /**
   * The mode of the vehicle access behind the request. Simulated and test traffic draws on its own,
   * wider app bucket (MeteringOptions.simulatedBucket), so an edit–run loop on simulated cars is not
   * throttled like production traffic; live (or unknown) traffic uses the plan's app bucket.
   */
  mode?: 'live' | 'simulated' | 'test';
}

export interface LedgerEntry {
  requestId: string;
  at: number;
  appId: string;
  vehicleId: string | null;
  userId: string | null;
  endpoint: string;
  method: string;
  status: number;
  latencyMs: number;
  /** Units actually billable (0 when free or failed; 5xx are never billed). */
  units: number;
  woke: boolean;
  requestClass: RequestClass;
}

export interface Metering {
  /**
   * Before a request is served: app token bucket, per-vehicle throttle, plan quotas and features.
   * Throws ApiError (RATE_LIMIT 429 / BILLING 430). Returns headers to add (ratelimit-*).
   */
  admit(input: AdmitInput): Promise<Record<string, string>>;
  /**
   * Records a finished request. Resolves once the entry is durable (group commit: concurrent
   * requests share one write), so the API awaits it before the response leaves (onSend) and no
   * acknowledged request can be missing from the ledger after a crash. Never rejects.
   */
  record(entry: LedgerEntry): Promise<void>;
  /**
   * Hands over the headers and bodies of a finished request for the request log's detail view.
   * Queues and returns at once (masking and the write happen later, in batches); never throws.
   */
  recordDetail?(detail: RequestDetail): void;
}
