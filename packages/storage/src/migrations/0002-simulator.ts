import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('sim_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('make', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sim_accounts_login_idx').on('sim_accounts').columns(['make', 'email', 'mode']).unique().execute();
  await db.schema.createTable('sim_vehicles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('sim_accounts.id'))
    .addColumn('vin', 'text', (c) => c.notNull())
    .addColumn('make', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('next_event_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sim_vehicles_account_idx').on('sim_vehicles').column('account_id').execute();
  await db.schema.createIndex('sim_vehicles_next_event_idx').on('sim_vehicles').column('next_event_at').execute();
  await db.schema.createTable('sim_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vehicle_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sim_events_vehicle_idx').on('sim_events').columns(['vehicle_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sim_events').execute();
  await db.schema.dropTable('sim_vehicles').execute();
  await db.schema.dropTable('sim_accounts').execute();
}
