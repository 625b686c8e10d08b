import type { Kysely } from 'kysely';

/**
 * Real OEM accounts: `oem_accounts` (the owner's account at the OEM, its region and API base),
 * `oem_tokens` (sealed OAuth tokens, one family per account and app, with a version and a lease so
 * a rotation is stored exactly once across processes) and `oem_vehicles` (vehicles found in the
 * account, with the last data the OEM returned).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('oem_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('connector', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('oem_accounts_connector_subject_key', ['connector', 'subject'])
    .execute();
  await db.schema.createTable('oem_tokens')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('access_sealed', 'text', (c) => c.notNull())
    .addColumn('refresh_sealed', 'text')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('lease_until', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('oem_tokens_pkey', ['account_id', 'app_id'])
    .execute();
  await db.schema.createTable('oem_vehicles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('connector', 'text', (c) => c.notNull())
    .addColumn('vin', 'text', (c) => c.notNull())
    .addColumn('oem_id', 'text', (c) => c.notNull())
    .addColumn('make', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('snapshot', 'text')
    .addColumn('snapshot_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('oem_vehicles_account_vin_key', ['account_id', 'vin'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oem_vehicles').execute();
  await db.schema.dropTable('oem_tokens').execute();
  await db.schema.dropTable('oem_accounts').execute();
}
