import type { ChargeObservation } from '@opencar/storage';
import type { CurvePoint } from '../views/charge-curve.js';

/** A charging session as the platform saw it: consecutive charging observations of one vehicle. */
export interface ObservedSession {
  startedAtMs: number;
  /** Time of the first observation that no longer charged; null while the last one still charges. */
  endedAtMs: number | null;
  startSoc: number;
  endSoc: number;
  /** Highest power observed (kW), null when the vehicle reported none. */
  peakKw: number | null;
  points: CurvePoint[];
}

/** Two charging observations further apart than this belong to different sessions (nothing was seen in between). */
export const SESSION_GAP_MS = 6 * 3_600_000;

/**
 * Charging sessions of a vehicle from its observations (oldest first): a session is a run of
 * observations that say "charging", closed by the first observation that does not (kept as the
 * session's last point, within the gap) or by a gap without any observation. Oldest session first.
 */
export function observedSessions(observations: readonly ChargeObservation[]): ObservedSession[] {
  const out: ObservedSession[] = [];
  let cur: ChargeObservation[] = [];
  const close = (end: ChargeObservation | undefined) => {
    if (cur.length === 0) return;
    const pts = end ? [...cur, end] : cur;
    const kws = cur.map((o) => o.powerKw).filter((k): k is number => k !== null);
    out.push({
      startedAtMs: cur[0]!.at, endedAtMs: end ? end.at : null, startSoc: cur[0]!.soc, endSoc: pts[pts.length - 1]!.soc,
      peakKw: kws.length ? Math.max(...kws) : null,
      points: pts.map((o) => ({ atMs: o.at, soc: o.soc, powerKw: o.charging ? o.powerKw ?? 0 : 0 })),
    });
    cur = [];
  };
  for (const o of observations) {
    const last = cur[cur.length - 1];
    if (last && o.at - last.at > SESSION_GAP_MS) close(undefined);
    if (o.charging) cur.push(o);
    else close(cur.length ? o : undefined);
  }
  // A run whose last observation is older than the gap ended unseen; it is shown as it was last seen.
  close(undefined);
  return out;
}
