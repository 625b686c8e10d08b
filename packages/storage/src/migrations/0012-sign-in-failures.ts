import type { Kysely } from 'kysely';

/**
 * `sign_in_failures`: failed sign-ins (Connect's OEM sign-in, the dashboard, the owner portal),
 * one row per failure and throttle key, so a lockout holds in every server process sharing the
 * database and survives a restart. Rows older than the throttle window are deleted as they age.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('sign_in_failures')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sign_in_failures_key_at_idx').on('sign_in_failures').columns(['key', 'at']).execute();
  await db.schema.createIndex('sign_in_failures_at_idx').on('sign_in_failures').column('at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sign_in_failures').execute();
}
