import type { Kysely } from 'kysely';

/**
 * What trigger evaluation remembers per API v3 integration × vehicle: the signal values last seen,
 * when each condition trigger last fired (cooldowns), the event sequence, the vehicle errors still
 * open, and whether FIRST_DELIVERY was queued. `version` makes every change a compare-and-set, so
 * with several processes one observation of a change produces one event.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('integration_watch')
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('observed', 'text', (c) => c.notNull())
    .addColumn('fired', 'text', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('errors', 'text', (c) => c.notNull())
    .addColumn('first_sent', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('integration_watch_pk', ['webhook_id', 'vehicle_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('integration_watch').execute();
}
