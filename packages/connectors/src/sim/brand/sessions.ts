import type { SimState } from '../state.js';
import { MAX_SESSIONS, type BrandState } from './state.js';

/** Charging-session bookkeeping, called by the charge transitions (start, stop, complete). */
export function brandState(s: SimState): BrandState {
  s.brand ??= {};
  return s.brand;
}

/** Notes the start of a session (state already rolled to `t`). */
export function sessionStarted(s: SimState, t: number): void {
  brandState(s).chg = [t, s.soc];
}

/** Records the finished session (state rolled to `t`, SoC final). */
export function sessionEnded(s: SimState, t: number): void {
  const b = s.brand;
  if (!b?.chg) return;
  const [start, soc0] = b.chg;
  delete b.chg;
  if (t <= start) return;
  const list = (b.sessions ??= []);
  list.push([start, t, soc0, s.soc, s.chargeKw, s.lat, s.lon]);
  if (list.length > MAX_SESSIONS) list.splice(0, list.length - MAX_SESSIONS);
}
