import type { Kysely } from 'kysely';

/**
 * `charge_observations`: what real connectors reported of a vehicle's charging (state of charge,
 * power, charging or not) each time they read it, keyed by vehicle and capture time. The dashboard
 * draws each charging session's curve from it; the repository keeps a bounded number per vehicle and
 * the retention job purges old rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('charge_observations')
    .addColumn('vehicle_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('soc', 'double precision', (c) => c.notNull())
    .addColumn('power_kw', 'double precision')
    .addColumn('charging', 'integer', (c) => c.notNull())
    .addColumn('plugged_in', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('charge_observations_pk', ['vehicle_id', 'at'])
    .execute();
  await db.schema.createIndex('charge_observations_at_idx').on('charge_observations').column('at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('charge_observations').execute();
}
