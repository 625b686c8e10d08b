import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { decryptSecret, encryptSecret } from '@opencar/core';
import { MIGRATION_NAMES, pendingMigrations, type Storage } from '@opencar/storage';
import type { OperationsContext } from './context.js';
import { OperationError } from './operation-error.js';

const run = promisify(execFile);

/**
 * Beside every backup file: what it is and a value sealed with the platform key, so restore can
 * tell before touching anything whether the key in use opens the backup's sealed secrets.
 * Nothing in it is secret.
 */
export interface BackupManifest {
  format: 'opencar-backup-1';
  dialect: 'sqlite' | 'postgres';
  createdAt: string;
  /** `encryptSecret(OPENCAR_SECRET_KEY, KEY_CHECK)`. */
  keyCheck: string;
  migrations: number;
}

const KEY_CHECK = 'opencar backup key check';
export const manifestPath = (file: string) => `${file}.manifest.json`;

async function appliedMigrations(storage: Storage): Promise<number> {
  return MIGRATION_NAMES.length - (await pendingMigrations(storage)).length;
}

/**
 * A consistent copy of the whole database while the server runs: SQLite's online backup API
 * (page by page; writers continue), or pg_dump's snapshot in its custom format. The copy holds
 * what the database holds: hashes and sealed values, no secret in the clear; the platform key
 * itself is never part of it. The request ledger's journal is committed first.
 */
export async function backup(ctx: OperationsContext, fileRaw: string): Promise<{ file: string; manifest: string; bytes: number; dialect: string }> {
  const file = resolve(fileRaw);
  if (existsSync(file)) throw new OperationError('conflict', `${file} exists; choose a new file name`);
  mkdirSync(dirname(file), { recursive: true });
  await ctx.flush?.();
  const partial = `${file}.partial`;
  try {
    if (ctx.storage.dialect === 'sqlite') {
      if (!ctx.storage.sqlite || ctx.storage.sqlite.memory) throw new OperationError('invalid', 'an in-memory database has nothing to back up');
      await ctx.storage.sqlite.backup(partial);
    } else {
      await pgDump(ctx.databaseUrl ?? '', partial, ctx.storage.schema);
    }
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  const manifest: BackupManifest = {
    format: 'opencar-backup-1', dialect: ctx.storage.dialect, createdAt: new Date(ctx.clock.now()).toISOString(),
    keyCheck: encryptSecret(ctx.secretKey, KEY_CHECK), migrations: await appliedMigrations(ctx.storage),
  };
  writeFileSync(manifestPath(file), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
  return { file, manifest: manifestPath(file), bytes: readFileSync(file).length, dialect: ctx.storage.dialect };
}

async function pgDump(url: string, out: string, schema?: string): Promise<void> {
  const args = ['--format=custom', '--no-owner', '--no-privileges', `--file=${out}`, ...(schema ? [`--schema=${schema}`] : []), url];
  try {
    await run('pg_dump', args, { maxBuffer: 1 << 20 });
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') throw new OperationError('invalid', 'pg_dump is not installed on this machine: install the PostgreSQL client tools (the same major version as the server), or run pg_dump --format=custom yourself');
    throw new OperationError('invalid', `pg_dump failed: ${String((err as { stderr?: string }).stderr ?? (err as Error).message).trim().split('\n')[0]}`);
  }
}

export function readManifest(file: string): BackupManifest {
  const path = manifestPath(file);
  if (!existsSync(path)) throw new OperationError('invalid', `${path} is missing: restore needs the manifest written beside the backup`);
  let m: BackupManifest;
  try { m = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest; } catch { throw new OperationError('invalid', `${path} is not a backup manifest`); }
  if (m.format !== 'opencar-backup-1' || (m.dialect !== 'sqlite' && m.dialect !== 'postgres') || typeof m.keyCheck !== 'string') throw new OperationError('invalid', `${path} is not a backup manifest`);
  return m;
}

/** Restore needs the key the backed-up server used: sealed tokens and secrets cannot be opened with another. */
export function checkKey(m: BackupManifest, secretKey: string): void {
  let opened = '';
  try { opened = decryptSecret(secretKey, m.keyCheck); } catch { /* another key */ }
  if (opened !== KEY_CHECK) {
    throw new OperationError('conflict', 'this backup was made under another OPENCAR_SECRET_KEY: set OPENCAR_SECRET_KEY to the key of the server that made it (its sealed tokens and secrets cannot be opened with any other), then restore again');
  }
}

/** The database a restore writes into must hold no opencar data yet. */
export async function assertEmpty(databaseUrl: string, storage: Storage | undefined): Promise<void> {
  if (!storage) return;
  const tables = await storage.db.introspection.getTables();
  if (!tables.some((t) => t.name === 'developers')) return;
  const row = await storage.db.selectFrom('developers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  if (Number(row?.n ?? 0) > 0) throw new OperationError('conflict', `${databaseUrl} already holds opencar data; restore into a fresh data dir or an empty database`);
}

/** Copies a SQLite backup into place (an online-backup copy again, so the target is one consistent file). */
export async function restoreSqlite(file: string, targetPath: string): Promise<void> {
  const src = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    const ok = src.prepare("select count(*) as n from sqlite_master where type = 'table' and name in ('developers', 'apps', 'kysely_migration')").get() as { n: number };
    if (ok.n !== 3) throw new OperationError('invalid', `${file} is not an opencar SQLite backup`);
    mkdirSync(dirname(targetPath), { recursive: true });
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${targetPath}${suffix}`, { force: true });
    await src.backup(targetPath);
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_NOTADB') throw new OperationError('invalid', `${file} is not an opencar SQLite backup`);
    throw err;
  } finally {
    src.close();
  }
}

export async function restorePostgres(file: string, url: string): Promise<void> {
  try {
    await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${url}`, file], { maxBuffer: 1 << 20 });
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') throw new OperationError('invalid', 'pg_restore is not installed on this machine: install the PostgreSQL client tools, or run pg_restore --no-owner -d <DATABASE_URL> <file> yourself');
    throw new OperationError('invalid', `pg_restore failed: ${String((err as { stderr?: string }).stderr ?? (err as Error).message).trim().split('\n')[0]}`);
  }
}
