import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { IntegrationWatchTable } from '../tables/integration-watch.js';

export type WatchRow = Selectable<IntegrationWatchTable>;

const asRow = (r: WatchRow): WatchRow => ({ ...r, version: Number(r.version), sequence: Number(r.sequence), first_sent: Number(r.first_sent), updated_at: Number(r.updated_at) });

/** Trigger evaluation state of API v3 integrations. Pass a transaction to write with the outbox rows. */
export class IntegrationWatchRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(webhookId: string, vehicleId: string): Promise<WatchRow | undefined> {
    const r = await this.db.selectFrom('integration_watch').selectAll().where('webhook_id', '=', webhookId).where('vehicle_id', '=', vehicleId).executeTakeFirst();
    return r && asRow(r);
  }

  /**
   * Writes `row` if the stored version is still `row.version - 1` (1: no row yet). False when
   * another writer got there first; the caller then starts again from what that writer stored.
   */
  async save(row: WatchRow): Promise<boolean> {
    if (row.version === 1) {
      const r = await this.db.insertInto('integration_watch').values(row).onConflict((oc) => oc.columns(['webhook_id', 'vehicle_id']).doNothing()).executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    }
    const { webhook_id, vehicle_id, ...rest } = row;
    const r = await this.db.updateTable('integration_watch').set(rest)
      .where('webhook_id', '=', webhook_id).where('vehicle_id', '=', vehicle_id).where('version', '=', row.version - 1).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Vehicles subscribed to an enabled integration (the periodic observation's list), at most `limit`. */
  async watchedVehicles(limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('webhook_subscriptions as s').innerJoin('webhooks as w', 'w.id', 's.webhook_id')
      .select('s.vehicle_id').distinct().where('w.api_version', '=', '3').where('w.status', '=', 'active').where('w.deleted_at', 'is', null)
      .orderBy('s.vehicle_id').limit(limit).execute();
    return rows.map((r) => r.vehicle_id);
  }

  /**
   * A new subscription of a vehicle watched before: its next observation sends FIRST_DELIVERY
   * again. The sequence goes on, so event ids stay unique.
   */
  async restart(webhookId: string, vehicleId: string): Promise<void> {
    await this.db.updateTable('integration_watch').set((eb) => ({ first_sent: 0, version: eb('version', '+', 1) }))
      .where('webhook_id', '=', webhookId).where('vehicle_id', '=', vehicleId).execute();
  }
}
