import type { Kysely } from 'kysely';
import type SqliteDatabase from 'better-sqlite3';
import type { Database } from './database.js';

/**
 * Runs `fn` (synchronous statements on the storage's better-sqlite3 handle) on the one SQLite
 * connection without the other callers' statements in between. When no transaction is open on the
 * connection, nobody is between two statements that must not see ours, so `fn` runs at once;
 * otherwise it waits for the connection through Kysely, after whoever holds it now.
 */
export function onSqlite<T>(db: Kysely<Database>, raw: SqliteDatabase.Database, fn: () => T): Promise<T> {
  if (raw.inTransaction) return db.connection().execute(async () => fn());
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}
