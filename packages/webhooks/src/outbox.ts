import type { Kysely } from 'kysely';
import type { EventSink, VehicleEvent } from '@opencar/connectors';
import { WebhooksRepo, type Database, type DeliveryRow, type WebhookRow } from '@opencar/storage';
import type { Clock } from '@opencar/core';
import { envelope, stableId, type DeliveryMode } from './sign.js';

/** A pending outbox row; its ordering number is assigned by WebhooksRepo.enqueue. */
export function newDelivery(args: { id: string; webhookId: string; appId: string; orderKey: string; eventName: string; body: string; now: number; test?: boolean }): DeliveryRow {
  return {
    id: args.id, webhook_id: args.webhookId, app_id: args.appId, order_key: args.orderKey, seq: 0, event_name: args.eventName,
    body: args.body, status: 'pending', attempts: 0, next_attempt_at: args.now, lease_owner: null, lease_until: null,
    created_at: args.now, delivered_at: null, last_status: null, last_error: null, retry_from: null, test: args.test ? 1 : 0,
  };
}

/**
 * The backend's event sink: runs inside the transaction that records the vehicle events and writes
 * one outbox row per (event, subscribed event webhook), so events and deliveries commit together.
 * The webhooks and their apps' modes come with the subscriptions, so one event costs two statements
 * and a call with many events (a batch the backend commits at once) only a few more.
 */
export function outboxSink(clock: Clock, onEnqueued?: () => void): EventSink {
  return async (trx: Kysely<Database>, events: VehicleEvent[]) => {
    const repo = new WebhooksRepo(trx);
    const subs = await repo.eventSubscriptions([...new Set(events.map((e) => e.vehicleId))]);
    if (subs.length === 0) return;
    const rows: DeliveryRow[] = [];
    const now = clock.now();
    const byVehicle = new Map<string, { webhook: WebhookRow; topics: string[]; mode: DeliveryMode }[]>();
    for (const { vehicleId, webhook, appMode } of subs) {
      let list = byVehicle.get(vehicleId);
      if (!list) byVehicle.set(vehicleId, list = []);
      list.push({ webhook, topics: JSON.parse(webhook.topics) as string[], mode: (appMode ?? 'live') as DeliveryMode });
    }
    for (const event of events) {
      for (const { webhook, topics, mode } of byVehicle.get(event.vehicleId) ?? []) {
        if (topics.length > 0 && !topics.includes(event.eventType)) continue;
        const body = envelope(webhook.id, 'eventBased', mode, {
          eventId: event.eventId, vehicleId: event.vehicleId, eventType: event.eventType, eventTime: new Date(event.at).toISOString(),
        });
        rows.push(newDelivery({ id: stableId(webhook.id, event.eventId), webhookId: webhook.id, appId: webhook.app_id, orderKey: event.vehicleId, eventName: 'eventBased', body, now }));
      }
    }
    await repo.enqueue(rows);
    if (rows.length > 0) onEnqueued?.();
  };
}
