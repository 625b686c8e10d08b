import type {
  AccountAccess, BrandRequest, Capability, ChargeDetails, ChargeState, ClimateStatus, CommandResult, Connectivity, Ctx, Identity, LockStatus, Motion, Reading, Surveillance,
  TirePressure, TractionBatteryDetails, VehicleConnector, VehicleDetails,
} from '../../connector.js';
import { oemReading } from '../freshness.js';
import * as v3 from './readings-v3.js';
import { COMMANDS, commandTesla, signingOf } from './commands.js';
import * as r from './readings.js';
import { readTesla } from './reads.js';
import { sessionOf, vehicleOf, type TeslaServices } from './services.js';
import { wake } from './wake.js';
import { teslaBrandRequest } from './brand.js';

/** What a Tesla can do through the Fleet API (commands only when the platform allows them). */
const READ_CAPS: Capability[] = [
  'attributes', 'vin', 'location', 'odometer', 'battery', 'charge', 'charge_limit', 'tires', 'lock_status', 'wake',
  'charge_details', 'battery_details', 'climate', 'motion', 'connectivity', 'vehicle_details', 'surveillance', 'account_access',
  'brand:tesla',
];
const COMMAND_CAPS: Capability[] = ['set_charge_limit', 'charge_control', 'lock_control', 'navigation', 'charge_port_control'];
const COMMAND_METHODS = ['setChargeLimit', 'chargeControl', 'lockControl', 'sendDestination', 'chargePortControl'] as const;

/**
 * The Tesla Fleet API connector. Stateless: every call names its vehicle in `ctx`, loads it, and
 * uses the Tesla tokens of the app it is made for. Values are metric (the API layer converts).
 */
export class TeslaConnector implements VehicleConnector {
  readonly name = 'tesla';
  private readonly caps: ReadonlySet<Capability>;

  constructor(private readonly s: TeslaServices) {
    this.caps = new Set([...READ_CAPS, ...(s.config.commands ? COMMAND_CAPS : [])]);
    if (!s.config.commands) for (const m of COMMAND_METHODS) Object.defineProperty(this, m, { value: undefined, enumerable: false });
  }

  async identity(ctx: Ctx): Promise<Identity> {
    const v = await vehicleOf(this.s, ctx);
    return { vin: v.vin, make: v.make, model: v.model, year: v.year };
  }

  async capabilities(_ctx: Ctx): Promise<ReadonlySet<Capability>> { return this.caps; }

  location(ctx: Ctx): Promise<Reading<{ latitude: number; longitude: number }>> { return readTesla(this.s, ctx, r.location); }
  odometer(ctx: Ctx): Promise<Reading<{ distance: number }>> { return readTesla(this.s, ctx, r.odometer); }
  battery(ctx: Ctx): Promise<Reading<{ range: number; percentRemaining: number }>> { return readTesla(this.s, ctx, r.battery); }
  chargeStatus(ctx: Ctx): Promise<Reading<{ isPluggedIn: boolean; state: ChargeState }>> { return readTesla(this.s, ctx, r.chargeStatus); }
  chargeLimit(ctx: Ctx): Promise<Reading<{ limit: number }>> { return readTesla(this.s, ctx, r.chargeLimit); }
  tirePressure(ctx: Ctx): Promise<Reading<TirePressure>> { return readTesla(this.s, ctx, r.tirePressure); }
  lockStatus(ctx: Ctx): Promise<Reading<LockStatus>> { return readTesla(this.s, ctx, r.lockStatus); }

  setChargeLimit(ctx: Ctx, limit: number): Promise<CommandResult> {
    const c = COMMANDS.chargeLimit;
    return commandTesla(this.s, ctx, c.name, { percent: Math.round(limit * 100) }, c.classes);
  }

  chargeControl(ctx: Ctx, action: 'START' | 'STOP'): Promise<CommandResult> {
    const c = action === 'START' ? COMMANDS.chargeStart : COMMANDS.chargeStop;
    return commandTesla(this.s, ctx, c.name, {}, c.classes);
  }

  lockControl(ctx: Ctx, action: 'LOCK' | 'UNLOCK'): Promise<CommandResult> {
    const c = action === 'LOCK' ? COMMANDS.lock : COMMANDS.unlock;
    return commandTesla(this.s, ctx, c.name, {}, c.classes);
  }

  sendDestination(ctx: Ctx, latitude: number, longitude: number): Promise<CommandResult> {
    const c = COMMANDS.navigate;
    return commandTesla(this.s, ctx, c.name, { lat: latitude, lon: longitude, order: 1 }, c.classes);
  }

  chargeDetails(ctx: Ctx): Promise<Reading<ChargeDetails>> { return readTesla(this.s, ctx, v3.chargeDetails); }
  batteryDetails(ctx: Ctx): Promise<Reading<TractionBatteryDetails>> { return readTesla(this.s, ctx, v3.batteryDetails); }
  climate(ctx: Ctx): Promise<Reading<ClimateStatus>> { return readTesla(this.s, ctx, v3.climate); }
  motion(ctx: Ctx): Promise<Reading<Motion>> { return readTesla(this.s, ctx, v3.motion); }
  vehicleDetails(ctx: Ctx): Promise<Reading<VehicleDetails>> { return readTesla(this.s, ctx, (v) => v3.vehicleDetails(v.display_name)); }
  surveillance(ctx: Ctx): Promise<Reading<Surveillance>> { return readTesla(this.s, ctx, v3.surveillance); }
  accountAccess(ctx: Ctx): Promise<Reading<AccountAccess>> { return readTesla(this.s, ctx, (_v, session) => v3.accountAccess(session.scopes)); }

  /** From the Fleet API alone (the light vehicle call and fleet_status): never wakes the car. */
  async connectivity(ctx: Ctx): Promise<Reading<Connectivity>> {
    const v = await vehicleOf(this.s, ctx);
    const session = await sessionOf(this.s, v, ctx);
    const { state, inService } = await this.s.fleet.vehicleState(session, v.vin, ctx);
    const status = await signingOf(this.s, session, v, ctx);
    const value: Connectivity = {
      online: state === 'online', asleep: state === 'asleep' ? true : state === 'online' ? false : null,
      digitalKeyPaired: status.paired, firmwareVersion: status.firmware, inService,
    };
    return oemReading(value, { retrievedAt: this.s.clock.now(), source: 'live' });
  }

  chargePortControl(ctx: Ctx, action: 'OPEN' | 'CLOSE'): Promise<CommandResult> {
    const c = action === 'OPEN' ? COMMANDS.portOpen : COMMANDS.portClose;
    return commandTesla(this.s, ctx, c.name, {}, c.classes);
  }

  /** The contract's Tesla endpoints the Fleet API answers (brand.ts); the others are SMARTCAR_NOT_CAPABLE. */
  brandRequest(ctx: Ctx, make: string, req: BrandRequest): Promise<Reading<unknown>> {
    return teslaBrandRequest(this.s, ctx, req);
  }

  async wakeUp(ctx: Ctx): Promise<CommandResult> {
    const v = await vehicleOf(this.s, ctx);
    await wake(this.s, await sessionOf(this.s, v, ctx), v.vin, ctx);
    return { completedAt: this.s.clock.now(), woke: true };
  }
}
