import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '@opencar/core';
import type { VehicleBackend } from '@opencar/connectors';
import { WebhooksRepo, type DeliveryRow, type Storage, type WebhookRow } from '@opencar/storage';
import { nextRunAfter } from './cadence.js';
import { newDelivery } from './outbox.js';
import { envelope, stableId, type DeliveryMode } from './sign.js';
import type { SigningKeys } from './signing-keys.js';
import { readVehicleBatch } from './vehicle-data.js';

/** The app's connections to a vehicle (one per owner) with the permissions each owner granted. */
export type ConnectionLookup = (appId: string, vehicleId: string) => Promise<{ userId: string; permissions: string[] }[]>;

/** Where scheduled reads are recorded (the request ledger: Metering.record). */
export interface AccessLog {
  record(entry: {
    requestId: string; at: number; appId: string; vehicleId: string | null; userId: string | null; endpoint: string; method: string;
    status: number; latencyMs: number; units: number; woke: boolean; requestClass: 'data';
  }): Promise<void>;
}

/**
 * Turns due scheduled webhooks into outbox rows carrying batch-style data for every subscribed
 * vehicle. The schedule advances by compare-and-set, so with several processes exactly one of them
 * produces each run; the delivery id is derived from (webhook, run time) for the same reason.
 */
export class Scheduler {
  private readonly repo: WebhooksRepo;
  private readonly connections: ConnectionLookup;

  constructor(private readonly storage: Storage, private readonly keys: SigningKeys, private readonly clock: Clock,
    private readonly log: Logger, private readonly backend: () => VehicleBackend | undefined, private readonly publicUrl: string,
    connections?: ConnectionLookup, private readonly accessLog?: AccessLog) {
    this.repo = new WebhooksRepo(storage.db);
    this.connections = connections ?? ((appId, vehicleId) => this.repo.connections(appId, vehicleId));
  }

  /**
   * Produces every due run; returns the number of deliveries queued. The run is built first; the
   * schedule then advances (compare-and-set) in the same transaction that queues the delivery, so
   * a run that fails to build or to queue stays due and is retried on the next tick.
   */
  async tick(): Promise<number> {
    const now = this.clock.now();
    let queued = 0;
    for (const hook of await this.repo.dueScheduled(now)) {
      const runAt = hook.next_run_at!;
      try {
        const delivery = await this.produce(hook, runAt, now);
        const won = await this.storage.db.transaction().execute(async (trx) => {
          const repo = new WebhooksRepo(trx);
          if (!(await repo.advanceSchedule(hook.id, runAt, nextRunAfter(hook.cadence ?? 'hourly', runAt, now, hook.anchor_at ?? runAt)))) return false;
          if (delivery) await repo.enqueue([delivery]);
          return delivery !== null;
        });
        if (won) queued++;
      } catch (err) {
        this.log.error({ err, webhookId: hook.id }, 'scheduled webhook run failed; it stays due');
      }
    }
    return queued;
  }

  private async produce(hook: WebhookRow, runAt: number, now: number): Promise<DeliveryRow | null> {
    const vehicles = await this.repo.subscribers(hook.id);
    if (vehicles.length === 0) return null;
    const paths = JSON.parse(hook.topics) as string[];
    const data = [];
    for (const v of vehicles) {
      // Read only what the owner granted, at run time: with several owners, what all of them granted.
      const conns = await this.connections(hook.app_id, v);
      if (conns.length === 0) continue;
      const permissions = new Set(conns[0]!.permissions.filter((p) => conns.every((c) => c.permissions.includes(p))));
      // Stable, so the same run always produces the same body.
      const requestId = stableId(hook.id, String(runAt), v);
      data.push(await readVehicleBatch(this.backend(), v, paths, this.publicUrl, {
        requestId, permissions, appId: hook.app_id,
        onRead: (path, code, latencyMs) => this.accessLog?.record({
          // Each read is its own ledger entry: a retried run reads (and is logged) again under new ids.
          requestId: randomUUID(), at: this.clock.now(), appId: hook.app_id, vehicleId: v, userId: conns[0]!.userId,
          endpoint: `GET /v2.0/vehicles/:id${path === '/' ? '' : path}`, method: 'GET', status: code, latencyMs: Math.round(latencyMs),
          units: 0, woke: false, requestClass: 'data',
        }),
      }));
    }
    if (data.length === 0) return null;
    const mode = ((await this.keys.get(hook.app_id))?.mode ?? 'live') as DeliveryMode;
    const body = envelope(hook.id, 'scheduled', mode, { vehicles: data });
    return newDelivery({ id: stableId(hook.id, 'scheduled', String(runAt)), webhookId: hook.id, appId: hook.app_id, orderKey: '*', eventName: 'scheduled', body, now });
  }
}
