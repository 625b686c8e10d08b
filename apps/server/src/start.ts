import { accessSync, constants } from 'node:fs';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, systemClock, withEnvFile, type Config, type Env } from '@opencar/core';
import { DatabaseInUseError, DatabaseSetupError, ensurePostgresDatabase, openStorage, type Storage } from '@opencar/storage';
import { buildApp } from './build-app.js';
import { createPlatform } from './platform.js';
import { loadOrCreateSecretKey, provision } from './provision.js';
import { banner } from './banner.js';
import { logSelfTest } from './self-test.js';
import { createLogger } from './logger.js';

/** A start-up failure the operator can fix: printed as one line, without a stack trace. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** The environment of a command: `.env` in the working directory under the process environment. */
export function operatorEnv(env: Env, cwd = process.cwd()): Env {
  try {
    return withEnvFile(env, cwd);
  } catch (err) {
    throw asStartupError(err);
  }
}

/** Configuration with the secret key resolved (OPENCAR_SECRET_KEY or the data dir's key file). */
export function resolveConfig(env: Env, log: Logger): { config: Readonly<Config>; secretKey: string } {
  let first: Readonly<Config>;
  try { first = loadConfig(env); } catch (err) { throw asStartupError(err); }
  let secretKey: string;
  try {
    secretKey = first.secretKey ?? loadOrCreateSecretKey(first.dataDir, log);
  } catch (err) {
    throw fileError(err, 'OPENCAR_DATA_DIR must be a directory this process may write (or set OPENCAR_SECRET_KEY)');
  }
  try { return { config: loadConfig({ ...env, OPENCAR_SECRET_KEY: secretKey }), secretKey }; } catch (err) { throw asStartupError(err); }
}

/** A file the operator named cannot be used: one line with the path, the reason and what to change. */
function fileError(err: unknown, fix: string): unknown {
  const e = err as { code?: string; path?: string };
  if (e.code && e.path && /^E[A-Z]+$/.test(e.code)) return new StartupError(`cannot use ${e.path} (${e.code}); ${fix}`);
  return err;
}

/** Files named by the configuration must be readable before anything starts. */
function checkFiles(config: Readonly<Config>): void {
  for (const [variable, file] of [['TLS_CERT_FILE', config.tls?.certFile], ['TLS_KEY_FILE', config.tls?.keyFile]] as const) {
    if (!file) continue;
    try { accessSync(file, constants.R_OK); } catch (err) {
      throw new StartupError(`invalid configuration: ${variable}: cannot read ${file} (${(err as { code?: string }).code ?? 'error'})`);
    }
  }
}

/** Opens (and migrates) the configured database; a missing PostgreSQL database is created when the role may. */
export async function openConfiguredStorage(config: Readonly<Config>, log: Logger, opts: { lock?: boolean; migrate?: boolean; create?: boolean } = {}): Promise<Storage> {
  try {
    if (/^postgres(ql)?:\/\//.test(config.databaseUrl) && opts.create !== false && (await ensurePostgresDatabase(config.databaseUrl))) {
      log.info({ database: new URL(config.databaseUrl).pathname.slice(1) }, 'created the PostgreSQL database');
    }
    return await openStorage(config.databaseUrl, { lock: opts.lock === true, migrate: opts.migrate !== false });
  } catch (err) {
    if (config.databaseUrl.startsWith('sqlite:') && (err as { code?: string }).code === 'SQLITE_CANTOPEN') {
      throw new StartupError(`cannot open the SQLite database ${config.databaseUrl.slice('sqlite:'.length)} (SQLITE_CANTOPEN); DATABASE_URL must name a file in a directory this process may write`);
    }
    throw fileError(asStartupError(err), 'DATABASE_URL must name a file in a directory this process may write');
  }
}

/** Maps the errors an operator can fix to one-line start-up errors; anything else stays as it is. */
export function asStartupError(err: unknown): unknown {
  if (err instanceof ConfigError) return new StartupError(`invalid configuration: ${err.message}`);
  if (err instanceof DatabaseInUseError || err instanceof DatabaseSetupError) return new StartupError(err.message);
  return err;
}

function listenError(err: unknown, config: Readonly<Config>): unknown {
  const c = (err as { code?: string }).code;
  if (c === 'EADDRINUSE') return new StartupError(`port ${config.port} on ${config.host} is already in use by another process; stop it or set PORT to a free port`);
  if (c === 'EACCES') return new StartupError(`not allowed to listen on port ${config.port} on ${config.host}; set PORT to a port above 1023 or grant the permission`);
  if (c === 'ENOTFOUND' || c === 'EAI_AGAIN') return new StartupError(`HOST ${config.host} does not resolve to an address; set HOST to an address of this machine (or 0.0.0.0)`);
  if (c === 'EADDRNOTAVAIL') return new StartupError(`HOST ${config.host} is not an address of this machine; set HOST to one of its addresses (or 0.0.0.0)`);
  return err;
}

export interface RunningServer {
  config: Readonly<Config>;
  log: Logger;
  stop(signal: string): Promise<void>;
}

/** Composition root: config → storage → platform services → app → listen → banner. */
export async function startServer(env: Env, opts: { handleSignals?: boolean } = {}): Promise<RunningServer> {
  const started = performance.now();
  let pre: Readonly<Config>;
  try { pre = loadConfig(env); } catch (err) { throw asStartupError(err); }
  const log = createLogger(pre);
  const { config, secretKey } = resolveConfig(env, log);
  checkFiles(config);
  const storage = await openConfiguredStorage(config, log, { lock: true });
  const platform = await createPlatform({ config, secretKey, storage, clock: systemClock, log });
  const app = await buildApp(platform);
  if (platform.tesla) await logSelfTest(log, await platform.tesla.selfTest(config.publicUrl));
  const credentials = await provision(config, storage, systemClock, secretKey, log);
  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    stopping ??= (async () => {
      log.info({ signal }, 'draining in-flight requests');
      const force = setTimeout(() => { log.error('shutdown grace period elapsed; exiting'); process.exit(1); }, config.shutdownGraceSeconds * 1000);
      force.unref();
      await app.close();
      await platform.close();
      await storage.close();
      log.info('stopped cleanly');
      await new Promise<void>((r) => log.flush(() => r()));
    })();
    return stopping;
  };
  if (opts.handleSignals) {
    // Handlers before listening: a signal that arrives right after the banner must still drain, not kill.
    const onSignal = (signal: string) => void stop(signal).then(() => process.exit(0));
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.on('SIGINT', () => onSignal('SIGINT'));
  }
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await platform.close().catch(() => undefined);
    await storage.close().catch(() => undefined);
    throw listenError(err, config);
  }
  log.info(banner(config, credentials, performance.now() - started));
  return { config, log, stop };
}

/** `npm start` and `opencar start`: the server in the foreground until SIGTERM or SIGINT drains and stops it. */
export async function runServer(env: Env): Promise<void> {
  await startServer(operatorEnv(env), { handleSignals: true });
}

/** One line on stderr and exit status 1; a stack trace only for errors nobody anticipated. */
export function exitOnStartupError(err: unknown): never {
  const text = err instanceof StartupError ? err.message : `failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
  process.stderr.write(`opencar: ${text}\n`);
  process.exit(1);
}
