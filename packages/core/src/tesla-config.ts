import { ConfigError, int, oneOf, url, type Env } from './config.js';

/**
 * The Tesla Fleet API connector's settings (live mode), read once with the rest of the
 * configuration. Every Tesla host is configurable so a test double can stand in.
 */
export type TeslaRegion = 'na' | 'eu' | 'cn';
export const TESLA_REGIONS: readonly TeslaRegion[] = ['na', 'eu', 'cn'];

/** Per vehicle and UTC day; 0 means no cap. */
export interface OemQuotaProfile {
  data: number;
  commands: number;
  wakes: number;
  chargingCommands: number;
}

/** Tesla's former Discovery plan caps (per vehicle and day), the default budget. */
export const TESLA_DISCOVERY_QUOTA: OemQuotaProfile = Object.freeze({ data: 200, commands: 50, wakes: 15, chargingCommands: 5 });

export interface TeslaConfig {
  clientId: string;
  /** Undefined for a public (open-source) application: PKCE without a client secret. */
  clientSecret: string | undefined;
  authorizeUrl: string;
  tokenUrl: string;
  /** Regional Fleet API base URLs. */
  fleetUrls: Record<TeslaRegion, string>;
  /** Region tried first for an account whose region is not known yet. */
  defaultRegion: TeslaRegion;
  /** Domain the application is registered with at Tesla (virtual-key pairing link, partner registration). */
  domain: string;
  /** The operator's Tesla Vehicle Command proxy (`tesla-http-proxy`), for vehicles that need signed commands. */
  commandProxy: { url: string; caFile: string | undefined } | undefined;
  /** False: commands are refused (read-only deployment); the self-test then does not ask for a proxy. */
  commands: boolean;
  quota: OemQuotaProfile;
  /** Deadline of one Fleet API request. */
  requestTimeoutMs: number;
  /** After `wake_up`: poll the vehicle state this often, at most this many times. */
  wakePollMs: number;
  wakeAttempts: number;
}

const DEFAULT_FLEET: Record<TeslaRegion, string> = {
  na: 'https://fleet-api.prd.na.vn.cloud.tesla.com',
  eu: 'https://fleet-api.prd.eu.vn.cloud.tesla.com',
  cn: 'https://fleet-api.prd.cn.vn.cloud.tesla.cn',
};

function quota(raw: string | undefined): OemQuotaProfile {
  if (raw === undefined || raw === '' || raw === 'discovery') return { ...TESLA_DISCOVERY_QUOTA };
  if (raw === 'unlimited') return { data: 0, commands: 0, wakes: 0, chargingCommands: 0 };
  const out = { ...TESLA_DISCOVERY_QUOTA };
  const names: Record<string, keyof OemQuotaProfile> = { data: 'data', commands: 'commands', wakes: 'wakes', charging: 'chargingCommands' };
  for (const part of raw.split(',')) {
    const [k, v] = part.split('=').map((x) => x.trim());
    const field = k ? names[k] : undefined;
    if (!field || !v || !/^\d+$/.test(v)) {
      throw new ConfigError('OPENCAR_TESLA_QUOTA', `must be discovery, unlimited or data=N,commands=N,wakes=N,charging=N, got "${raw}"`);
    }
    out[field] = Number(v);
  }
  return out;
}

/** Undefined unless OPENCAR_TESLA_CLIENT_ID is set; every other variable then has a documented default. */
export function teslaConfig(env: Env, publicUrl: string): TeslaConfig | undefined {
  const clientId = env.OPENCAR_TESLA_CLIENT_ID;
  if (!clientId) {
    const stray = Object.keys(env).find((k) => k.startsWith('OPENCAR_TESLA_') && env[k]);
    if (stray) throw new ConfigError('OPENCAR_TESLA_CLIENT_ID', `must be set to use the Tesla connector (${stray} is set)`);
    return undefined;
  }
  const opt = (name: string, def: string) => url(name, env[name] || def);
  const proxyUrl = env.OPENCAR_TESLA_PROXY_URL ? url('OPENCAR_TESLA_PROXY_URL', env.OPENCAR_TESLA_PROXY_URL) : undefined;
  if (proxyUrl && !proxyUrl.startsWith('https:')) throw new ConfigError('OPENCAR_TESLA_PROXY_URL', 'must be https:// (the proxy only serves TLS)');
  if (env.OPENCAR_TESLA_PROXY_CA_FILE && !proxyUrl) throw new ConfigError('OPENCAR_TESLA_PROXY_URL', 'must be set together with OPENCAR_TESLA_PROXY_CA_FILE');
  const domain = (env.OPENCAR_TESLA_DOMAIN || new URL(publicUrl).hostname).toLowerCase();
  if (!/^[a-z0-9.-]+$/.test(domain)) throw new ConfigError('OPENCAR_TESLA_DOMAIN', `must be a host name, got "${domain}"`);
  return {
    clientId,
    clientSecret: env.OPENCAR_TESLA_CLIENT_SECRET || undefined,
    authorizeUrl: opt('OPENCAR_TESLA_AUTHORIZE_URL', 'https://auth.tesla.com/oauth2/v3/authorize'),
    tokenUrl: opt('OPENCAR_TESLA_TOKEN_URL', 'https://fleet-auth.prd.vn.cloud.tesla.com/oauth2/v3/token'),
    fleetUrls: {
      na: opt('OPENCAR_TESLA_FLEET_URL_NA', DEFAULT_FLEET.na),
      eu: opt('OPENCAR_TESLA_FLEET_URL_EU', DEFAULT_FLEET.eu),
      cn: opt('OPENCAR_TESLA_FLEET_URL_CN', DEFAULT_FLEET.cn),
    },
    defaultRegion: oneOf(env, 'OPENCAR_TESLA_REGION', 'na', TESLA_REGIONS),
    domain,
    commandProxy: proxyUrl ? { url: proxyUrl, caFile: env.OPENCAR_TESLA_PROXY_CA_FILE || undefined } : undefined,
    commands: oneOf(env, 'OPENCAR_TESLA_COMMANDS', 'on', ['on', 'off']) === 'on',
    quota: quota(env.OPENCAR_TESLA_QUOTA),
    requestTimeoutMs: int(env, 'OPENCAR_TESLA_TIMEOUT_MS', 30_000, 100, 300_000),
    wakePollMs: int(env, 'OPENCAR_TESLA_WAKE_POLL_MS', 3_000, 0, 60_000),
    wakeAttempts: int(env, 'OPENCAR_TESLA_WAKE_ATTEMPTS', 10, 1, 100),
  };
}
