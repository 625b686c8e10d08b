import type { Clock } from '@opencar/core';
import { WebhooksRepo, type Storage } from '@opencar/storage';
import type { WebhookSubscriptions } from './contract.js';

/** Vehicle subscriptions for the v2 endpoints POST/DELETE /vehicles/{id}/webhooks/{webhookId}. */
export class StoredWebhookSubscriptions implements WebhookSubscriptions {
  private readonly repo: WebhooksRepo;

  constructor(storage: Storage, private readonly clock: Clock) {
    this.repo = new WebhooksRepo(storage.db);
  }

  async subscribe(appId: string, webhookId: string, vehicleId: string): Promise<boolean> {
    const hook = await this.repo.getWebhook(webhookId);
    if (!hook || hook.app_id !== appId) return false;
    await this.repo.subscribe(appId, webhookId, vehicleId, this.clock.now());
    return true;
  }

  async unsubscribe(appId: string, webhookId: string, vehicleId: string): Promise<boolean> {
    const hook = await this.repo.getWebhook(webhookId);
    if (!hook || hook.app_id !== appId) return false;
    await this.repo.unsubscribe(webhookId, vehicleId);
    return true;
  }
}
