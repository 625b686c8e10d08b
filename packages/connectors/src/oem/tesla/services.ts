import type { Clock, TeslaConfig } from '@opencar/core';
import type { ChargeObservationsRepo, OemRepo, OemVehicleRow } from '@opencar/storage';
import type { Ctx } from '../../connector.js';
import { VehicleError } from '../../errors.js';
import type { OemLog } from '../client.js';
import type { OemQuota } from '../quota.js';
import type { OemSession, OemTokens } from '../tokens.js';
import type { FleetStatus, TeslaFleet } from './fleet.js';
import { emptySnapshot, type Snapshot } from './vehicle-data.js';

/** What the Tesla connector's parts share; built once by the Tesla backend. */
export interface TeslaServices {
  config: TeslaConfig;
  repo: OemRepo;
  /** Charge observations of each fresh charge_state (the dashboard's charge curve). */
  charges: ChargeObservationsRepo;
  clock: Clock;
  tokens: OemTokens;
  quota: OemQuota;
  fleet: TeslaFleet;
  /** Wall-clock pause (between wake polls). */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  log?: OemLog;
  /** What `fleet_status` said per VIN, kept for a while (commands decide signed or not on it). */
  signing: Map<string, { status: FleetStatus; at: number }>;
  /** Reads in progress, shared by concurrent callers asking for the same sections. */
  reads: Map<string, Promise<Snapshot>>;
}

export const CONNECTOR = 'tesla';

/** The stored vehicle a call is for, or CONNECTED_SERVICES_ACCOUNT:VEHICLE_MISSING. */
export async function vehicleOf(s: TeslaServices, ctx: Ctx): Promise<OemVehicleRow> {
  const v = await s.repo.vehicle(ctx.vehicleId);
  if (!v || v.connector !== CONNECTOR) throw new VehicleError({ kind: 'account', code: 'VEHICLE_MISSING' }, `no Tesla vehicle ${ctx.vehicleId}`);
  return v;
}

/** The OEM session of the app the call is made for (each app holds its own Tesla tokens). */
export async function sessionOf(s: TeslaServices, v: OemVehicleRow, ctx: Ctx): Promise<OemSession> {
  if (!ctx.appId) throw new VehicleError({ kind: 'oem_auth_failed' }, 'a Tesla call needs the app it is made for');
  return s.tokens.session(v.account_id, ctx.appId);
}

export function storedSnapshot(v: OemVehicleRow): Snapshot {
  if (!v.snapshot) return emptySnapshot();
  try { return JSON.parse(v.snapshot) as Snapshot; } catch { return emptySnapshot(); }
}

export const defaultSleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  if (ms <= 0) { resolve(); return; }
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); reject(new VehicleError({ kind: 'timeout' }, 'aborted while waiting for the vehicle')); }, { once: true });
});
