import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { pino } from 'pino';
import { CredentialThrottle, ManualClock, loadConfig, sha256, encryptSecret } from '@opencar/core';
import type { Brand, Capability, ConnectMode, SignInInput, SignInResult, VehicleBackend, VehicleConnector, VehicleSummary } from '@opencar/connectors';
import { AccountsRepo, CredentialFailuresRepo, type Storage } from '@opencar/storage';
import { openTestStorage, type Engine } from '../../storage/src/testing.js';
import { installErrorHandler } from '../../../apps/server/src/plugins/error-handler.js';
import { oauthPlugin, StoredGrantService, type OAuthDeps } from '../src/index.js';

/** The platform secret of the harness (signs re-authentication and battery-capacity links). */
export const SECRET_KEY = 'test-secret-key-0123456789';
export const CLIENT = { id: '11111111-2222-4333-8444-555555555555', secret: 'client-secret-0123456789', redirect: 'https://app.example/callback', second: 'http://localhost:8000/callback' };
export const OTHER = { id: '99999999-2222-4333-8444-555555555555', secret: 'other-secret-0123456789', redirect: 'https://other.example/cb' };

const ALL: Capability[] = ['attributes', 'vin', 'location', 'odometer', 'battery', 'charge', 'lock_status', 'lock_control', 'fuel'];

/** A small in-memory vehicle backend whose sign-in outcomes are chosen by the e-mail address. */
export class FakeBackend implements VehicleBackend {
  signIns = 0;
  /** Brands with real vehicles (live mode); every brand is available in simulated and test mode. */
  liveMakes = new Set(['TESLA', 'VOLKSWAGEN', 'BMW', 'FORD']);
  brandAvailable(make: string, mode: ConnectMode): boolean { return mode !== 'live' || this.liveMakes.has(make); }
  brands(country: string): Brand[] {
    const eu: Brand[] = [{ make: 'TESLA', displayName: 'Tesla', regions: ['US', 'EUROPE'] }, { make: 'VOLKSWAGEN', displayName: 'Volkswagen', regions: ['EUROPE'] }, { make: 'BMW', displayName: 'BMW', regions: ['US', 'EUROPE'] }];
    return country === 'US' ? eu.filter((b) => b.make !== 'VOLKSWAGEN').concat([{ make: 'FORD', displayName: 'Ford', regions: ['US'] }]) : eu;
  }
  models() { return []; }
  capabilitiesForVin() { return undefined; }
  private summaries(input: SignInInput, n: number): VehicleSummary[] {
    const account = `acct-${input.make}-${input.email.toLowerCase()}`;
    return Array.from({ length: n }, (_, i) => ({ vehicleId: `${account}-v${i}`, vin: `VIN${i}0000000000000`.slice(0, 17), make: input.make, model: i === 1 ? 'Basic' : 'Model S', year: 2022, powertrain: 'BEV' as const, accountId: account, mode: input.mode }));
  }
  async signIn(input: SignInInput): Promise<SignInResult> {
    this.signIns++;
    if (input.password !== 'pw') return { ok: false, reason: 'bad_credentials' };
    const e = input.email.toLowerCase();
    if (e === 'boom@x.test') throw new Error('backend exploded');
    if (e === 'none@x.test') return { ok: true, accountId: 'acct-none', vehicles: [] };
    if (e === 'sub@x.test') return { ok: false, reason: 'connect_error', error: 'invalid_subscription', description: 'Subscription inactive.', vin: 'SUBVIN00000000000', make: input.make };
    if (e === 'incompat@x.test') return { ok: false, reason: 'connect_error', error: 'vehicle_incompatible', description: 'Not compatible.', vin: 'INCVIN00000000000', make: input.make, model: 'Old', year: 2009 };
    const n = /^(\d)-cars@/.exec(e) ? Number(e[0]) : 1;
    return { ok: true, accountId: `acct-${input.make}-${e}`, vehicles: this.summaries(input, n) };
  }
  async vehicle(id: string): Promise<VehicleSummary | undefined> {
    const m = /^acct-([A-Z]+)-(.+)-v(\d)$/.exec(id);
    return m ? { vehicleId: id, vin: 'VIN', make: m[1]!, model: 'Model S', year: 2022, powertrain: 'BEV', accountId: `acct-${m[1]}-${m[2]}`, mode: 'live' } : undefined;
  }
  async connector(id: string): Promise<VehicleConnector | undefined> {
    // Vehicle v1 ("Basic") has no odometer or location.
    const caps = new Set<Capability>(id.endsWith('-v1') ? ['attributes', 'vin'] : ALL);
    return { name: 'fake', identity: async () => ({ vin: 'VIN', make: 'TESLA', model: 'Model S', year: 2022 }), capabilities: async () => caps };
  }
  addEventSink() {}
}

export interface Harness {
  app: FastifyInstance;
  storage: Storage;
  clock: ManualClock;
  grants: StoredGrantService;
  backend: FakeBackend;
  close(): Promise<void>;
}

