import type { Kysely } from 'kysely';
import type SqliteDatabase from 'better-sqlite3';
import type { Database } from '../database.js';
import type { Storage } from '../open.js';
import { onSqlite } from '../sqlite-direct.js';
import { AccountsRepo, type App } from './accounts.js';

/** What the token endpoint needs of the app a request names: its id, secret hash and redirect URIs. */
export type ClientApp = Pick<App, 'id' | 'clientSecretHash' | 'redirectUris'>;

/** Reads the app a token request names (client authentication on the token endpoint's hot path). */
export interface ClientApps {
  getApp(id: string): Promise<ClientApp | undefined>;
}

interface ClientAppRow { id: string; client_secret_hash: string; redirect_uris: string }

/**
 * SQLite: `AccountsRepo.getApp`'s query for the three columns the token endpoint reads (each
 * column read costs), prepared once and run on the storage's connection (`onSqlite`: never inside
 * another caller's open transaction).
 */
class SqliteClientApps implements ClientApps {
  private readonly select: SqliteDatabase.Statement;
  constructor(private readonly db: Kysely<Database>, private readonly raw: SqliteDatabase.Database) {
    this.select = raw.prepare('select id, client_secret_hash, redirect_uris from apps where id = ? and deleted_at is null');
  }

  getApp(id: string): Promise<ClientApp | undefined> {
    return onSqlite(this.db, this.raw, () => {
      const row = this.select.get(id) as ClientAppRow | undefined;
      return row && { id: row.id, clientSecretHash: row.client_secret_hash, redirectUris: JSON.parse(row.redirect_uris) as string[] };
    });
  }
}

/** The lookup for this storage: a prepared statement on SQLite, the repository elsewhere. */
export function clientApps(storage: Pick<Storage, 'db' | 'sqlite'>): ClientApps {
  return storage.sqlite ? new SqliteClientApps(storage.db, storage.sqlite) : new AccountsRepo(storage.db);
}
