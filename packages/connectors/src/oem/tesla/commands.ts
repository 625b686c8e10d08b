import type { OemVehicleRow } from '@opencar/storage';
import type { CommandResult, Ctx } from '../../connector.js';
import { VehicleError, type VehicleStateCode } from '../../errors.js';
import type { QuotaClass } from '../quota.js';
import type { OemSession } from '../tokens.js';
import { RULE, pairingUrl } from './errors.js';
import type { CommandOutcome, FleetStatus } from './fleet.js';
import { sessionOf, vehicleOf, type TeslaServices } from './services.js';
import { isAsleep, mayWake, wake } from './wake.js';

/**
 * A command: signed through the operator's command proxy when the car requires the Vehicle Command
 * Protocol (decided with `fleet_status`, cached for a while), straight to the Fleet API otherwise.
 * A car without opencar's virtual key answers CONNECTED_SERVICES_ACCOUNT:VIRTUAL_KEY_REQUIRED with
 * the pairing link. A sleeping car is woken as for reads. Tesla's `result: false` reasons become
 * VEHICLE_STATE errors.
 */
const STATUS_TTL_MS = 10 * 60_000;

/** What `fleet_status` says of the car (signing required, key paired, firmware), cached for a while. */
export async function signingOf(s: TeslaServices, session: OemSession, v: OemVehicleRow, ctx: Ctx): Promise<FleetStatus> {
  const hit = s.signing.get(v.vin);
  if (hit && s.clock.now() - hit.at < STATUS_TTL_MS) return hit.status;
  const status = await s.fleet.fleetStatus(session, v.vin, ctx);
  s.signing.set(v.vin, { status, at: s.clock.now() });
  return status;
}

const REASONS: [RegExp, VehicleStateCode | 'ok'][] = [
  [/^already_set$/, 'ok'],
  [/^complete$/, 'FULLY_CHARGED'],
  [/^(is_charging|charging|requested)$/, 'CHARGING_IN_PROGRESS'],
  [/^(disconnected|not_connected|charger_not_connected)$/, 'CHARGING_PLUG_NOT_CONNECTED'],
  [/^not_charging$/, 'NOT_CHARGING'],
  [/moving|in motion|driving|shift/i, 'IN_MOTION'],
  [/door.*open/i, 'DOOR_OPEN'],
  [/trunk|frunk/i, 'TRUNK_OPEN'],
];

function refused(name: string, o: CommandOutcome): void {
  if (o.result) return;
  for (const [re, code] of REASONS) {
    if (!re.test(o.reason)) continue;
    if (code === 'ok') return;
    throw new VehicleError({ kind: 'precondition', code }, `${name}: ${o.reason}`);
  }
  throw new VehicleError({ kind: 'upstream', code: 'UNKNOWN_ISSUE' }, `${name} refused by the vehicle: ${o.reason || 'no reason given'}`);
}

export async function commandTesla(s: TeslaServices, ctx: Ctx, name: string, body: Record<string, unknown>, classes: readonly QuotaClass[]): Promise<CommandResult> {
  if (!s.config.commands) {
    throw new VehicleError({ kind: 'not_capable', platform: true }, 'Tesla commands are turned off', { description: 'Vehicle commands are turned off on this platform.' });
  }
  const v = await vehicleOf(s, ctx);
  const session = await sessionOf(s, v, ctx);
  let status = await signingOf(s, session, v, ctx);
  if (status.signingRequired && !status.paired) throw virtualKey(s);
  let woke = false;
  for (let attempt = 0; ; attempt++) {
    try {
      refused(name, await s.fleet.command(session, v.vin, name, body, { signed: status.signingRequired, classes, ctx }));
      return { completedAt: s.clock.now(), ...(woke ? { woke } : {}) };
    } catch (err) {
      if (attempt > 0 || !(err instanceof VehicleError)) throw err;
      if (isAsleep(err)) {
        const may = await mayWake(s, v.vin, ctx);
        if (!may.ok) throw new VehicleError({ kind: 'asleep' }, 'asleep, not woken', { description: may.why });
        await wake(s, session, v.vin, ctx);
        woke = true;
        continue;
      }
      if (err.detail.oemRule === RULE.keyNotPaired) { s.signing.delete(v.vin); throw virtualKey(s); }
      if (err.detail.oemRule === RULE.signingRequired && !status.signingRequired && s.fleet.hasProxy) {
        // Tesla says this car needs signed commands after all (e.g. a firmware update): ask again, then sign.
        s.signing.delete(v.vin);
        status = { ...await signingOf(s, session, v, ctx), signingRequired: true };
        if (!status.paired) throw virtualKey(s);
        continue;
      }
      throw err;
    }
  }
}

function virtualKey(s: TeslaServices): VehicleError {
  return new VehicleError({ kind: 'account', code: 'VIRTUAL_KEY_REQUIRED' }, 'virtual key not paired', { resolutionUrl: pairingUrl(s.config.domain) });
}

/** Commands and the budgets they spend (charging commands have their own cap). */
export const COMMANDS = {
  lock: { name: 'door_lock', classes: ['commands'] },
  unlock: { name: 'door_unlock', classes: ['commands'] },
  chargeStart: { name: 'charge_start', classes: ['commands', 'chargingCommands'] },
  chargeStop: { name: 'charge_stop', classes: ['commands', 'chargingCommands'] },
  chargeLimit: { name: 'set_charge_limit', classes: ['commands', 'chargingCommands'] },
  chargingAmps: { name: 'set_charging_amps', classes: ['commands', 'chargingCommands'] },
  navigate: { name: 'navigation_gps_request', classes: ['commands'] },
  portOpen: { name: 'charge_port_door_open', classes: ['commands', 'chargingCommands'] },
  portClose: { name: 'charge_port_door_close', classes: ['commands', 'chargingCommands'] },
} as const satisfies Record<string, { name: string; classes: readonly QuotaClass[] }>;
