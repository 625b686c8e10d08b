import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, decryptSecret, loadConfig, systemClock, type Config, type Env } from '@opencar/core';
import { pendingMigrations, serverHoldsDatabase, type Storage } from '@opencar/storage';
import { TeslaBackend, type SelfTestCheck } from '@opencar/connectors';
import { teslaRedirectUri } from '../platform.js';
import { cliLogger, connectOperator, localUrl, openDatabase } from './connect.js';
import { CliError } from './exit-codes.js';

export type Check = SelfTestCheck;

/**
 * `opencar doctor`: configuration, database, secret key, each configured OEM connector and the
 * public URL, one line each with the fix. Changes no data: pending migrations and a missing
 * PostgreSQL database are reported, not applied or created.
 */
export async function doctor(env: Env, cwd: string): Promise<Check[]> {
  const checks: Check[] = [];
  const add = (check: string, status: Check['status'], message: string, fix?: string) => checks.push({ check, status, message, ...(fix ? { fix } : {}) });
  add('.env', 'ok', existsSync(join(cwd, '.env')) ? `read ${resolve(cwd, '.env')} (the environment wins over it)` : `no .env in ${resolve(cwd)}: the environment alone configures opencar`);
  let config: Readonly<Config>;
  try {
    config = loadConfig(env);
  } catch (err) {
    add('configuration', 'fail', err instanceof ConfigError ? `invalid configuration: ${err.message}` : (err as Error).message, 'correct the variable named (see .env.example)');
    return checks;
  }
  add('configuration', 'ok', `valid; storage ${config.databaseUrl.split(':')[0]}, listening on ${config.host}:${config.port}`);
  const keyFile = resolve(config.dataDir, 'secret.key');
  const secretKey = config.secretKey ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined);
  if (config.secretKey) add('secret key', 'ok', 'OPENCAR_SECRET_KEY is set');
  else if (secretKey) add('secret key', 'warn', `OPENCAR_SECRET_KEY is not set: the key is kept in ${keyFile}`, 'set OPENCAR_SECRET_KEY (and keep a copy apart from backups): sealed secrets cannot be opened without it');
  else add('secret key', 'warn', `OPENCAR_SECRET_KEY is not set and ${keyFile} does not exist: the first start generates it`, 'set OPENCAR_SECRET_KEY (and keep a copy apart from backups): sealed secrets cannot be opened without it');

  const running = serverHoldsDatabase(config.databaseUrl);
  let storage: Storage | undefined;
  try {
    if (running) {
      const c = await connectOperator(env);
      try {
        await c.invoke('platform.counters');
        add('database', 'ok', `${describe(config.databaseUrl)} is held by a running server, which answers the operator interface at ${localUrl(config)}`);
      } finally { await c.close(); }
    } else {
      storage = await openDatabase(config, cliLogger(), { migrate: false, create: false });
      const pending = await pendingMigrations(storage);
      if (pending.length) add('database', 'warn', `${describe(config.databaseUrl)} reachable; ${pending.length} migration(s) pending: ${pending.join(', ')}`, 'run `opencar migrate` (or start the server, which applies them)');
      else add('database', 'ok', `${describe(config.databaseUrl)} reachable, schema up to date`);
      if (!pending.includes('0001-accounts')) await checkKeyOpensSecrets(storage, secretKey, add);
    }
  } catch (err) {
    add('database', 'fail', (err as Error).message, err instanceof CliError ? undefined : 'check DATABASE_URL');
  }
  if (config.tesla && storage && secretKey) {
    const tesla = new TeslaBackend({ config: config.tesla, storage, clock: systemClock, secretKey, redirectUri: teslaRedirectUri(config.publicUrl), log: cliLogger() });
    try {
      for (const c of await tesla.selfTest(config.publicUrl)) checks.push({ ...c, check: `tesla: ${c.check}` });
    } finally { await tesla.close(); }
  } else if (config.tesla) {
    add('tesla', 'ok', 'configured; the running server logged its self-test at start-up', 'see the server log, or stop it and run `opencar doctor` again for the full self-test');
  } else {
    add('connectors', 'ok', 'no OEM connector configured: live mode lists every brand as unavailable (simulated and test modes work)');
  }
  await storage?.close();
  await checkPublicUrl(config, running, add);
  return checks;
}

function describe(url: string): string {
  if (url.startsWith('sqlite:')) return `SQLite ${url.slice('sqlite:'.length)}`;
  const u = new URL(url);
  return `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`;
}

type Add = (check: string, status: Check['status'], message: string, fix?: string) => void;

async function checkKeyOpensSecrets(storage: Storage, secretKey: string | undefined, add: Add): Promise<void> {
  const sample = await storage.db.selectFrom('apps').select(['id', 'amt_enc']).limit(1).executeTakeFirst();
  if (!sample) return add('secret key vs data', 'ok', 'no sealed secrets stored yet');
  try {
    decryptSecret(secretKey ?? '', sample.amt_enc);
    add('secret key vs data', 'ok', 'the key opens the secrets stored in the database');
  } catch {
    add('secret key vs data', 'fail', 'the configured key does not open the secrets stored in the database (another OPENCAR_SECRET_KEY sealed them)', 'set OPENCAR_SECRET_KEY to the key this database was created with');
  }
}

async function checkPublicUrl(config: Readonly<Config>, running: boolean, add: Add): Promise<void> {
  const url = `${config.publicUrl}/healthz`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'manual' });
    if (res.status === 200) add('public URL', 'ok', `${url} answers 200`);
    else add('public URL', 'fail', `${url} answers ${res.status}`, 'PUBLIC_URL must reach this server (check the reverse proxy)');
  } catch (err) {
    const why = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message;
    if (running) add('public URL', 'fail', `${url} is not reachable (${why}) though a server runs`, 'set PUBLIC_URL to the address clients use, and make it reach this server');
    else add('public URL', 'warn', `${url} is not reachable (${why}); no server runs on this database`, 'start the server (`opencar start`) and run doctor again');
  }
}
