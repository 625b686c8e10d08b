import type { Kysely } from 'kysely';
import type SqliteDatabase from 'better-sqlite3';
import type { Database } from '../database.js';
import type { Storage } from '../open.js';
import { onSqlite } from '../sqlite-direct.js';
import { AccountsRepo, toApp, type App, type AppRow } from './accounts.js';

/** Reads the app a token request names (client authentication on the token endpoint's hot path). */
export interface ClientApps {
  getApp(id: string): Promise<App | undefined>;
}

/**
 * SQLite: the same query as `AccountsRepo.getApp`, prepared once and run on the storage's
 * connection (`onSqlite`: never inside another caller's open transaction).
 */
class SqliteClientApps implements ClientApps {
  private readonly select: SqliteDatabase.Statement;
  constructor(private readonly db: Kysely<Database>, private readonly raw: SqliteDatabase.Database) {
    this.select = raw.prepare('select * from apps where id = ? and deleted_at is null');
  }

  getApp(id: string): Promise<App | undefined> {
    return onSqlite(this.db, this.raw, () => {
      const row = this.select.get(id) as AppRow | undefined;
      return row && toApp(row);
    });
  }
}

/** The lookup for this storage: a prepared statement on SQLite, the repository elsewhere. */
export function clientApps(storage: Pick<Storage, 'db' | 'sqlite'>): ClientApps {
  return storage.sqlite ? new SqliteClientApps(storage.db, storage.sqlite) : new AccountsRepo(storage.db);
}
