import { isIP } from 'node:net';
import { teslaConfig, type TeslaConfig } from './tesla-config.js';

/**
 * Configuration: read once from the environment by the composition root, validated, deep-frozen and
 * passed in. No other module reads process.env. Every variable is documented in .env.example.
 */
export type LatencyProfile = 'zero' | 'realistic';

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string;
  /** Directory for generated files (secret key, SQLite database by default). */
  dataDir: string;
  /** Undefined until the composition root loads or creates the key file. */
  secretKey: string | undefined;
  seed: {
    clientId: string;
    clientSecret: string;
    redirectUris: string[];
    amt: string;
  } | undefined;
  tls: { certFile: string; keyFile: string } | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** pretty: human lines; json: one JSON object a line; auto: pretty on a terminal, JSON otherwise. */
  logFormat: 'auto' | 'pretty' | 'json';
  /** Simulator latency profile used when an app or vehicle does not choose one. */
  simLatency: LatencyProfile;
  /** Seconds a rotated refresh token keeps working (wire-contract §3 conflict: 1 or 10 min). */
  refreshGraceSeconds: number;
  /** Seconds to wait for in-flight requests on SIGTERM. */
  shutdownGraceSeconds: number;
  /** Webhook receivers must answer within this many ms (Smartcar: 15 s); retries and leases scale with it. */
  webhookTimeoutMs: number;
  /**
   * Webhook receivers may be on loopback or private addresses (link-local and metadata never).
   * Default: only when the server itself listens on loopback (local development).
   */
  webhookAllowPrivate: boolean;
  /**
   * Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR ranges); empty: the
   * socket's peer is the client address, which the credential throttles count per.
   */
  trustProxy: string[];
  /** Slow-client limits of the HTTP server, ms: whole header block, whole request (headers and body), idle keep-alive. */
  timeouts: { headersMs: number; requestMs: number; keepAliveMs: number };
  /** Days request-ledger rows (of months with a statement) and finished webhook deliveries are kept; 0 keeps them forever. */
  retentionDays: number;
  /**
   * Days the request log keeps each request's headers and bodies (OPENCAR_REQUEST_LOG_RETENTION_DAYS);
   * 0 keeps none. The ledger row of the request follows retentionDays.
   */
  requestLogRetentionDays: number;
  /** The Tesla Fleet API connector for live mode; undefined when the operator has not configured it. */
  tesla: TeslaConfig | undefined;
  /**
   * API v3 commands: a command the vehicle confirms within this many ms gets one answer; a slower
   * one gets 202 at once and its outcome on the same connection (Smartcar: about 175 s).
   */
  v3CommandSyncMs: number;
  /**
   * Street map tiles for the simulator console (`https://…/{z}/{x}/{y}.png`) and their attribution;
   * undefined: the map draws only the world's land and borders shipped with opencar (works offline).
   */
  mapTiles: { url: string; attribution: string } | undefined;
  /** Plan of new developer accounts (OPENCAR_DEFAULT_PLAN). */
  defaultPlan: 'free' | 'payg' | 'enterprise';
  /** App bucket of simulated and test traffic, wider than a plan's (OPENCAR_SIMULATED_BUCKET_CAPACITY, _REFILL_PER_MINUTE). */
  simulatedBucket: { capacity: number; refillPerMinute: number };
  /**
   * Outgoing mail (password resets): every message is kept in the outbox table; with `smtpUrl`
   * (OPENCAR_SMTP_URL, `smtp://user:pass@host:587` or `smtps://…`) it is also sent from `from`
   * (OPENCAR_MAIL_FROM). Without it the operator reads the outbox (`opencar mail outbox`).
   */
  mail: { smtpUrl: string | undefined; from: string };
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

