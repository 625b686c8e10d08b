import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import { vehicleSections, type VehicleSections } from './fixtures.js';

/**
 * The emulated Tesla cloud's state, shared by its auth, regional Fleet API and command-proxy
 * servers. Test code drives it directly (add owners and cars, put a car to sleep, inject faults,
 * expire tokens); the servers answer from it. Every answer's shape is documented in SOURCES.md.
 */
export type Region = 'na' | 'eu';

export interface EmuUser { subject: string; email: string; password: string; region: Region; /** Scopes the owner grants (default: all requested). */ grants?: string[] }

export interface EmuVehicle {
  id: number;
  vehicleId: number;
  vin: string;
  owner: string;
  displayName: string;
  state: 'online' | 'asleep' | 'offline';
  /** `GET /api/1/vehicles/{vin}` polls after `wake_up` before the car reports online. */
  wakePolls: number;
  /** Polls left of a wake in progress; undefined when no wake was asked for. */
  waking: number | undefined;
  signingRequired: boolean;
  /** Public keys (hex) paired with the car. */
  pairedKeys: Set<string>;
  mobileAccess: boolean;
  data: VehicleSections;
}

export interface EmuClient { id: string; secret: string | null; redirectUris: string[]; name: string }

export interface EmuToken { kind: 'user' | 'partner'; sub: string; clientId: string; scopes: string[]; region: Region; expiresAt: number }

interface EmuCode { clientId: string; redirectUri: string; sub: string; scopes: string[]; challenge: string | null; expiresAt: number; used: boolean }

interface EmuRefresh { sub: string; clientId: string; scopes: string[]; region: Region; used: boolean }

/** An answer the next matching requests get instead of the normal one. */
export interface Fault {
  /** Which server: auth, a region, or the proxy; any when omitted. */
  server?: 'auth' | Region | 'proxy';
  path?: RegExp;
  method?: string;
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  /** Close the connection without an answer. */
  drop?: boolean;
  /** Answer after this many ms (the normal answer unless `status` is given). */
  delayMs?: number;
  /** How many requests it applies to (default 1). */
  times?: number;
}

export interface Registration { domain: string; publicKey: string; at: number }

export interface CallRecord { server: string; method: string; path: string; status: number; /** Decoded query string. */ query?: string }

const DAY_MS = 86_400_000;

