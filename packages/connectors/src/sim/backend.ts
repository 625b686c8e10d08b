import { hashPassword, verifyPassword, type Clock, type LatencyProfile } from '@opencar/core';
import type {
  Brand, CatalogueModel, ConnectMode, EventSink, SignInInput, SignInResult, VehicleBackend, VehicleSummary,
} from '../backend.js';
import type { Capability, VehicleConnector } from '../connector.js';
import { unavailableInLive } from '../mode-router.js';
import { accountKey, planLogin } from './accounts.js';
import { allModels, brandOf, brandsFor, modelsFor, regionOf } from './catalogue/index.js';
import { capabilitiesOf } from './catalogue/types.js';
import { SimulatedConnector } from './connector.js';
import type { SimAccount, SimEngine } from './engine/types.js';
import { newVehicle } from './factory.js';
import { hash32, stableUuid } from './hash.js';
import { Simulator } from './simulator.js';
import type { SimState } from './state.js';
import { testModeCandidates, testModeModel } from './test-mode.js';
import { decodeVin } from './vin.js';

export interface SimulatorBackendOptions {
  engine: SimEngine & { addSink?(sink: EventSink): void };
  clock: Clock;
  defaultLatency: LatencyProfile;
  appLatency?: (appId: string) => Promise<LatencyProfile | null | undefined>;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Interval of the background event processor in ms (0 = no timer; call processDueEvents yourself). */
  tickMs?: number;
  onError?: (err: unknown) => void;
}

