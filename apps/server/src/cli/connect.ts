import { pino, type Logger } from 'pino';
import { Agent, fetch } from 'undici';
import { systemClock, type Config, type Env } from '@opencar/core';
import { OemRepo, serverHoldsDatabase, type Storage } from '@opencar/storage';
import { StoredGrantService } from '@opencar/oauth';
import { openConfiguredStorage, resolveConfig, StartupError } from '../start.js';
import { OperationError, runOperation, type OperationErrorKind, type OperationsContext } from '../operations/index.js';
import { OPERATOR_CONTENT_TYPE, signRequest, SIGNATURE_HEADER } from '../operations/cli-signature.js';
import { CliError, EXIT } from './exit-codes.js';

/** Where the CLI's operations run: in the running server (admin interface) or on the database directly. */
export interface OperatorConnection {
  via: 'server' | 'database';
  config: Readonly<Config>;
  secretKey: string;
  /** Set when the CLI opened the database itself. */
  storage?: Storage;
  invoke(name: string, args?: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

/** Warnings of the CLI itself go to stderr, so stdout stays the command's output (--json included). */
export function cliLogger(): Logger {
  return pino({ level: 'warn' }, pino.destination({ dest: 2, sync: true }));
}

/** The configuration and key the server would use, or a one-line error. */
export function cliConfig(env: Env, log: Logger): { config: Readonly<Config>; secretKey: string } {
  try {
    return resolveConfig(env, log);
  } catch (err) {
    if (err instanceof StartupError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
}

/** Opens the configured database (creating a missing PostgreSQL database when the role may). */
export async function openDatabase(config: Readonly<Config>, log: Logger, opts: { migrate?: boolean; create?: boolean } = {}): Promise<Storage> {
  try {
    // A SQLite file is locked while the CLI works on it, so a server cannot start on it meanwhile.
    return await openConfiguredStorage(config, log, { ...opts, lock: config.databaseUrl.startsWith('sqlite:') });
  } catch (err) {
    if (err instanceof StartupError) throw new CliError(err.message, EXIT.unavailable);
    throw err;
  }
}

/**
 * With a server holding the SQLite file, operations go through its admin interface (signed with
 * the platform key); otherwise the CLI opens the database itself. PostgreSQL is shared by design:
 * the CLI opens it directly, and running servers see changes within their plan cache time (5 s).
 */
export async function connectOperator(env: Env, opts: { server?: string } = {}): Promise<OperatorConnection> {
  const log = cliLogger();
  const { config, secretKey } = cliConfig(env, log);
  if (opts.server || serverHoldsDatabase(config.databaseUrl)) return remote(config, secretKey, opts.server ?? localUrl(config));
  const storage = await openDatabase(config, log);
  const grants = new StoredGrantService(storage, systemClock);
  const ctx: OperationsContext = {
    storage, clock: systemClock, secretKey,
    revokeApp: async (appId) => { await grants.revokeApp(appId); await new OemRepo(storage.db).deleteAppTokens(appId); },
    invalidatePlans: () => undefined,
    databaseUrl: config.databaseUrl,
  };
  return { via: 'database', config, secretKey, storage, invoke: (name, args = {}) => runOperation(ctx, name, args), close: () => storage.close() };
}

/** The server's own address as this machine reaches it (a wildcard HOST means loopback). */
export function localUrl(config: Readonly<Config>): string {
  const host = ['0.0.0.0', '::', '[::]', ''].includes(config.host) ? '127.0.0.1' : config.host;
  return `${config.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

function remote(config: Readonly<Config>, secretKey: string, base: string): OperatorConnection {
  // The request is signed and the server's certificate is often the operator's own: not checked here.
  const dispatcher = new Agent({ connect: { rejectUnauthorized: false }, headersTimeout: 120_000, bodyTimeout: 120_000 });
  const invoke = async (name: string, args: Record<string, unknown> = {}) => {
    const path = `/admin/api/${name}`;
    const body = JSON.stringify(args);
    let res;
    try {
      res = await fetch(`${base}${path}`, {
        method: 'POST', body, dispatcher,
        headers: { 'content-type': OPERATOR_CONTENT_TYPE, [SIGNATURE_HEADER]: signRequest(secretKey, 'POST', path, body) },
        signal: AbortSignal.timeout(120_000),
      });
    } catch (err) {
      throw new CliError(`a server holds the database but does not answer at ${base} (${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}); check HOST and PORT, or pass --server <url>`, EXIT.unavailable);
    }
    const text = await res.text();
    let parsed: { result?: unknown; error?: { kind?: string; message?: string } };
    try { parsed = JSON.parse(text) as typeof parsed; } catch { throw new CliError(`the server at ${base} answered ${res.status} without an operator answer`, EXIT.unavailable); }
    if (res.ok) return parsed.result;
    const kind = parsed.error?.kind;
    if (res.status === 401) throw new CliError(`the server at ${base} refused the operator signature: it runs with a different OPENCAR_SECRET_KEY`, EXIT.unavailable);
    if (kind === 'invalid' || kind === 'not_found' || kind === 'conflict') throw new OperationError(kind as OperationErrorKind, parsed.error?.message ?? kind);
    throw new CliError(`the server failed: ${parsed.error?.message ?? res.status}`, EXIT.failed);
  };
  return { via: 'server', config, secretKey, invoke, close: () => dispatcher.close() };
}