export function int(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function bool(env: Env, name: string, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

/** 127.0.0.0/8, ::1 or localhost: the server is only reachable from this machine. */
const isLoopbackHost = (host: string) => host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);

export function oneOf<T extends string>(env: Env, name: string, def: T, allowed: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

export function url(name: string, raw: string): string {
  let parsed: URL;
  try { parsed = new URL(raw); } catch { throw new ConfigError(name, `must be an absolute URL, got "${raw}"`); }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigError(name, 'must be http(s)');
  return raw.replace(/\/+$/, '');
}

function mapTiles(env: Env): Config['mapTiles'] {
  const raw = env.OPENCAR_MAP_TILES_URL;
  if (!raw) return undefined;
  const name = 'OPENCAR_MAP_TILES_URL';
  const probe = raw.replace(/\{[a-z]\}/g, '0');
  url(name, probe);
  if (!['{z}', '{x}', '{y}'].every((p) => raw.includes(p))) throw new ConfigError(name, `must contain {z}, {x} and {y}, got "${raw}"`);
  return { url: raw, attribution: (env.OPENCAR_MAP_ATTRIBUTION ?? '').slice(0, 300) };
}

function databaseUrl(raw: string | undefined): string {
  const value = raw || 'sqlite:./data/opencar.db';
  if (value.startsWith('sqlite:') && value.length > 'sqlite:'.length) return value;
  if (/^postgres(ql)?:\/\//.test(value)) return value;
  throw new ConfigError('DATABASE_URL', `must be sqlite:<path>, sqlite::memory: or postgres://…, got "${value}"`);
}

function seed(env: Env): Config['seed'] {
  const names = ['OPENCAR_SEED_CLIENT_ID', 'OPENCAR_SEED_CLIENT_SECRET', 'OPENCAR_SEED_REDIRECT_URIS', 'OPENCAR_SEED_AMT'] as const;
  const present = names.filter((n) => env[n]);
  if (present.length === 0) return undefined;
  const missing = names.find((n) => !env[n]);
  if (missing) throw new ConfigError(missing, `must be set together with ${present.join(', ')}`);
  const redirectUris = env.OPENCAR_SEED_REDIRECT_URIS!.split(/\s+/).filter(Boolean);
  for (const uri of redirectUris) {
    if (!isAllowedRedirectUri(uri)) throw new ConfigError('OPENCAR_SEED_REDIRECT_URIS', `not an allowed redirect URI: "${uri}"`);
  }
  return {
    clientId: env.OPENCAR_SEED_CLIENT_ID!,
    clientSecret: env.OPENCAR_SEED_CLIENT_SECRET!,
    redirectUris,
    amt: env.OPENCAR_SEED_AMT!,
  };
}

/**
 * Redirect URI forms Connect accepts (wire-contract §2.2): http://localhost…, any https://…, and the
 * custom scheme sc<clientId>://host[/path]. `clientId` narrows the custom scheme to one app.
 */
export function isAllowedRedirectUri(uri: string, clientId?: string): boolean {
  let u: URL;
  try { u = new URL(uri); } catch { return false; }
  if (u.hash) return false;
  if (u.protocol === 'https:') return true;
  if (u.protocol === 'http:') return ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  const scheme = u.protocol.slice(0, -1);
  if (/^sc[a-z0-9-]+$/i.test(scheme)) return clientId === undefined || scheme.toLowerCase() === `sc${clientId}`.toLowerCase();
  return false;
}

function trustProxy(env: Env): string[] {
  const entries = (env.OPENCAR_TRUST_PROXY ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  for (const e of entries) {
    const [ip = '', prefix, extra] = e.split('/');
    const v = isIP(ip);
    const bits = prefix === undefined ? 0 : Number(prefix);
    if (!v || extra !== undefined || (prefix !== undefined && !(/^\d+$/.test(prefix) && bits <= (v === 4 ? 32 : 128)))) {
      throw new ConfigError('OPENCAR_TRUST_PROXY', `must list IP addresses or CIDR ranges separated by commas, got "${e}"`);
    }
  }
  return entries;
}

function timeouts(env: Env): Config['timeouts'] {
  const headersMs = int(env, 'OPENCAR_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestMs = int(env, 'OPENCAR_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000);
  // Node refuses a header limit above the request limit: the headers are part of the request.
  if (headersMs > requestMs) throw new ConfigError('OPENCAR_HEADERS_TIMEOUT_MS', `must not exceed OPENCAR_REQUEST_TIMEOUT_MS (${requestMs})`);
  return { headersMs, requestMs, keepAliveMs: int(env, 'OPENCAR_KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000) };
}

function mail(env: Env): Config['mail'] {
  const smtpUrl = env.OPENCAR_SMTP_URL || undefined;
  if (smtpUrl !== undefined && !/^smtps?:\/\/[^/\s]+/.test(smtpUrl)) throw new ConfigError('OPENCAR_SMTP_URL', 'must be smtp://[user:pass@]host[:port] or smtps://…');
  const from = env.OPENCAR_MAIL_FROM || 'opencar <no-reply@opencar.local>';
  if (!/@/.test(from) || /[\r\n]/.test(from)) throw new ConfigError('OPENCAR_MAIL_FROM', 'must be an e-mail address, optionally with a name: "opencar <no-reply@example.com>"');
  return { smtpUrl, from };
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

export function loadConfig(env: Env): Readonly<Config> {
  const port = int(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const certFile = env.TLS_CERT_FILE;
  const keyFile = env.TLS_KEY_FILE;
  if (Boolean(certFile) !== Boolean(keyFile)) {
    throw new ConfigError(certFile ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE', 'TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  }
  const scheme = certFile ? 'https' : 'http';
  const displayHost = host.includes(':') ? `[${host}]` : host;
  const secretKey = env.OPENCAR_SECRET_KEY || undefined;
  if (secretKey !== undefined && secretKey.length < 16) {
    throw new ConfigError('OPENCAR_SECRET_KEY', 'must be at least 16 characters');
  }
  const config: Config = {
    port,
    host,
    publicUrl: env.PUBLIC_URL ? url('PUBLIC_URL', env.PUBLIC_URL) : `${scheme}://${displayHost}:${port}`,
    databaseUrl: databaseUrl(env.DATABASE_URL),
    dataDir: env.OPENCAR_DATA_DIR || './data',
    secretKey,
    seed: seed(env),
    tls: certFile && keyFile ? { certFile, keyFile } : undefined,
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    logFormat: oneOf(env, 'LOG_FORMAT', 'auto', ['auto', 'pretty', 'json']),
    simLatency: oneOf(env, 'OPENCAR_SIM_LATENCY', 'zero', ['zero', 'realistic']),
    refreshGraceSeconds: int(env, 'OPENCAR_REFRESH_GRACE_SECONDS', 60, 0, 3600),
    shutdownGraceSeconds: int(env, 'OPENCAR_SHUTDOWN_GRACE_SECONDS', 10, 0, 600),
    webhookTimeoutMs: int(env, 'OPENCAR_WEBHOOK_TIMEOUT_MS', 15_000, 100, 120_000),
    webhookAllowPrivate: bool(env, 'OPENCAR_WEBHOOK_ALLOW_PRIVATE', isLoopbackHost(host)),
    trustProxy: trustProxy(env),
    timeouts: timeouts(env),
    retentionDays: int(env, 'OPENCAR_RETENTION_DAYS', 90, 0, 3650),
    requestLogRetentionDays: int(env, 'OPENCAR_REQUEST_LOG_RETENTION_DAYS', 7, 0, 3650),
    tesla: undefined,
    v3CommandSyncMs: int(env, 'OPENCAR_V3_COMMAND_SYNC_MS', 175_000, 1, 290_000),
    mapTiles: mapTiles(env),
    defaultPlan: oneOf(env, 'OPENCAR_DEFAULT_PLAN', 'free', ['free', 'payg', 'enterprise']),
    simulatedBucket: {
      capacity: int(env, 'OPENCAR_SIMULATED_BUCKET_CAPACITY', 5000, 1, 10_000_000),
      refillPerMinute: int(env, 'OPENCAR_SIMULATED_BUCKET_REFILL_PER_MINUTE', 500, 1, 10_000_000),
    },
    mail: mail(env),
  };
  config.tesla = teslaConfig(env, config.publicUrl);
  return deepFreeze(config);
}
