import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Clock, TeslaConfig, TeslaRegion } from '@opencar/core';
import { ChargeObservationsRepo, OemRepo, type OemVehicleRow, type Storage } from '@opencar/storage';
import type { SignInInput, SignInResult, VehicleSummary } from '../../backend.js';
import type { LiveBackend, OAuthSignIn } from '../../live.js';
import type { VehicleConnector } from '../../connector.js';
import { VehicleError } from '../../errors.js';
import { OemApiClient, type OemLog } from '../client.js';
import { OemHttp } from '../http.js';
import { OemQuota } from '../quota.js';
import { OemTokens, type OemSession } from '../tokens.js';
import { TeslaConnector } from './connector.js';
import { teslaBilled, teslaRules } from './errors.js';
import { TeslaFleet } from './fleet.js';
import { knownBase, regionOfBase, regionOfCode } from './hosts.js';
import { TeslaKeys } from './keys.js';
import { TeslaAuth, TeslaAuthError, newPkce, teslaAuthorizeUrl } from './oauth.js';
import { registerPartner, type PartnerRegistration } from './partner.js';
import { teslaScopes } from './scopes.js';
import { teslaSelfTest, type SelfTestCheck } from './self-test.js';
import { CONNECTOR, defaultSleep, type TeslaServices } from './services.js';
import { emptySnapshot } from './vehicle-data.js';
import { teslaModel, teslaYear } from './vin.js';

