import type {
  AccountAccess, BrandRequest, Capability, ChargeDetails, ChargeRecord, ChargeState, ChargeTimer, ClimateStatus, CommandResult,
  Connectivity, Ctx, Dtcs, Identity, LockStatus, LowVoltageBattery, Motion, NominalCapacity, Reading, ServiceRecord,
  Surveillance, SystemStatus, TirePressure, TractionBatteryDetails, VehicleConnector, VehicleDetails,
} from '../connector.js';
import { ApiError } from '@opencar/core';
import * as cmd from './commands.js';
import { brandRequest } from './brand/index.js';
import { rangeKm, tirePressures } from './physics.js';
import { dtcs, lockStatus, serviceHistory, systemStatus, tireOffsets } from './readings.js';
import { chargeRecordList } from './brand/records.js';
import { batteryDetails, chargeDetails, chargeTimers, inlet } from './charge-details.js';
import { vehicleDetails } from './vehicle-details.js';
import { accountAccess, climateStatus, connectivity, isAtHome, lowVoltageBattery, motion, surveillance } from './vehicle-status.js';
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
  chargeDetails: 'charge_details', batteryDetails: 'battery_details', chargePortControl: 'charge_port_control',
  chargeRecords: 'charge_records', chargeTimers: 'charge_timers', climate: 'climate', lowVoltageBattery: 'low_voltage_battery',
  motion: 'motion', connectivity: 'connectivity', vehicleDetails: 'vehicle_details', surveillance: 'surveillance',
  accountAccess: 'account_access', homeLocation: 'home_location',
};

const DAY_MS = 86_400_000;

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
    return this.sim.read(ctx, 'diagnostics', (s, { meta }) => systemStatus(s, meta.md.powertrain));
  }

  dtcs(ctx: Ctx): Promise<Reading<Dtcs>> {
    return this.sim.read(ctx, 'diagnostics', (s, { meta }) => dtcs(s, meta.md.powertrain));
  }

  wakeUp(ctx: Ctx): Promise<CommandResult> {
    return this.sim.command(ctx, 'wake', () => undefined);
  }

  chargeDetails(ctx: Ctx): Promise<Reading<ChargeDetails>> {
    return this.sim.read(ctx, 'charge_details', (s, { meta, view }) => chargeDetails(s, meta.md, view));
  }

  batteryDetails(ctx: Ctx): Promise<Reading<TractionBatteryDetails>> {
    return this.sim.read(ctx, 'battery_details', (s, { meta, view }) => batteryDetails(s, meta.md, view));
  }

  chargePortControl(ctx: Ctx, action: 'OPEN' | 'CLOSE'): Promise<CommandResult> {
    return this.sim.command(ctx, 'charge_port_control', cmd.chargePortControl(action));
  }

  chargeRecords(ctx: Ctx, range: { start?: number; end?: number }): Promise<Reading<ChargeRecord[]>> {
    return this.sim.read(ctx, 'charge_records', (s, { meta, t }) => {
      const end = range.end ?? t;
      return chargeRecordList(s, meta.md, t, range.start ?? end - 30 * DAY_MS, end, inlet(s, meta.md));
    });
  }

  chargeTimers(ctx: Ctx): Promise<Reading<ChargeTimer[]>> {
    return this.sim.read(ctx, 'charge_timers', (s) => chargeTimers(s));
  }

  climate(ctx: Ctx): Promise<Reading<ClimateStatus>> {
    return this.sim.read(ctx, 'climate', (s, { view }) => climateStatus(s, view));
  }

  lowVoltageBattery(ctx: Ctx): Promise<Reading<LowVoltageBattery>> {
    return this.sim.read(ctx, 'low_voltage_battery', (_s, { meta, view }) => lowVoltageBattery(view, meta.profile));
  }

  motion(ctx: Ctx): Promise<Reading<Motion>> {
    return this.sim.read(ctx, 'motion', (s, { view }) => motion(s, view));
  }

  connectivity(ctx: Ctx): Promise<Reading<Connectivity>> {
    return this.sim.cloud(ctx, 'connectivity', (s, t, meta) => connectivity(s, t, this.sim.isAsleep(s, meta, t), meta.profile));
  }

  vehicleDetails(ctx: Ctx): Promise<Reading<VehicleDetails>> {
    return this.sim.cloud(ctx, 'vehicle_details', (s, _t, meta) => vehicleDetails(s, meta.md));
  }

  surveillance(ctx: Ctx): Promise<Reading<Surveillance>> {
    return this.sim.read(ctx, 'surveillance', (s, { view }) => surveillance(s, view));
  }

  accountAccess(ctx: Ctx): Promise<Reading<AccountAccess>> {
    return this.sim.cloud(ctx, 'account_access', (s) => accountAccess(s));
  }

  homeLocation(ctx: Ctx): Promise<Reading<{ atHome: boolean }>> {
    return this.sim.read(ctx, 'home_location', (_s, { view }) => ({ atHome: isAtHome(view) }));
  }

  brandRequest(ctx: Ctx, make: string, req: BrandRequest): Promise<Reading<unknown>> {
    return brandRequest(this.sim, ctx, this.meta, make, req);
  }
}
