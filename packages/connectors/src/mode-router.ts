import type {
  Brand, CatalogueModel, ConnectMode, EventSink, SignInInput, SignInResult, VehicleBackend, VehicleSummary,
} from './backend.js';
import type { VehicleConnector } from './connector.js';
import type { LiveBackend, OAuthSignIn } from './live.js';

/**
 * The platform's vehicle backend: routes by mode, and in `live` mode by make.
 * - `simulated` and `test` go to the simulator.
 * - `live` goes to the real connector registered for the brand (`registerLiveBrand`); a brand
 *   without one is unavailable (`brandAvailable` false, sign-in answers `vehicle_incompatible`).
 *   Live mode never falls back to the simulator.
 * The brand and model catalogue (Connect's brand list, compatibility) is the simulator's.
 */
export class ModeRouter implements VehicleBackend {
  private readonly live = new Map<string, LiveBackend>();
  private readonly sinks: EventSink[] = [];

  constructor(private readonly simulator: VehicleBackend) {}

  /** Serves `make` (upper case, e.g. TESLA) in live mode with a real connector. One backend per make. */
  registerLiveBrand(make: string, backend: LiveBackend): void {
    const key = make.toUpperCase();
    if (this.live.has(key)) throw new Error(`A live backend is already registered for ${key}.`);
    const known = this.distinctLive().includes(backend);
    this.live.set(key, backend);
    if (!known) for (const sink of this.sinks) backend.addEventSink?.(sink);
  }

  /** Makes served in live mode. */
  liveMakes(): string[] { return [...this.live.keys()]; }

  brands(country: string): Brand[] { return this.simulator.brands(country); }

  brandAvailable(make: string, mode: ConnectMode): boolean {
    return mode === 'live' ? this.live.has(make.toUpperCase()) : this.simulator.brandAvailable(make, mode);
  }

  models(): readonly CatalogueModel[] { return this.simulator.models(); }

  oauthSignIn(make: string, mode: ConnectMode): OAuthSignIn | undefined {
    return mode === 'live' ? this.live.get(make.toUpperCase())?.oauth : undefined;
  }

  async forgetAccess(appId: string, userId?: string): Promise<void> {
    for (const b of this.distinctLive()) await b.forgetAccess?.(appId, userId);
  }

  capabilitiesForVin(vin: string, country: string): ReturnType<VehicleBackend['capabilitiesForVin']> {
    return this.simulator.capabilitiesForVin(vin, country);
  }

  signIn(input: SignInInput): Promise<SignInResult> {
    if (input.mode !== 'live') return this.simulator.signIn(input);
    const backend = this.live.get(input.make.toUpperCase());
    if (!backend) return Promise.resolve(unavailableInLive(input.make));
    return backend.signIn(input);
  }

  async vehicle(vehicleId: string): Promise<VehicleSummary | undefined> {
    return (await this.simulator.vehicle(vehicleId)) ?? this.firstLive((b) => b.vehicle(vehicleId));
  }

  async connector(vehicleId: string): Promise<VehicleConnector | undefined> {
    return (await this.simulator.connector(vehicleId)) ?? this.firstLive((b) => b.connector(vehicleId));
  }

  async setNominalCapacity(vehicleId: string, kWh: number): Promise<void> {
    if (await this.simulator.vehicle(vehicleId)) return this.simulator.setNominalCapacity?.(vehicleId, kWh);
    for (const b of this.distinctLive()) {
      if (await b.vehicle(vehicleId)) return b.setNominalCapacity?.(vehicleId, kWh);
    }
  }

  addEventSink(sink: EventSink): void {
    this.sinks.push(sink);
    this.simulator.addEventSink(sink);
    for (const b of this.distinctLive()) b.addEventSink?.(sink);
  }

  private distinctLive(): LiveBackend[] { return [...new Set(this.live.values())]; }

  private async firstLive<T>(ask: (b: LiveBackend) => Promise<T | undefined>): Promise<T | undefined> {
    for (const b of this.distinctLive()) {
      const found = await ask(b);
      if (found !== undefined) return found;
    }
    return undefined;
  }
}

/** Connect's answer for a brand that has no real connector on this platform. */
export function unavailableInLive(make: string): SignInResult {
  return {
    ok: false, reason: 'connect_error', error: 'vehicle_incompatible', make: make.toUpperCase(),
    description: 'This brand cannot be connected in live mode on this platform: no connector for its real vehicles is configured.',
  };
}
