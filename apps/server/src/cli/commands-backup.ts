import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig, ConfigError } from '@opencar/core';
import { ensurePostgresDatabase, openStorage, serverHoldsDatabase, type Storage } from '@opencar/storage';
import { assertEmpty, checkKey, readManifest, restorePostgres, restoreSqlite } from '../operations/backup.js';
import { OperationError } from '../operations/index.js';
import { CliError, EXIT } from './exit-codes.js';
import { fields } from './format.js';
import { fail, type CliIo, type GlobalOptions, type Runner } from './runner.js';

/** `opencar backup <file>` and `opencar restore <file>`. */
export function backupCommands(program: Command, run: Runner, io: CliIo, globals: () => GlobalOptions): void {
  program.command('backup').description('consistent copy of the database while the server runs (SQLite online backup, or pg_dump), plus a manifest beside it')
    .argument('<file>', 'the backup file to write (must not exist)')
    .action(run(async (c, file: string) => {
      const r = await c.invoke('platform.backup', { file: resolve(file) }) as { file: string; manifest: string; bytes: number; dialect: string };
      return {
        result: r,
        human: `backup written: ${r.file} (${r.bytes} bytes, ${r.dialect}${c.via === 'server' ? ', made by the running server' : ''})\nmanifest: ${r.manifest}\nIt holds no secret in the clear; keep OPENCAR_SECRET_KEY apart from it: restore needs that key.`,
      };
    }));

  program.command('restore').description('restore a backup into the configured database, which must be empty (a fresh data dir); needs the same OPENCAR_SECRET_KEY')
    .argument('<file>', 'a file written by opencar backup (its .manifest.json beside it)')
    .action(async (file: string) => {
      try {
        const summary = await restore(io, resolve(file));
        io.out(globals().json ? JSON.stringify(summary, null, 2) : `restored ${resolve(file)} into ${summary.database}\n${fields(Object.entries(summary.counts))}`);
        io.exitCode = EXIT.ok;
      } catch (err) { fail(io, err); }
    });
}

async function restore(io: CliIo, file: string): Promise<{ database: string; counts: Record<string, number> }> {
  let config;
  try { config = loadConfig(io.env); } catch (err) { throw new CliError(err instanceof ConfigError ? `invalid configuration: ${err.message}` : String(err), EXIT.usage); }
  if (!existsSync(file)) throw new CliError(`${file} does not exist`, EXIT.notFound);
  const keyFile = resolve(config.dataDir, 'secret.key');
  const secretKey = config.secretKey ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined);
  if (!secretKey) throw new CliError('restore needs the OPENCAR_SECRET_KEY of the server that made the backup: set it (sealed tokens and secrets cannot be opened with any other key)', EXIT.usage);
  const manifest = readManifest(file);
  checkKey(manifest, secretKey);
  const url = config.databaseUrl;
  const dialect = url.startsWith('sqlite:') ? 'sqlite' : 'postgres';
  if (manifest.dialect !== dialect) throw new OperationError('invalid', `this is a ${manifest.dialect} backup and DATABASE_URL is ${dialect}: restore it into the same kind of database`);
  if (serverHoldsDatabase(url)) throw new OperationError('conflict', `a server holds ${url}; stop it, and restore into a fresh data dir`);
  if (dialect === 'sqlite') {
    const path = url.slice('sqlite:'.length);
    if (path === ':memory:') throw new OperationError('invalid', 'DATABASE_URL is in memory: restore into a file');
    if (existsSync(path)) await withStorage(url, (s) => assertEmpty(url, s));
    await restoreSqlite(file, path);
  } else {
    await ensurePostgresDatabase(url);
    await withStorage(url, async (s) => {
      const tables = await s.db.introspection.getTables();
      if (tables.length) throw new OperationError('conflict', `${redact(url)} is not empty (${tables.length} tables); restore into an empty database (createdb)`);
    });
    await restorePostgres(file, url);
  }
  // Migrations a newer version added since the backup apply now.
  return withStorage(url, async (s) => ({ database: redact(url), counts: await counts(s) }), true);
}

async function withStorage<T>(url: string, fn: (s: Storage) => Promise<T>, migrate = false): Promise<T> {
  const s = await openStorage(url, { migrate, lock: url.startsWith('sqlite:') });
  try { return await fn(s); } finally { await s.close(); }
}

async function counts(s: Storage): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['developers', 'apps', 'oauth_grants', 'oauth_tokens', 'webhooks', 'ledger', 'statements'] as const) {
    const r = await s.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    out[t] = Number(r?.n ?? 0);
  }
  return out;
}

const redact = (url: string) => url.replace(/\/\/([^:/@]+):[^@]+@/, '//$1:***@');
