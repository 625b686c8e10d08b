import type {
  BrandRequest, Capability, CommandResult, Ctx, Dtcs, Identity, LockStatus, NominalCapacity, Reading, ServiceRecord,
  SystemStatus, TirePressure, VehicleConnector, ChargeState,
} from '../connector.js';
import { ApiError } from '@opencar/core';
import * as cmd from './commands.js';
import { brandRequest } from './brand/index.js';
import { rangeKm, tirePressures } from './physics.js';
import { dtcs, lockStatus, serviceHistory, systemStatus, tireOffsets } from './readings.js';
import type { Meta, Simulator } from './simulator.js';
import type { SimState } from './state.js';

const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** Capability → connector method; methods of capabilities the vehicle lacks are removed. */
const METHOD_CAPS: Record<string, Capability> = {
  location: 'location', odometer: 'odometer', fuel: 'fuel', battery: 'battery', batteryCapacity: 'battery_capacity',
  nominalCapacity: 'nominal_capacity', chargeStatus: 'charge', chargeLimit: 'charge_limit', setChargeLimit: 'set_charge_limit',
  chargeControl: 'charge_control', tirePressure: 'tires', engineOil: 'engine_oil', lockStatus: 'lock_status',
  lockControl: 'lock_control', sendDestination: 'navigation', serviceHistory: 'service_history', systemStatus: 'diagnostics',
  dtcs: 'diagnostics', wakeUp: 'wake',
};

/** Connector methods a vehicle with this catalogue entry lacks (its capability is missing). */
function missingMethods(meta: Meta): string[] {
  const out = Object.entries(METHOD_CAPS).filter(([, cap]) => !meta.caps.has(cap)).map(([method]) => method);
  if (!meta.caps.has(`brand:${meta.brand.make.toLowerCase()}`)) out.push('brandRequest');
  return out;
}

type ConnectorClass = new (sim: Simulator, state: SimState, meta: Meta) => SimulatedConnector;

/** One subclass per catalogue entry, with the missing methods hidden on its prototype (built once, not per call). */
const variants = new WeakMap<Meta, ConnectorClass>();

/**
 * The simulator's connector for one vehicle. Bodies are metric (the API layer converts); each call
 * runs through the simulator's profile pipeline (latency, sleep, cache, quotas, faults); every call
 * loads the vehicle's current state (a connector may be held across many calls).
 */
export class SimulatedConnector implements VehicleConnector {
  readonly name = 'simulator';

  /** The connector for a vehicle of this catalogue entry (methods of missing capabilities are undefined). */
  static of(sim: Simulator, state: SimState, meta: Meta): SimulatedConnector {
    let C = variants.get(meta);
    if (!C) {
      C = class extends SimulatedConnector {};
      for (const method of missingMethods(meta)) Object.defineProperty(C.prototype, method, { value: undefined, enumerable: false });
      variants.set(meta, C);
    }
    return new C(sim, state, meta);
  }

  constructor(private readonly sim: Simulator, private readonly state: SimState, private readonly meta: Meta) {
    if (Object.getPrototypeOf(this) !== SimulatedConnector.prototype) return;
    for (const method of missingMethods(meta)) Object.defineProperty(this, method, { value: undefined, enumerable: false });
  }

  async identity(_ctx: Ctx): Promise<Identity> {
    return { vin: this.state.vin, make: this.state.make, model: this.meta.md.model, year: this.state.year };
  }

  async capabilities(_ctx: Ctx): Promise<ReadonlySet<Capability>> { return this.meta.caps; }

  location(ctx: Ctx): Promise<Reading<{ latitude: number; longitude: number }>> {
    return this.sim.read(ctx, 'location', (_s, { view }) => ({ latitude: Math.round(view.lat * 1e6) / 1e6, longitude: Math.round(view.lon * 1e6) / 1e6 }));
  }

  odometer(ctx: Ctx): Promise<Reading<{ distance: number }>> {
    return this.sim.read(ctx, 'odometer', (_s, { view }) => ({ distance: r1(view.odoKm) }));
  }

  fuel(ctx: Ctx): Promise<Reading<{ range: number | null; percentRemaining: number | null; amountRemaining: number | null }>> {
    return this.sim.read(ctx, 'fuel', (_s, { meta, view }) => ({
      range: rangeKm(meta.md, view).fuel, percentRemaining: r3(view.fuel), amountRemaining: r1(view.fuel * (meta.md.tankLiters ?? 0)),
    }));
  }

  battery(ctx: Ctx): Promise<Reading<{ range: number; percentRemaining: number }>> {
    return this.sim.read(ctx, 'battery', (_s, { meta, view }) => ({ range: rangeKm(meta.md, view).battery, percentRemaining: r3(view.soc) }));
  }

