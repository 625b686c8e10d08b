import type { View } from '../physics.js';
import type { SimState } from '../state.js';
import { r1 } from './call.js';
import type { BrandState } from './state.js';

/**
 * Cabin temperature model: outside air plus sun load when parked; with the climate on (or while
 * driving) the cabin approaches the set point in ~10 min, and drifts back over ~45 min after.
 */
const MIN = 60_000;
const HOUR = 3_600_000;
export type Climate = NonNullable<BrandState['climate']>;

export function climateOf(s: SimState): Climate {
  return s.brand?.climate ?? { on: false, setC: 21, since: -1, defrost: false, wheel: false };
}

/** Sun load (°C above outside air) in a parked car, by local solar time. */
function sunLoad(view: View): number {
  const solarHour = (((view.t / HOUR) + view.lon / 15) % 24 + 24) % 24;
  return r1(Math.max(0, Math.sin((Math.PI * (solarHour - 6)) / 12)) * 8);
}

export function cabinOn(s: SimState, view: View): boolean {
  return climateOf(s).on || view.driving;
}

export function interiorC(s: SimState, view: View): number {
  const cl = climateOf(s);
  const base = view.ambientC + sunLoad(view);
  if (cl.on || view.driving) {
    const since = cl.on ? cl.since : s.tripStart;
    return r1(cl.setC + (base - cl.setC) * Math.exp(-Math.max(0, view.t - since) / (10 * MIN)));
  }
  const offSince = Math.max(cl.since, s.tripEndedAt > 0 ? s.tripEndedAt : -1);
  if (offSince < 0) return r1(base);
  return r1(base + (cl.setC - base) * Math.exp(-Math.max(0, view.t - offSince) / (45 * MIN)));
}

/** Steering-wheel heaters arrived with the 2021 model year. */
export const hasWheelHeater = (s: SimState) => s.year >= 2021;
