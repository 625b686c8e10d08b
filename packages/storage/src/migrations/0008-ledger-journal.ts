import type { Kysely } from 'kysely';

/**
 * `ledger_meta`: small key/value table written in the same transaction as ledger batches. On a
 * SQLite file the request ledger is first appended to a journal file next to the database, and
 * each committed batch stores here (key `journal_seq`) the highest journal sequence it covers, so
 * a restart replays exactly the journal entries above it. Created on both engines; PostgreSQL
 * does not use it (its commit is the durability point).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('ledger_meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ledger_meta').execute();
}
