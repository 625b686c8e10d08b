import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type MigrationProvider } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { MIGRATIONS } from './migrations/index.js';
import { isUniqueViolation } from './errors.js';
import { cacheStatements } from './statement-cache.js';
import { Checkpointer } from './checkpointer.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Storage {
  readonly dialect: Dialect;
  /** PostgreSQL schema the storage lives in, when not the default. */
  readonly schema?: string;
  readonly db: Kysely<Database>;
  /** SQLite only: the underlying better-sqlite3 handle, for hot paths that bypass query building (e.g. the request ledger). */
  readonly sqlite?: SqliteDatabase.Database;
  /** SQLite file only: the thread that checkpoints its WAL (the main connection does not, while it is alive). */
  readonly checkpointer?: Checkpointer;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL schema to use (created when missing); tests give each run its own. */
  schema?: string;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  /**
   * SQLite file: take the server lock, so a second server process on the same file fails at start
   * with DatabaseInUseError (default false; the server takes it, tools that open the file directly
   * when no server runs may take it too). Released on close, and by the OS when the process dies.
   */
  lock?: boolean;
}

/** Another process holds the server lock of this SQLite file. */
export class DatabaseInUseError extends Error {
  constructor(readonly path: string, readonly lockPath: string) {
    super(`the SQLite database ${path} is in use by another opencar server process (lock ${lockPath}); run one server per SQLite file, or use PostgreSQL for several`);
    this.name = 'DatabaseInUseError';
  }
}

const lockPathOf = (path: string) => `${resolve(path)}.lock`;
const isBusy = (err: unknown) => /^SQLITE_BUSY/.test((err as { code?: string }).code ?? '');

/**
 * The server lock: an exclusive lock on a small SQLite file beside the database, held by a
 * connection in EXCLUSIVE locking mode for as long as it is open. The lock is the OS's own file
 * lock, so it ends with the process however the process ends (SIGKILL included): no stale lock.
 */
function takeServerLock(path: string): SqliteDatabase.Database {
  const lockPath = lockPathOf(path);
  const lock = new SqliteDatabase(lockPath);
  try {
    lock.pragma('busy_timeout = 0');
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS server_lock (pid INTEGER); DELETE FROM server_lock; COMMIT');
    lock.prepare('INSERT INTO server_lock (pid) VALUES (?)').run(process.pid);
    return lock;
  } catch (err) {
    lock.close();
    if (isBusy(err)) throw new DatabaseInUseError(resolve(path), lockPath);
    throw err;
  }
}

/**
 * True when a server process holds the lock of this SQLite database (`sqlite:<path>` or a path);
 * false for a free file, in-memory databases and PostgreSQL (several servers may share it).
 */
export function serverHoldsDatabase(databaseUrl: string): boolean {
  const path = databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : databaseUrl;
  if (/^postgres(ql)?:\/\//.test(databaseUrl) || path === ':memory:' || !existsSync(lockPathOf(path))) return false;
  const probe = new SqliteDatabase(lockPathOf(path), { readonly: true, fileMustExist: true });
  try {
    probe.pragma('busy_timeout = 0');
    probe.prepare('SELECT count(*) FROM sqlite_master').get();
    return false;
  } catch (err) {
    if (isBusy(err)) return true;
    throw err;
  } finally {
    probe.close();
  }
}

// int8 (bigint) columns hold epoch milliseconds, well inside Number's safe range.
pg.types.setTypeParser(20, (v: string) => Number(v));

const MIGRATION_LOCK_ID = 724_2001;
const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };
/** Every migration this version has, by name. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS);

/** Opens `sqlite:<path>`, `sqlite::memory:` or `postgres://…` and applies migrations. */
export async function openStorage(databaseUrl: string, opts: OpenOptions = {}): Promise<Storage> {
  const storage = databaseUrl.startsWith('sqlite:') ? openSqlite(databaseUrl.slice('sqlite:'.length), opts.lock === true) : await openPostgres(databaseUrl, opts.schema);
  if (opts.migrate !== false) {
    try {
      await migrate(storage);
    } catch (err) {
      await storage.close();
      throw err;
    }
  }
  return storage;
}

function openSqlite(path: string, lock: boolean): Storage {
  const memory = path === ':memory:';
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const serverLock = lock && !memory ? takeServerLock(path) : undefined;
  const raw = new SqliteDatabase(path);
  if (!memory) raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('foreign_keys = ON');
  // A file can have a second writer connection (the request ledger's writer thread). A deferred
  // transaction that reads and then writes would fail with SQLITE_BUSY if that connection
  // committed in between, so Kysely transactions on a file begin IMMEDIATE: they take the write
  // lock up front (waiting up to busy_timeout). On one connection the two behave the same.
  // Kysely prepares every query it runs; the cache compiles each SQL text once.
  const database = cacheStatements(raw, memory ? {} : { rewrite: (q) => (q === 'begin' ? 'begin immediate' : q) });
  // WAL checkpoints (copying committed pages into the database file, and its fsync) run on their
  // own thread instead of inside whichever commit crosses SQLite's 1000-page mark.
  const checkpointer = !memory && raw.pragma('journal_mode', { simple: true }) === 'wal' ? new Checkpointer(raw, path) : undefined;
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return {
    dialect: 'sqlite',
    db,
    sqlite: raw,
    checkpointer,
    ping: async () => { await sql`select 1`.execute(db); },
    close: async () => {
      // The thread's connection closes first, so the main connection is the last one and its close
      // checkpoints and removes the WAL as before.
      await checkpointer?.close();
      await db.destroy();
      // Kysely closes the connection only if it ever ran a query.
      if (raw.open) raw.close();
      serverLock?.close();
    },
  };
}

async function openPostgres(url: string, schema?: string): Promise<Storage> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists ${schema}`);
    } catch (err) {
      // IF NOT EXISTS is not atomic: a process starting at the same moment may have created it.
      if (!isUniqueViolation(err) && (err as { code?: string }).code !== '42P06') throw err;
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle connection that PostgreSQL ends (restart, failover, an administrator) is an 'error' on
  // the pool; the pool has already discarded that client and opens a new one when next needed, so
  // the event needs no handling beyond not being unhandled, which would end the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    dialect: 'postgres',
    schema,
    db,
    ping: async () => { await sql`select 1`.execute(db); },
    close: () => db.destroy(),
  };
}

/**
 * Applies pending migrations. On PostgreSQL an advisory lock serialises processes that start at
 * the same time (Kysely's own lock table is created with CREATE TABLE IF NOT EXISTS, which races).
 */
export async function migrate(storage: Storage): Promise<string[]> {
  if (storage.dialect === 'sqlite') return runMigrator(storage.db);
  return storage.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_ID})`.execute(conn);
    try {
      return await runMigrator(conn, storage.schema);
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`.execute(conn);
    }
  });
}

/** Names of the migrations this version has and the database has not applied yet. */
export async function pendingMigrations(storage: Storage): Promise<string[]> {
  const migrator = new Migrator({ db: storage.db, provider, allowUnorderedMigrations: true, ...(storage.schema ? { migrationTableSchema: storage.schema } : {}) });
  return (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/**
 * Kysely looks its bookkeeping tables up without regard to search_path, so with a schema per
 * deployment (or per test run) it must be told the schema explicitly. Migrations written in
 * parallel branches may land out of name order; each is still applied exactly once.
 */
async function runMigrator(db: Kysely<Database>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`migration ${failed ?? '(setup)'} failed: ${(error as Error).message ?? String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
