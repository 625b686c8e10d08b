import { SqliteAdapter, sql, type Kysely } from 'kysely';

/**
 * SQLite only: rebuilds `ledger` time-ordered. 0004 keyed it by the random UUIDv4 request id, so
 * every appended row dirtied a different page of SQLite's primary-key index and each group commit
 * wrote many WAL pages. Now the table is keyed by an INTEGER PRIMARY KEY `seq` (rows append at
 * the end of the b-tree) and `request_id` is a plain column. Exactly-once on SQLite rests on the
 * group commit instead of a unique key (see MeteringRepo.appendLedger). PostgreSQL keeps 0004's
 * layout: there a commit outcome can be ambiguous, so insert-or-ignore on the key stays.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await db.schema.createTable('ledger_v2')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('endpoint', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('latency_ms', 'double precision', (c) => c.notNull())
    .addColumn('units', 'integer', (c) => c.notNull())
    .addColumn('woke', 'integer', (c) => c.notNull())
    .addColumn('request_class', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into ledger_v2 (request_id, at, month, app_id, vehicle_id, user_id, endpoint, method, status, latency_ms, units, woke, request_class)
    select request_id, at, month, app_id, vehicle_id, user_id, endpoint, method, status, latency_ms, units, woke, request_class from ledger order by at, request_id`.execute(db);
  await db.schema.dropTable('ledger').execute();
  await db.schema.alterTable('ledger_v2').renameTo('ledger').execute();
  await db.schema.createIndex('ledger_app_month_idx').on('ledger').columns(['app_id', 'month']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await db.schema.createTable('ledger_v1')
    .addColumn('request_id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('endpoint', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('latency_ms', 'double precision', (c) => c.notNull())
    .addColumn('units', 'integer', (c) => c.notNull())
    .addColumn('woke', 'integer', (c) => c.notNull())
    .addColumn('request_class', 'text', (c) => c.notNull())
    .execute();
  await sql`insert or ignore into ledger_v1 select request_id, at, month, app_id, vehicle_id, user_id, endpoint, method, status, latency_ms, units, woke, request_class from ledger order by seq`.execute(db);
  await db.schema.dropTable('ledger').execute();
  await db.schema.alterTable('ledger_v1').renameTo('ledger').execute();
  await db.schema.createIndex('ledger_app_month_idx').on('ledger').columns(['app_id', 'month']).execute();
}
