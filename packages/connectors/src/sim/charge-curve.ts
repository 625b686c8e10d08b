import { evaluate, socAfter, taperFactor } from './physics.js';
import type { Meta } from './simulator.js';
import type { SimState } from './state.js';

/**
 * The charge curve of each charging session the vehicle remembers (and the one in progress):
 * state of charge and power over time, computed from the same closed-form charging model that
 * drives the vehicle, so the curve is what the car did and not a recording.
 */
export interface ChargePoint { atMs: number; soc: number; powerKw: number }
export interface ChargeSession {
  startedAtMs: number;
  /** null while the session is in progress. */
  endedAtMs: number | null;
  startSoc: number;
  endSoc: number;
  /** Power of the charger (kW); the pack takes less above 80 %. */
  chargerKw: number;
  energyKwh: number;
  latitude: number;
  longitude: number;
  points: ChargePoint[];
}

const POINTS = 24;
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const r2 = (x: number) => Math.round(x * 100) / 100;

function curve(start: number, end: number, soc0: number, soc1: number, kw: number, cap: number): ChargePoint[] {
  const times = new Set<number>();
  for (let i = 0; i <= POINTS; i++) times.add(Math.round(start + ((end - start) * i) / POINTS));
  if (soc0 < 0.8 && soc1 > 0.8) times.add(Math.round(start + ((0.8 - soc0) * cap / kw) * 3_600_000)); // the knee at 80 %
  return [...times].filter((t) => t >= start && t <= end).sort((a, b) => a - b).map((t) => {
    const soc = Math.min(soc1, socAfter(soc0, (t - start) / 3_600_000, kw, cap));
    return { atMs: t, soc: r3(soc), powerKw: r2(kw * taperFactor(soc)) };
  });
}

/** Finished sessions oldest first, then the session in progress (if any), at the vehicle's time `t`. */
export function chargeSessions(s: SimState, meta: Meta, t: number): ChargeSession[] {
  const cap = meta.md.batteryKwh;
  if (!cap) return [];
  const out: ChargeSession[] = (s.brand?.sessions ?? []).map(([start, end, soc0, soc1, kw, lat, lon]) => ({
    startedAtMs: start, endedAtMs: end, startSoc: r3(soc0), endSoc: r3(soc1), chargerKw: kw, energyKwh: r2(Math.max(0, soc1 - soc0) * cap),
    latitude: lat, longitude: lon, points: curve(start, end, soc0, soc1, kw, cap),
  }));
  const chg = s.brand?.chg;
  if (chg && s.charging) {
    const [start, soc0] = chg;
    const now = evaluate(s, meta.md, t);
    out.push({
      startedAtMs: start, endedAtMs: null, startSoc: r3(soc0), endSoc: r3(now.soc), chargerKw: s.chargeKw, energyKwh: r2(Math.max(0, now.soc - soc0) * cap),
      latitude: s.lat, longitude: s.lon, points: curve(start, Math.max(start, now.t), soc0, now.soc, s.chargeKw, cap),
    });
  }
  return out;
}