  batteryCapacity(ctx: Ctx): Promise<Reading<{ capacity: number }>> {
    return this.sim.read(ctx, 'battery_capacity', (_s, { meta }) => ({ capacity: meta.md.batteryKwh ?? 0 }));
  }

  nominalCapacity(ctx: Ctx): Promise<Reading<NominalCapacity>> {
    return this.sim.read(ctx, 'nominal_capacity', (s, { meta }) => ({
      availableCapacities: [{ capacity: meta.md.batteryKwh, description: `${meta.md.powertrain}:Standard` }],
      capacity: typeof s.userCapacityKwh === 'number' ? { nominal: s.userCapacityKwh, source: 'USER_SELECTED' as const }
        : meta.md.batteryKwh === null ? null : { nominal: meta.md.batteryKwh, source: 'SMARTCAR' as const },
      url: null,
    }));
  }

  chargeStatus(ctx: Ctx): Promise<Reading<{ isPluggedIn: boolean; state: ChargeState }>> {
    return this.sim.read(ctx, 'charge', (s, { view }) => ({
      isPluggedIn: s.plugged === 1,
      state: view.charging ? 'CHARGING' as const : s.plugged && view.fullyCharged ? 'FULLY_CHARGED' as const : 'NOT_CHARGING' as const,
    }));
  }

  chargeLimit(ctx: Ctx): Promise<Reading<{ limit: number }>> {
    return this.sim.read(ctx, 'charge_limit', (s) => ({ limit: s.limit }));
  }

  async setChargeLimit(ctx: Ctx, limit: number): Promise<CommandResult> {
    if (!(limit >= 0.5 && limit <= 1)) {
      const message = 'limit must be between 0.5 and 1';
      throw new ApiError('VALIDATION', { description: message, detail: [{ field: 'limit', message }] });
    }
    return this.sim.command(ctx, 'set_charge_limit', cmd.setChargeLimit(limit));
  }

  chargeControl(ctx: Ctx, action: 'START' | 'STOP'): Promise<CommandResult> {
    return this.sim.command(ctx, 'charge_control', cmd.chargeControl(action));
  }

  tirePressure(ctx: Ctx): Promise<Reading<TirePressure>> {
    return this.sim.read(ctx, 'tires', (s, { view }) => {
      const [frontLeft, frontRight, backLeft, backRight] = tirePressures(s, view, tireOffsets(s));
      return { frontLeft, frontRight, backLeft, backRight };
    });
  }

  engineOil(ctx: Ctx): Promise<Reading<{ lifeRemaining: number }>> {
    return this.sim.read(ctx, 'engine_oil', (_s, { view }) => ({ lifeRemaining: Math.round(view.oil * 100) / 100 }));
  }

  lockStatus(ctx: Ctx): Promise<Reading<LockStatus>> {
    return this.sim.read(ctx, 'lock_status', (s, { meta }) => lockStatus(s, meta.md.batteryKwh !== null));
  }

  lockControl(ctx: Ctx, action: 'LOCK' | 'UNLOCK'): Promise<CommandResult> {
    return this.sim.command(ctx, 'lock_control', cmd.lockControl(action));
  }

  sendDestination(ctx: Ctx, latitude: number, longitude: number): Promise<CommandResult> {
    return this.sim.command(ctx, 'navigation', cmd.sendDestination(latitude, longitude));
  }

  serviceHistory(ctx: Ctx, range: { start?: string; end?: string }): Promise<Reading<ServiceRecord[]>> {
    return this.sim.read(ctx, 'service_history', (s, { meta, t, view }) => {
      const currency = s.region === 'EUROPE' ? 'EUR' : s.region === 'CA' ? 'CAD' : 'USD';
      const all = serviceHistory(s, meta.md.powertrain === 'BEV', t, view.odoKm, currency);
      const end = range.end ? Date.parse(range.end) + (range.end.length <= 10 ? 86_399_999 : 0) : t;
      const start = range.start ? Date.parse(range.start) : end - 365 * 86_400_000;
      return all.filter((rec) => { const d = Date.parse(rec.serviceDate); return d >= start && d <= end; });
    });
  }

  systemStatus(ctx: Ctx): Promise<Reading<SystemStatus>> {
    return this.sim.read(ctx, 'diagnostics', (s, { meta }) => systemStatus(s, meta.md.batteryKwh !== null));
  }

  dtcs(ctx: Ctx): Promise<Reading<Dtcs>> {
    return this.sim.read(ctx, 'diagnostics', (s, { meta }) => dtcs(s, meta.md.batteryKwh !== null));
  }

  wakeUp(ctx: Ctx): Promise<CommandResult> {
    return this.sim.command(ctx, 'wake', () => undefined);
  }

  brandRequest(ctx: Ctx, make: string, req: BrandRequest): Promise<Reading<unknown>> {
    return brandRequest(this.sim, ctx, this.meta, make, req);
  }
}
