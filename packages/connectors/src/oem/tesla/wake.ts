import type { Ctx } from '../../connector.js';
import { VehicleError } from '../../errors.js';
import type { OemSession } from '../tokens.js';
import type { TeslaServices } from './services.js';

/**
 * Wakes a sleeping car: one `wake_up`, then the light state call every `wakePollMs` until the car
 * reports `online`, at most `wakeAttempts` times (Teslemetry's pattern: poll every 3 s, give up after
 * 10). The wake is counted against the vehicle's daily wake budget before it is sent.
 */
export async function wake(s: TeslaServices, session: OemSession, vin: string, ctx: Ctx): Promise<void> {
  let state = await s.fleet.wakeUp(session, vin, ctx);
  for (let i = 0; state !== 'online' && i < s.config.wakeAttempts; i++) {
    await s.sleep(s.config.wakePollMs, ctx.signal);
    state = (await s.fleet.vehicleState(session, vin, ctx)).state;
  }
  if (state !== 'online') throw new VehicleError({ kind: 'timeout' }, `the vehicle did not wake up (still ${state})`);
}

/** Whether this call may wake the car: the app allows it and today's wake budget is not spent. */
export async function mayWake(s: TeslaServices, vin: string, ctx: Ctx): Promise<{ ok: boolean; why: string }> {
  if (ctx.allowWake === false) return { ok: false, why: 'The vehicle is asleep and the request did not allow waking it (sc-allow-wake: false).' };
  if (await s.quota.remaining(vin, 'wakes') <= 0) return { ok: false, why: 'The vehicle is asleep and its wake budget for today is used up.' };
  return { ok: true, why: '' };
}

export const isAsleep = (err: unknown): boolean => err instanceof VehicleError && err.failure.kind === 'asleep';
