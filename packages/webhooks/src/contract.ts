/** Vehicle subscriptions, used by POST/DELETE /v2.0/vehicles/{id}/webhooks/{webhookId}. */
export interface WebhookSubscriptions {
  /** False when the webhook does not exist or belongs to another app. */
  subscribe(appId: string, webhookId: string, vehicleId: string): Promise<boolean>;
  unsubscribe(appId: string, webhookId: string, vehicleId: string): Promise<boolean>;
}
