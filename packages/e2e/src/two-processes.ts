import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openStorage, type Storage } from '@opencar/storage';
import { spawnServer, type ServerProcess } from './process.js';

/** The app the first process seeds (OPENCAR_SEED_*): client id and secret, management token, redirect URI. */
export interface SeedClient { id: string; secret: string; amt: string; redirect: string }

export interface TwoProcessOptions {
  /** TEST_DATABASE_URL: a fresh database is created beside it for the suite and dropped after. */
  url: string;
  /** Prefix of the database and data directory names. */
  name: string;
  client: SeedClient;
  /** OPENCAR_SECRET_KEY shared by both processes. */
  secretKey: string;
  /** More environment for both processes. */
  env?: Record<string, string>;
  /** Runs once the first process has migrated and seeded, before the second starts (limits, credentials). */
  beforeSecond?: (storage: Storage) => Promise<void>;
}

export interface TwoProcesses {
  /** Both processes, in start order (filled once the suite's beforeAll has run). */
  readonly servers: ServerProcess[];
  /** The suite's own connection to the shared database. */
  readonly storage: Storage;
}

/**
 * Two real server processes (`node --import tsx apps/server/src/main.ts`) on one new PostgreSQL
 * database, with simulated cars answering at once and the seed client in place. Call it in the
 * `describe` body (skipped with the suite when no TEST_DATABASE_URL is set); the processes stop,
 * the database is dropped and the data directory removed after the suite.
 */
export function twoProcesses(o: TwoProcessOptions): TwoProcesses {
  const dbName = `opencar_${o.name}_${randomBytes(4).toString('hex')}`;
  const servers: ServerProcess[] = [];
  let storage: Storage | undefined;
  let dir: string | undefined;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: o.url });
    await client.connect();
    try { await client.query(sql); } finally { await client.end(); }
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `opencar-${o.name}-`));
    await admin(`create database ${dbName}`);
    const u = new URL(o.url);
    u.pathname = `/${dbName}`;
    const env = {
      DATABASE_URL: u.toString(), OPENCAR_DATA_DIR: dir, OPENCAR_SECRET_KEY: o.secretKey, OPENCAR_SIM_LATENCY: 'zero',
      OPENCAR_SEED_CLIENT_ID: o.client.id, OPENCAR_SEED_CLIENT_SECRET: o.client.secret, OPENCAR_SEED_REDIRECT_URIS: o.client.redirect, OPENCAR_SEED_AMT: o.client.amt,
      ...o.env,
    };
    // The first process migrates and seeds; the second starts on the finished database.
    servers.push(await spawnServer(env));
    storage = await openStorage(env.DATABASE_URL, { migrate: false });
    await o.beforeSecond?.(storage);
    servers.push(await spawnServer(env));
  }, 90_000);
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await storage?.close();
    await admin(`drop database if exists ${dbName} with (force)`);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    servers,
    get storage() { if (!storage) throw new Error('the processes have not started (use it inside a test or a later hook)'); return storage; },
  };
}