/** A Fastify app with only Connect and the token endpoint, over a fresh database of the given engine. */
export async function harness(engine: Engine = { name: 'sqlite', url: 'sqlite::memory:' }, extra: Partial<Pick<OAuthDeps, 'metering' | 'integrations'>> = {}): Promise<Harness> {
  const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', OPENCAR_SECRET_KEY: SECRET_KEY, LOG_LEVEL: 'silent', PUBLIC_URL: 'http://opencar.test' });
  const { storage, dispose } = await openTestStorage(engine);
  const clock = new ManualClock(Date.UTC(2026, 10, 1));
  const accounts = new AccountsRepo(storage.db);
  await accounts.createDeveloper({ id: 'dev1', email: 'd@x.test', password_hash: null, name: 'D', tos_version: null, tos_accepted_at: null, plan: 'free', plan_limits: null, status: 'active', created_at: 0 });
  for (const c of [{ ...CLIENT, uris: [CLIENT.redirect, CLIENT.second, 'sc11111111-2222-4333-8444-555555555555://oauth/cb'] }, { ...OTHER, uris: [OTHER.redirect] }]) {
    await accounts.createApp({ id: c.id, developerId: 'dev1', name: c.id === CLIENT.id ? 'Charge Planner' : 'Other App', logoUrl: null, clientSecretHash: sha256(c.secret), amtHash: sha256(`amt-${c.id}`), amtEnc: encryptSecret(config.secretKey!, 'amt'), redirectUris: c.uris, defaultScope: ['read_vehicle_info', 'read_odometer'], mode: 'live', simLatency: null }, 0);
  }
  const grants = new StoredGrantService(storage, clock);
  const backend = new FakeBackend();
  const app = Fastify({ loggerInstance: pino({ level: 'silent' }), routerOptions: { ignoreTrailingSlash: true } }) as unknown as FastifyInstance;
  await app.register(formbody);
  installErrorHandler(app, config.publicUrl);
  await app.register(oauthPlugin({ config, secretKey: config.secretKey!, storage, clock, log: pino({ level: 'silent' }), grants, backend, throttle: new CredentialThrottle(new CredentialFailuresRepo(storage.db), clock), ...extra }));
  return { app, storage, clock, grants, backend, close: async () => { await app.close(); await dispose(); } };
}

export const authorizeUrl = (params: Record<string, string | undefined>) =>
  `/oauth/authorize?${new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString()}`;

/** Drives one Connect flow like a browser: keeps the flow cookie, reads CSRF tokens from forms. */
export class Browser {
  cookie = '';
  flowPath = '';
  html = '';
  status = 0;
  location: string | undefined;
  headers: Record<string, unknown> = {};
  /** Every URL this browser was sent to (to check redirect_uri never leaks into page URLs). */
  visited: string[] = [];

  constructor(private readonly app: FastifyInstance, private readonly acceptLanguage = 'en') {}

  private record(res: { statusCode: number; headers: Record<string, unknown>; body: string }) {
    this.status = res.statusCode;
    this.headers = res.headers;
    this.html = res.body;
    this.location = res.headers.location as string | undefined;
    const set = res.headers['set-cookie'];
    if (typeof set === 'string') this.cookie = set.split(';')[0]!;
    if (this.location) this.visited.push(this.location);
  }

  async open(url: string) {
    this.visited.push(url);
    const res = await this.app.inject({ method: 'GET', url, headers: { 'accept-language': this.acceptLanguage, cookie: this.cookie } });
    this.record(res);
    if (res.statusCode === 302 && this.location?.startsWith('/connect/')) {
      this.flowPath = this.location.split('?')[0]!.split('/').slice(0, 3).join('/');
      await this.open(this.location);
    }
    return this;
  }

  get csrf(): string {
    return /name="_csrf" value="([^"]+)"/.exec(this.html)?.[1] ?? '';
  }

  async post(action: string, fields: Record<string, string | string[]> = {}, opts: { csrf?: string; cookie?: string } = {}) {
    const body = new URLSearchParams();
    body.append('_csrf', opts.csrf ?? this.csrf);
    for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
    const res = await this.app.inject({ method: 'POST', url: `${this.flowPath}/${action}`, payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': this.acceptLanguage, cookie: opts.cookie ?? this.cookie } });
    this.record(res);
    if (res.statusCode === 303 && this.location?.startsWith('/connect/')) await this.open(this.location);
    return this;
  }

  /** The app redirect's query, once Connect sent the browser back. */
  get result(): URLSearchParams {
    if (!this.location || this.location.startsWith('/')) throw new Error(`no app redirect (status ${this.status})`);
    return new URL(this.location).searchParams;
  }

  has(selector: RegExp): boolean {
    return selector.test(this.html);
  }
}

/** Runs a full flow (preamble → brand → login → consent) and returns the browser at the app redirect. */
export async function connect(h: Harness, params: Record<string, string | undefined> = {}, opts: { email?: string; brand?: string; vehicles?: string[]; decision?: string } = {}) {
  const b = new Browser(h.app);
  await b.open(authorizeUrl({ response_type: 'code', client_id: CLIENT.id, redirect_uri: CLIENT.redirect, scope: 'read_odometer read_vin', state: 'st-1', ...params }));
  if (b.has(/id="continue-button"/)) await b.post('continue');
  if (b.has(/id="brand-search"/)) await b.post('brand', { make: opts.brand ?? 'TESLA' });
  if (b.has(/id="sign-in-button"/)) await b.post('login', { username: opts.email ?? 'owner@x.test', password: 'pw' });
  if (b.has(/id="approval-button"/)) {
    const ids = opts.vehicles ?? [...b.html.matchAll(/name="vehicle" value="([^"]+)" checked/g)].map((m) => m[1]!);
    await b.post('consent', { decision: opts.decision ?? 'approve', vehicle: ids });
  }
  return b;
}

export async function token(h: Harness, form: Record<string, string>, basic: { id: string; secret: string } | null = { id: CLIENT.id, secret: CLIENT.secret }) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${basic.id}:${basic.secret}`).toString('base64')}`;
  const res = await h.app.inject({ method: 'POST', url: '/oauth/token', payload: new URLSearchParams(form).toString(), headers });
  return { status: res.statusCode, body: res.json() as Record<string, unknown>, headers: res.headers };
}
