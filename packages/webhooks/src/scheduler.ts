import type { Logger } from 'pino';
import type { Clock } from '@opencar/core';
import type { VehicleBackend } from '@opencar/connectors';
import { WebhooksRepo, type Storage, type WebhookRow } from '@opencar/storage';
import { nextRunAfter } from './cadence.js';
import { newDelivery, type Sequencer } from './outbox.js';
import { envelope, stableId, type DeliveryMode } from './sign.js';
import type { SigningKeys } from './signing-keys.js';
import { readVehicleBatch } from './vehicle-data.js';

/**
 * Turns due scheduled webhooks into outbox rows carrying batch-style data for every subscribed
 * vehicle. The schedule advances by compare-and-set, so with several processes exactly one of them
 * produces each run; the delivery id is derived from (webhook, run time) for the same reason.
 */
export class Scheduler {
  private readonly repo: WebhooksRepo;

  constructor(storage: Storage, private readonly keys: SigningKeys, private readonly seq: Sequencer, private readonly clock: Clock,
    private readonly log: Logger, private readonly backend: () => VehicleBackend | undefined, private readonly publicUrl: string) {
    this.repo = new WebhooksRepo(storage.db);
  }

  /** Produces every due run; returns the number of deliveries queued. */
  async tick(): Promise<number> {
    const now = this.clock.now();
    let queued = 0;
    for (const hook of await this.repo.dueScheduled(now)) {
      const runAt = hook.next_run_at!;
      if (!(await this.repo.advanceSchedule(hook.id, runAt, nextRunAfter(hook.cadence ?? 'hourly', runAt, now)))) continue;
      try {
        if (await this.produce(hook, runAt, now)) queued++;
      } catch (err) {
        this.log.error({ err, webhookId: hook.id }, 'scheduled webhook run failed');
      }
    }
    return queued;
  }

  private async produce(hook: WebhookRow, runAt: number, now: number): Promise<boolean> {
    const vehicles = await this.repo.subscribers(hook.id);
    if (vehicles.length === 0) return false;
    const paths = JSON.parse(hook.topics) as string[];
    const data = [];
    for (const v of vehicles) data.push(await readVehicleBatch(this.backend(), v, paths, this.publicUrl));
    const mode = ((await this.keys.get(hook.app_id))?.mode ?? 'live') as DeliveryMode;
    const body = envelope(hook.id, 'scheduled', mode, { vehicles: data });
    await this.repo.enqueue([newDelivery({ id: stableId(hook.id, 'scheduled', String(runAt)), webhookId: hook.id, appId: hook.app_id, orderKey: '*', seq: this.seq.next(), eventName: 'scheduled', body, now })]);
    return true;
  }
}
