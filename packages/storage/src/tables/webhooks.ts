/** Webhooks, vehicle subscriptions, the delivery outbox and its attempt log. Times are epoch ms. */
export interface WebhooksTable {
  id: string;
  app_id: string;
  name: string;
  url: string;
  /** 'scheduled' | 'event' */
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
}

export interface WebhookSubscriptionsTable {
  webhook_id: string;
  vehicle_id: string;
  app_id: string;
  created_at: number;
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