function jwt(payload: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc(payload)}.${randomBytes(24).toString('base64url')}`;
}

export class EmulatorState {
  readonly users = new Map<string, EmuUser>();
  readonly vehicles = new Map<string, EmuVehicle>();
  readonly clients = new Map<string, EmuClient>();
  readonly tokens = new Map<string, EmuToken>();
  private readonly codes = new Map<string, EmuCode>();
  private readonly refresh = new Map<string, EmuRefresh>();
  /** Partner registrations per client and region. */
  readonly registrations = new Map<string, Registration>();
  readonly faults: Fault[] = [];
  readonly calls: CallRecord[] = [];
  /** Billed data requests per VIN and UTC day. */
  private readonly dataCalls = new Map<string, number>();
  /** Data requests a car may receive a day before 429 (Tesla's documented device-data limit). */
  dailyDataLimit = 1000;
  /** Seconds an access token lives (Tesla: 8 h). */
  accessTtl = 28_800;
  bases: Record<Region, string> = { na: '', eu: '' };
  /** Codes carry the account's region as a prefix (`NA_…`) unless a test turns it off. */
  regionPrefixedCodes = true;
  private nextId = 1_000_001;

  constructor(readonly now: () => number) {}

  // ---- setup (test side)

  addClient(c: Partial<EmuClient> & { id: string; redirectUris: string[] }): EmuClient {
    const client = { secret: null, name: 'opencar', ...c };
    this.clients.set(c.id, client);
    return client;
  }

  addUser(u: Omit<EmuUser, 'subject'> & { subject?: string }): EmuUser {
    const user = { subject: u.subject ?? `${createHash('sha256').update(u.email).digest('hex').slice(0, 8)}-tesla-user`, ...u };
    this.users.set(user.email.toLowerCase(), user);
    return user;
  }

  addVehicle(owner: EmuUser, v: Partial<Omit<EmuVehicle, 'owner' | 'data'>> & { vin: string; carType?: string; rhd?: boolean }): EmuVehicle {
    const id = this.nextId++;
    const vehicle: EmuVehicle = {
      id: id * 1000 + 7, vehicleId: id, displayName: 'Emulated', state: 'online', wakePolls: 1, waking: undefined, signingRequired: true,
      pairedKeys: new Set(), mobileAccess: true, ...v, owner: owner.subject, data: vehicleSections(this.now(), { carType: v.carType, rhd: v.rhd }),
    };
    this.vehicles.set(v.vin, vehicle);
    return vehicle;
  }

  /** The car goes to sleep; only `wake_up` (then polling its state) brings it back. */
  sleep(vin: string, state: 'asleep' | 'offline' = 'asleep'): void {
    const v = this.vehicles.get(vin)!;
    v.state = state;
    v.waking = undefined;
  }

  /** Pairs a public key (PEM or hex) with a car, as the owner does in the Tesla app. */
  pair(vin: string, key: string): void {
    this.vehicles.get(vin)!.pairedKeys.add(key.startsWith('-----') ? keyHex(key) : key.toLowerCase());
  }

  fault(f: Fault): void { this.faults.push({ times: 1, ...f }); }

  /** Every access token stops working (as after its expiry). */
  expireAccessTokens(): void { for (const t of this.tokens.values()) t.expiresAt = 0; }

  /** Every refresh token stops working (the owner revoked the app at Tesla, or it expired). */
  revokeRefreshTokens(): void { for (const r of this.refresh.values()) r.used = true; }

  register(clientId: string, region: Region, domain: string, publicKey: string): void {
    this.registrations.set(`${clientId}|${region}`, { domain, publicKey, at: this.now() });
  }

  callsTo(path: RegExp, method?: string): CallRecord[] {
    return this.calls.filter((c) => path.test(c.path) && (!method || c.method === method));
  }

  // ---- server side

  takeFault(server: string, method: string, path: string): Fault | undefined {
    const i = this.faults.findIndex((f) => (!f.server || f.server === server) && (!f.method || f.method === method) && (!f.path || f.path.test(path)));
    if (i < 0) return undefined;
    const f = this.faults[i]!;
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) this.faults.splice(i, 1);
    return f;
  }

  issueCode(c: Omit<EmuCode, 'expiresAt' | 'used'>, region: Region): string {
    const code = `${this.regionPrefixedCodes ? `${region.toUpperCase()}_` : ''}${randomBytes(24).toString('hex')}`;
    this.codes.set(code, { ...c, expiresAt: this.now() + 10 * 60_000, used: false });
    return code;
  }

  takeCode(code: string): EmuCode | undefined {
    const c = this.codes.get(code);
    if (!c || c.used || c.expiresAt < this.now()) return undefined;
    c.used = true;
    return c;
  }

  issueTokens(sub: string, clientId: string, scopes: string[], region: Region, kind: EmuToken['kind'] = 'user'): Record<string, unknown> {
    const exp = this.now() + this.accessTtl * 1000;
    const access = jwt({ iss: 'https://fleet-auth.prd.vn.cloud.tesla.com/oauth2/v3/nts', sub, aud: [this.bases[region]], scp: scopes, exp: Math.floor(exp / 1000), ou_code: region.toUpperCase() });
    this.tokens.set(access, { kind, sub, clientId, scopes, region, expiresAt: exp });
    const out: Record<string, unknown> = { access_token: access, expires_in: this.accessTtl, token_type: 'Bearer' };
    if (kind === 'user') {
      out.id_token = jwt({ sub, aud: clientId });
      if (scopes.includes('offline_access')) {
        const rt = `${region.toUpperCase()}_${randomBytes(32).toString('hex')}`;
        this.refresh.set(rt, { sub, clientId, scopes, region, used: false });
        out.refresh_token = rt;
      }
    }
    return out;
  }

  /** A refresh token's grant, marking it used (Tesla's refresh tokens are single-use). */
  useRefresh(token: string, clientId: string): EmuRefresh | undefined {
    const r = this.refresh.get(token);
    if (!r || r.used || r.clientId !== clientId) return undefined;
    r.used = true;
    return r;
  }

  token(header: string | undefined): EmuToken | undefined {
    const m = /^Bearer (.+)$/.exec(header ?? '');
    const t = m ? this.tokens.get(m[1]!) : undefined;
    return t && t.expiresAt > this.now() ? t : undefined;
  }

  /** Counts one billed data request for the car; false once the day's limit is reached. */
  countData(vin: string): boolean {
    const key = `${vin}|${Math.floor(this.now() / DAY_MS)}`;
    const n = (this.dataCalls.get(key) ?? 0) + 1;
    this.dataCalls.set(key, n);
    return n <= this.dailyDataLimit;
  }

  secondsToMidnight(): number {
    return Math.ceil(((Math.floor(this.now() / DAY_MS) + 1) * DAY_MS - this.now()) / 1000);
  }

  vehicleOf(sub: string, tag: string): EmuVehicle | undefined {
    for (const v of this.vehicles.values()) if (v.owner === sub && (v.vin === tag || String(v.id) === tag)) return v;
    return undefined;
  }

  vehiclesOf(sub: string): EmuVehicle[] {
    return [...this.vehicles.values()].filter((v) => v.owner === sub);
  }

  userBySubject(sub: string): EmuUser | undefined {
    for (const u of this.users.values()) if (u.subject === sub) return u;
    return undefined;
  }
}

/** The uncompressed point (hex) of an EC public key in PEM, as Tesla reports keys. */
export function keyHex(pem: string): string {
  const jwk = createPublicKey(pem).export({ format: 'jwk' });
  return `04${Buffer.from(jwk.x!, 'base64url').toString('hex')}${Buffer.from(jwk.y!, 'base64url').toString('hex')}`;
}
