import type { ColumnType } from 'kysely';

/** A column with a database default: optional when inserting (v2 writers leave the v3 columns out). */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/** Webhooks, vehicle subscriptions, the delivery outbox and its attempt log. Times are epoch ms. */
export interface WebhooksTable {
  id: string;
  app_id: string;
  name: string;
  url: string;
  /** 'scheduled' | 'event' (API v2) | 'integration' (API v3) */
  kind: string;
  /** Scheduled: 'hourly' | 'daily' | 'weekly' | 'monthly' | '<n>m' (minutes); null for event webhooks. */
  cadence: string | null;
  /** JSON array: scheduled → endpoint paths ('/battery'); event → event types ('CHARGING_STARTED'). */
  topics: string;
  /** 'unverified' | 'active' | 'disabled' */
  status: string;
  verified_at: number | null;
  next_run_at: number | null;
  created_at: number;
  deleted_at: number | null;
  /** Scheduled: the calendar anchor runs are counted from (monthly keeps its day of month). */
  anchor_at: number | null;
  /** '2.0' (v2 webhooks; v2 reads ignore every other row) | '3' (v3 integrations). */
  api_version: Defaulted<string>;
  /**
   * v3: JSON array of triggers; `{"code": "<signal code>"}` fires on any change of the signal, and
   * `{"code", "op": "<" | ">" | "=" | "changed", "value", "cooldownSeconds"}` is a condition trigger.
   */
  triggers: Defaulted<string | null>;
  /** v3: JSON array of the signal codes every event carries (the data signals). */
  signals: Defaulted<string | null>;
  /** v3: where VEHICLE_ERROR events go (null: the callback URL). */
  error_url: Defaulted<string | null>;
  /** v3: 1 when each new connection of the app subscribes by itself, else 0. */
  auto_subscribe: Defaulted<number>;
}

export interface WebhookSubscriptionsTable {
  webhook_id: string;
  vehicle_id: string;
  app_id: string;
  created_at: number;
  /** v3: the owner the subscription was made for (null on v2 rows). */
  user_id: Defaulted<string | null>;
}

/** The outbox: one row per delivery; `id` is the stable delivery id receivers de-duplicate on. */
export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  app_id: string;
  /** Ordering key: deliveries with the same (webhook_id, order_key) leave strictly in `seq` order. */
  order_key: string;
  seq: number;
  event_name: string;
  /** The exact body that is signed and sent. */
  body: string;
  /** 'pending' | 'delivered' | 'dead' */
  status: string;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  created_at: number;
  delivered_at: number | null;
  last_status: number | null;
  last_error: string | null;
  /** Start of the current retry window (null: created_at); manual redelivery restarts it. */
  retry_from: number | null;
  /** 1: a test event sent from the dashboard (its own queue, delivered once, not metered); 0: a real delivery. */
  test: Defaulted<number>;
}

export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  webhook_id: string;
  attempt: number;
  at: number;
  duration_ms: number;
  response_status: number | null;
  /** First bytes of the response body. */
  response_body: string | null;
  error: string | null;
}
