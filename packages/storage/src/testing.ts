import { randomBytes } from 'node:crypto';
import { Migrator } from 'kysely';
import pg from 'pg';
import { MIGRATIONS } from './migrations/index.js';
import { openStorage, type Storage } from './open.js';

export interface Engine {
  name: 'sqlite' | 'postgres';
  /** Undefined when the engine is not available in this run (the suite is then skipped visibly). */
  url: string | undefined;
}

/**
 * The engines a storage-backed test suite runs on: SQLite always, PostgreSQL when
 * TEST_DATABASE_URL is set. Test-only: this is the single place tests learn the PostgreSQL URL.
 */
export function testEngines(env: Record<string, string | undefined>): Engine[] {
  return [
    { name: 'sqlite', url: 'sqlite::memory:' },
    { name: 'postgres', url: env.TEST_DATABASE_URL || undefined },
  ];
}

/** Migrates a test storage up or down to exactly the named migration (migration tests). */
export async function migrateTo(storage: Storage, name: string): Promise<void> {
  const migrator = new Migrator({ db: storage.db, provider: { getMigrations: async () => MIGRATIONS }, allowUnorderedMigrations: true, ...(storage.schema ? { migrationTableSchema: storage.schema } : {}) });
  const { error } = await migrator.migrateTo(name);
  if (error) throw error;
}

/**
 * Opens a fresh, migrated storage; on PostgreSQL in a new schema that `dispose` drops. With `upTo`,
 * only the migrations up to and including that one are applied (migration tests then write rows of
 * the old layout and call `migrate(storage)` for the rest).
 */
export async function openTestStorage(engine: Engine, opts: { upTo?: string } = {}): Promise<{ storage: Storage; dispose: () => Promise<void> }> {
  if (!engine.url) throw new Error(`${engine.name} not configured`);
  const upTo = async (storage: Storage) => {
    if (opts.upTo) await migrateTo(storage, opts.upTo);
    return storage;
  };
  if (engine.name === 'sqlite') {
    const storage = await upTo(await openStorage(engine.url, { migrate: !opts.upTo }));
    return { storage, dispose: () => storage.close() };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const storage = await upTo(await openStorage(engine.url, { schema, migrate: !opts.upTo }));
  const url = engine.url;
  return {
    storage,
    dispose: async () => {
      await storage.close();
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try { await admin.query(`drop schema if exists ${schema} cascade`); } finally { await admin.end(); }
    },
  };
}