export interface TeslaBackendOptions {
  config: TeslaConfig;
  storage: Storage;
  clock: Clock;
  secretKey: string;
  /** Where Tesla sends the owner back with the code (registered as the app's redirect URI at Tesla). */
  redirectUri: string;
  log?: OemLog;
  /** Wall-clock pause between wake polls (tests shorten it). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Platform ids derived from Tesla's ids: the same account and car always get the same id. */
const idFrom = (s: string) => {
  const h = createHash('sha256').update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * Tesla vehicles for live mode: Connect's sign-in through Tesla's own OAuth login, the vehicles of
 * the signed-in account, and a Fleet API connector per vehicle.
 */
export class TeslaBackend implements LiveBackend {
  readonly oauth: OAuthSignIn;
  readonly keys: TeslaKeys;
  readonly repo: OemRepo;
  private readonly s: TeslaServices;
  private readonly auth: TeslaAuth;
  private readonly http: OemHttp;
  private readonly proxyHttp: OemHttp | undefined;
  private readonly connectorOf: TeslaConnector;

  constructor(private readonly o: TeslaBackendOptions) {
    const { config, clock } = o;
    this.repo = new OemRepo(o.storage.db);
    this.http = new OemHttp();
    this.auth = new TeslaAuth(config, this.http, clock);
    const tokens = new OemTokens({ repo: this.repo, clock, secretKey: o.secretKey, refresh: (rt) => this.auth.refresh(rt) });
    const quota = new OemQuota(this.repo, clock, CONNECTOR, config.quota);
    const api = new OemApiClient({
      name: CONNECTOR, http: this.http, tokens, quota, rules: teslaRules(config.domain), billed: teslaBilled,
      baseOf: async (accountId) => (await this.repo.account(accountId))?.base_url ?? config.fleetUrls[config.defaultRegion],
      knownBase: (named) => knownBase(config, named),
      rememberBase: async (accountId, base) => {
        const region = (Object.keys(config.fleetUrls) as TeslaRegion[]).find((r) => config.fleetUrls[r] === base) ?? config.defaultRegion;
        await this.repo.setBase(accountId, region, base, clock.now());
      },
      timeoutMs: config.requestTimeoutMs, clock, log: o.log,
    });
    const proxy = config.commandProxy;
    this.proxyHttp = proxy ? new OemHttp({ ca: proxy.caFile ? readFileSync(proxy.caFile, 'utf8') : undefined }) : undefined;
    const fleet = new TeslaFleet(api, proxy && this.proxyHttp ? { base: proxy.url, http: this.proxyHttp } : undefined, () => clock.now());
    this.s = { config, repo: this.repo, charges: new ChargeObservationsRepo(o.storage.db), clock, tokens, quota, fleet, sleep: o.sleep ?? defaultSleep, log: o.log, signing: new Map(), reads: new Map() };
    this.keys = new TeslaKeys(this.repo, o.secretKey, clock);
    this.connectorOf = new TeslaConnector(this.s);
    this.oauth = { make: 'TESLA', begin: (p) => this.beginSignIn(p), complete: (p) => this.completeSignIn(p) };
  }

  get tokens(): OemTokens { return this.s.tokens; }
  get quota(): OemQuota { return this.s.quota; }

  /** Tesla owners sign in on Tesla's own page (`beginSignIn`); opencar never sees their password. */
  async signIn(_input: SignInInput): Promise<SignInResult> {
    return { ok: false, reason: 'connect_error', error: 'configuration_error', make: 'TESLA', description: 'Tesla owners sign in on Tesla\'s own login page.' };
  }

  async vehicle(vehicleId: string): Promise<VehicleSummary | undefined> {
    const v = await this.repo.vehicle(vehicleId);
    return v && v.connector === CONNECTOR ? summary(v) : undefined;
  }

  async connector(vehicleId: string): Promise<VehicleConnector | undefined> {
    const v = await this.repo.vehicle(vehicleId);
    return v && v.connector === CONNECTOR ? this.connectorOf : undefined;
  }

  /** Where Connect sends the owner: Tesla's authorize page with PKCE and the scopes the permissions need. */
  beginSignIn(p: { permissions: readonly string[]; state: string; locale?: string }): { url: string; verifier: string } {
    const pkce = newPkce();
    const url = teslaAuthorizeUrl(this.o.config, { redirectUri: this.o.redirectUri, state: p.state, scopes: teslaScopes(p.permissions), codeChallenge: pkce.challenge, locale: p.locale });
    return { url, verifier: pkce.verifier };
  }

  /**
   * Tesla's code arrived at opencar's callback: exchange it, list the account's vehicles, and keep
   * the tokens for `appId` (without one, the tokens only identify the owner and are dropped).
   */
  async completeSignIn(p: { appId?: string; code: string; verifier: string }): Promise<SignInResult> {
    const { config, clock } = this.o;
    const fromCode = regionOfCode(p.code);
    try {
      const t = await this.auth.exchangeCode({ code: p.code, redirectUri: this.o.redirectUri, verifier: p.verifier, region: fromCode ?? config.defaultRegion });
      const accountId = idFrom(`tesla:${t.subject}`);
      const existing = await this.repo.account(accountId);
      const region = fromCode ?? (existing?.region as TeslaRegion | undefined) ?? config.defaultRegion;
      const baseUrl = fromCode || !existing ? config.fleetUrls[region] : existing.base_url;
      await this.repo.upsertAccount({ id: accountId, connector: CONNECTOR, subject: t.subject, region, baseUrl, now: clock.now() });
      if (p.appId) await this.s.tokens.store(accountId, p.appId, t);
      const session = { accountId, appId: p.appId ?? '', accessToken: t.accessToken, scopes: t.scopes, version: 0 };
      if (!fromCode && !existing) await this.findRegion(session);
      const listed = await this.s.fleet.listVehicles(session);
      const year = new Date(clock.now()).getUTCFullYear();
      await this.repo.upsertVehicles(accountId, CONNECTOR, listed.map((v) => ({
        id: idFrom(`tesla:${t.subject}:${v.vin}`), vin: v.vin, oemId: v.oemId, make: 'TESLA', model: teslaModel(v.vin, v.carType), year: teslaYear(v.vin, year), displayName: v.displayName,
      })), clock.now());
      const stored = await this.repo.vehiclesOf(accountId);
      const listedVins = new Set(listed.map((v) => v.vin));
      return { ok: true, accountId, vehicles: stored.filter((v) => listedVins.has(v.vin)).map(summary) };
    } catch (err) {
      if (err instanceof TeslaAuthError) return { ok: false, reason: 'connect_error', error: 'server_error', make: 'TESLA', description: err.message };
      if (err instanceof VehicleError) {
        this.o.log?.warn({ connector: CONNECTOR, err: err.message }, 'Tesla sign-in could not list the vehicles');
        return { ok: false, reason: 'connect_error', error: 'server_error', make: 'TESLA', description: err.detail.description ?? 'Tesla did not list the vehicles of this account.' };
      }
      throw err;
    }
  }

  /**
   * A new account whose code named no region: ask Tesla (`GET /api/1/users/region`) which base
   * serves it. Any failure keeps the default region; a 421 from there moves the account later.
   */
  private async findRegion(session: OemSession): Promise<void> {
    const { config, clock } = this.o;
    try {
      const named = await this.s.fleet.userRegionBase(session);
      const base = knownBase(config, named);
      const region = base ? regionOfBase(config, base) : undefined;
      if (base && region) await this.repo.setBase(session.accountId, region, base, clock.now());
      else this.o.log?.warn({ connector: CONNECTOR, named }, 'Tesla named a region base that is not configured');
    } catch (err) {
      if (!(err instanceof VehicleError)) throw err;
      this.o.log?.warn({ connector: CONNECTOR, err: err.message }, 'Tesla did not tell the account\'s region; using the default region');
    }
  }

  /**
   * An app's access ended (the owner revoked it, or the app was deleted): its Tesla tokens are
   * deleted, and once no app holds tokens for an account, the data kept of its cars too. The owner
   * can also revoke opencar's access at Tesla (the Tesla app's third-party apps list).
   */
  async forgetAccess(appId: string, userId?: string): Promise<void> {
    let accounts: string[];
    if (userId) {
      if (!(await this.repo.account(userId))) return;
      await this.s.tokens.remove(userId, appId);
      accounts = [userId];
    } else {
      accounts = await this.repo.deleteAppTokens(appId);
    }
    for (const a of accounts) {
      if ((await this.repo.tokenApps(a)).length > 0) continue;
      for (const v of await this.repo.vehiclesOf(a)) await this.repo.saveSnapshot(v.id, JSON.stringify(emptySnapshot()), this.o.clock.now());
    }
  }

  registerPartner(region: TeslaRegion): Promise<PartnerRegistration> {
    return registerPartner({ config: this.o.config, auth: this.auth, http: this.http, repo: this.repo, keys: this.keys, clock: this.o.clock }, region);
  }

  selfTest(publicUrl: string): Promise<SelfTestCheck[]> {
    return teslaSelfTest({ config: this.o.config, repo: this.repo, publicUrl });
  }

  async close(): Promise<void> {
    await this.http.close();
    await this.proxyHttp?.close();
  }
}

function summary(v: OemVehicleRow): VehicleSummary {
  return { vehicleId: v.id, vin: v.vin, make: v.make, model: v.model, year: Number(v.year), powertrain: 'BEV', accountId: v.account_id, mode: 'live' };
}
