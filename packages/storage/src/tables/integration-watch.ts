/** Trigger evaluation state per API v3 integration × vehicle (times epoch ms; JSON in text columns). */
export interface IntegrationWatchTable {
  webhook_id: string;
  vehicle_id: string;
  /** Bumped by every write; writes are compare-and-set on it. */
  version: number;
  /** JSON object: signal code → the value last seen (its body, or its status when it had none). */
  observed: string;
  /** JSON object: condition trigger key → when it last fired. */
  fired: string;
  /** The sequence number of the last event queued for this vehicle on this integration. */
  sequence: number;
  /** JSON array of the vehicle errors open now (reported ERROR, not yet RESOLVED). */
  errors: string;
  /** 1 once FIRST_DELIVERY was queued. */
  first_sent: number;
  updated_at: number;
}
