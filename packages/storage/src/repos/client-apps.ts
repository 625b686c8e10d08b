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

/** Most apps the SQLite lookup keeps; past that it starts over. */
export const CLIENT_APPS_CACHED_MAX = 1000;

/**
 * Counts the writes to `apps` on one SQLite connection: temporary triggers (they live on this
 * connection only, so no other connection needs the function they call) run a function of the
 * connection after every insert, update and delete, committed or not.
 */
const appWrites = new WeakMap<SqliteDatabase.Database, { n: number }>();
function appWritesOf(raw: SqliteDatabase.Database): { n: number } {
  let counter = appWrites.get(raw);
  if (!counter) {
    const c = { n: 0 };
    raw.function('opencar_apps_written', { deterministic: false }, () => { c.n++; return null; });
    for (const op of ['insert', 'update', 'delete']) {
      raw.exec(`create temp trigger if not exists opencar_apps_${op} after ${op} on main.apps begin select opencar_apps_written(); end`);
    }
    appWrites.set(raw, c);
    counter = c;
  }
  return counter;
}

const frozen = (app: App): App => {
  Object.freeze(app.redirectUris);
  Object.freeze(app.defaultScope);
  return Object.freeze(app);
};

/** How often the SQLite lookup asks whether another connection committed (`pragma data_version`). */
export const CLIENT_APPS_FOREIGN_CHECK_MS = 100;

/**
 * SQLite: the same query as `AccountsRepo.getApp`, prepared once and run on the storage's
 * connection (`onSqlite`: never inside another caller's open transaction), with the apps it found
 * kept (frozen) until anything writes to `apps`. Every write the server makes goes through this
 * connection and is seen at once by the triggers above: a transaction that writes an app empties the
 * cache before it commits, and a lookup while a transaction is open waits for it. The file belongs to
 * one opencar process at a time (the server and the CLI both lock it), so another connection commits
 * only when some other tool writes to a live server's file; `pragma data_version` tells, and is read
 * at most every CLIENT_APPS_FOREIGN_CHECK_MS (under load, reading it costs about as much as the lookup).
 */
class SqliteClientApps implements ClientApps {
  private readonly select: SqliteDatabase.Statement;
  private readonly dataVersion: SqliteDatabase.Statement;
  private readonly writes: { n: number };
  private readonly cache = new Map<string, App>();
  private seenWrites: number;
  private seenVersion: unknown;
  private nextForeignCheck: number;

  constructor(private readonly db: Kysely<Database>, private readonly raw: SqliteDatabase.Database) {
    this.select = raw.prepare('select * from apps where id = ? and deleted_at is null');
    this.dataVersion = raw.prepare('pragma data_version').pluck();
    this.writes = appWritesOf(raw);
    this.seenWrites = this.writes.n;
    this.seenVersion = this.dataVersion.get();
    this.nextForeignCheck = performance.now() + CLIENT_APPS_FOREIGN_CHECK_MS;
  }

  getApp(id: string): Promise<App | undefined> {
    if (!this.raw.inTransaction) {
      this.revalidate();
      const hit = this.cache.get(id);
      if (hit) return Promise.resolve(hit);
    }
    return onSqlite(this.db, this.raw, () => this.load(id));
  }

  /** Empties the cache after a write on this connection, or a commit by another one (looked for every CLIENT_APPS_FOREIGN_CHECK_MS). */
  private revalidate(): void {
    const now = performance.now();
    if (now >= this.nextForeignCheck) {
      this.nextForeignCheck = now + CLIENT_APPS_FOREIGN_CHECK_MS;
      const version = this.dataVersion.get();
      if (version !== this.seenVersion) {
        this.cache.clear();
        this.seenVersion = version;
      }
    }
    if (this.writes.n !== this.seenWrites) {
      this.cache.clear();
      this.seenWrites = this.writes.n;
    }
  }

  /** Reads the app outside any transaction (`onSqlite`) and keeps it, unless a write to apps came meanwhile. */
  private load(id: string): App | undefined {
    const row = this.select.get(id) as AppRow | undefined;
    if (!row) return undefined;
    const app = frozen(toApp(row));
    if (this.writes.n === this.seenWrites && this.dataVersion.get() === this.seenVersion) {
      if (this.cache.size >= CLIENT_APPS_CACHED_MAX) this.cache.clear();
      this.cache.set(id, app);
    }
    return app;
  }
}

/** The lookup for this storage: a prepared statement and a cache on SQLite, the repository elsewhere. */
export function clientApps(storage: Pick<Storage, 'db' | 'sqlite'>): ClientApps {
  return storage.sqlite ? new SqliteClientApps(storage.db, storage.sqlite) : new AccountsRepo(storage.db);
}
