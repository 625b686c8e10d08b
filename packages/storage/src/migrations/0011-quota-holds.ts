import type { Kysely } from 'kysely';

/**
 * `quota_holds`: billable units admitted but not yet in the ledger, one row per request. On
 * PostgreSQL several server processes admit requests for the same app, so the monthly quota check
 * counts these rows (under a per-app-and-month advisory lock) next to `usage_counters`; the ledger
 * commit deletes a request's hold in the same transaction that counts it. Rows of requests that
 * never reached the ledger (aborted, process killed) stop counting at `expires_at`. SQLite has one
 * writer process and keeps holds in memory; the table exists there too but stays empty.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('quota_holds')
    .addColumn('request_id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text')
    .addColumn('units', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('quota_holds_app_month_idx').on('quota_holds').columns(['app_id', 'month']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('quota_holds').execute();
}