/** The simulator as the platform's vehicle backend: catalogue, OEM accounts, connectors, events. */
export class SimulatorBackend implements VehicleBackend {
  readonly sim: Simulator;
  private readonly engine: SimulatorBackendOptions['engine'];
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly opts: SimulatorBackendOptions) {
    this.engine = opts.engine;
    this.sim = new Simulator(opts);
    if (opts.tickMs && opts.tickMs > 0) {
      this.timer = setInterval(() => { void this.processDueEvents().catch((e: unknown) => opts.onError?.(e)); }, opts.tickMs);
      this.timer.unref?.();
    }
  }

  brands(country: string): Brand[] { return brandsFor(country); }

  /** The simulator serves every brand of its catalogue in `simulated` and `test` mode, and nothing in `live` mode. */
  brandAvailable(make: string, mode: ConnectMode): boolean { return mode !== 'live' && brandOf(make) !== undefined; }

  models(): readonly CatalogueModel[] { return allModels(); }

  capabilitiesForVin(vin: string, country: string): ReturnType<VehicleBackend['capabilitiesForVin']> {
    const d = decodeVin(vin);
    if (!d) return undefined;
    const region = regionOf(country);
    if (!d.brand.regions.includes(region)) return { incompatible: 'MAKE_NOT_COMPATIBLE' };
    const inYear = modelsFor(d.brand, region, d.year);
    const md = d.modelIndex !== undefined && inYear.includes(d.brand.models[d.modelIndex]!)
      ? d.brand.models[d.modelIndex]!
      : inYear[hash32(vin.toUpperCase()) % Math.max(1, inYear.length)];
    if (!md || d.year < 2015) return { incompatible: 'VEHICLE_NOT_COMPATIBLE' };
    return { make: d.brand.make, model: md.model, year: d.year, capabilities: capabilitiesOf(d.brand, md) };
  }

  async signIn(input: SignInInput): Promise<SignInResult> {
    const email = input.email.trim();
    if (!input.password || !/^[^@\s]+@[^@\s]+$/.test(email)) return { ok: false, reason: 'bad_credentials' };
    if (input.mode === 'live') return unavailableInLive(input.make);
    const brand = brandOf(input.make);
    const region = regionOf(input.country || 'US');
    if (!brand || !brand.regions.includes(region)) {
      return { ok: false, reason: 'connect_error', error: 'vehicle_incompatible', description: 'This brand is not available in your country.', make: input.make.toUpperCase() };
    }
    const plan = planLogin({ email });
    if (plan.kind === 'connect-error') {
      return { ok: false, reason: 'connect_error', error: plan.error, description: plan.description, vin: plan.vin, make: brand.make };
    }
    const login = email.toLowerCase();
    if (input.appId === undefined && input.createIfMissing === false) return this.ownerSignIn(brand.make, login, input);
    const holder = input.vehicleId ? await this.holderOf(input.vehicleId, brand.make, login, input) : undefined;
    if (holder) return { ok: true, accountId: holder.id, vehicles: (await this.engine.vehiclesOf(holder.id)).map((s) => this.summary(s)) };
    // Test mode: every vehicle of the account is a model that can provide what the request asks for.
    const candidates = input.mode === 'test' ? testModeCandidates(brand, region, input, plan.powertrain) : undefined;
    let accountId = stableUuid(accountKey(brand.make, email, input.mode, input.appId, candidates?.join('.')));
    let existing = await this.engine.account(accountId);
    if (!existing && input.appId !== undefined && !candidates) {
      // A simulated account stored before accounts were scoped keeps serving the app it was given.
      const legacyId = stableUuid(accountKey(brand.make, email, input.mode));
      const legacy = await this.engine.account(legacyId);
      if (legacy && legacy.appId === input.appId) { accountId = legacyId; existing = legacy; }
    }
    let passwordHash: string | undefined;
    if (existing) {
      // Connect in test/simulated mode accepts any non-empty password (spec); the owner portal verifies it.
      if (existing.passwordHash) {
        if (input.requirePassword === true && !await verifyPassword(input.password, existing.passwordHash)) return { ok: false, reason: 'bad_credentials' };
      } else if (input.requirePassword) {
        return { ok: false, reason: 'bad_credentials' };
      } else {
        await this.engine.adoptPasswordHash(accountId, await hashPassword(input.password));
      }
    } else {
      if (input.createIfMissing === false) return { ok: false, reason: 'bad_credentials' };
      passwordHash = await hashPassword(input.password);
    }
    const now = this.opts.clock.now();
    const ordered = plan.vin ? modelOfVin(plan.vin, brand.make, plan.powertrain) : undefined;
    const states = await this.engine.ensureAccount(
      { id: accountId, make: brand.make, email: login, mode: input.mode, country: (input.country || 'US').toUpperCase(), createdAt: now, passwordHash, appId: input.appId ?? null },
      () => Array.from({ length: plan.count }, (_, i) => newVehicle({
        id: stableUuid(`${accountId}:vehicle:${i}`), accountId, brand, region, mode: input.mode, now,
        vin: i === 0 ? plan.vin : undefined, powertrain: plan.powertrain, trigger: plan.trigger,
        ...(candidates ? testModeModel(brand, candidates, email, i) : i === 0 ? ordered : {}),
      })),
    );
    return { ok: true, accountId, vehicles: states.map((s) => this.summary(s)) };
  }

  /**
   * Re-authentication names the vehicle: the account holding it answers when it is this login's
   * account in this app (a test-mode account is keyed by the models its first request allowed).
   */
  private async holderOf(vehicleId: string, make: string, login: string, input: SignInInput): Promise<SimAccount | undefined> {
    const s = await this.engine.get(vehicleId);
    const account = s && await this.engine.account(s.accountId);
    if (!account || account.make !== make || account.email !== login || account.mode !== input.mode) return undefined;
    return (account.appId ?? undefined) === input.appId ? account : undefined;
  }

  /** The owner portal: the newest account of the login, in any app, whose password matches. */
  private async ownerSignIn(make: string, login: string, input: SignInInput): Promise<SignInResult> {
    for (const account of await this.engine.accountsByLogin(make, login, input.mode)) {
      if (input.requirePassword && !(account.passwordHash && await verifyPassword(input.password, account.passwordHash))) continue;
      return { ok: true, accountId: account.id, vehicles: (await this.engine.vehiclesOf(account.id)).map((s) => this.summary(s)) };
    }
    return { ok: false, reason: 'bad_credentials' };
  }

  summary(s: SimState): VehicleSummary {
    const meta = this.sim.meta(s);
    return {
      vehicleId: s.id, vin: s.vin, make: s.make, model: meta.md.model, year: s.year, powertrain: meta.md.powertrain,
      accountId: s.accountId, mode: s.mode,
    };
  }

  async vehicle(vehicleId: string): Promise<VehicleSummary | undefined> {
    const s = await this.engine.get(vehicleId);
    return s ? this.summary(s) : undefined;
  }

  async connector(vehicleId: string): Promise<VehicleConnector | undefined> {
    const s = await this.engine.get(vehicleId);
    return s ? SimulatedConnector.of(this.sim, s, this.sim.meta(s)) : undefined;
  }

  capabilitiesOf(s: SimState): readonly Capability[] { return [...this.sim.meta(s).caps]; }

  async setNominalCapacity(vehicleId: string, kWh: number): Promise<void> {
    await this.engine.update(vehicleId, (s) => { s.userCapacityKwh = kWh; return { events: [] }; });
  }

  /** Sinks run inside the transaction that records the events; the in-memory engine has none and keeps no sinks. */
  addEventSink(sink: EventSink): void {
    this.engine.addSink?.(sink);
  }

  /** Materialises due events now (one run at a time). */
  processDueEvents(): Promise<number> {
    this.running ??= this.sim.processDueEvents().finally(() => { this.running = undefined; });
    return this.running;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }
}

/** The model and year a VIN of the brand encodes (a VIN sign-in gets that car, not a random one of the brand). */
function modelOfVin(vin: string, make: string, powertrain: readonly string[] | undefined): { modelIdx: number; year: number } | undefined {
  const d = decodeVin(vin);
  if (!d || d.brand.make !== make || d.modelIndex === undefined) return undefined;
  const md = d.brand.models[d.modelIndex]!;
  if (powertrain && !powertrain.includes(md.powertrain)) return undefined;
  return { modelIdx: d.modelIndex, year: d.year };
}
