import type { BehaviourProfile, LatencySpec } from './types.js';
import { standard } from './standard.js';
import { tesla } from './tesla.js';
import { gm } from './gm.js';
import { hyundaiKia } from './hyundai-kia.js';
import { bmw } from './bmw.js';
import { volvo } from './volvo.js';
import { nissan } from './nissan.js';
import { vw } from './vw.js';
import { honda } from './honda.js';
import { ford } from './ford.js';
import { rand01 } from '../hash.js';

export type { BehaviourProfile, RequestClass } from './types.js';

export const PROFILES: Readonly<Record<string, BehaviourProfile>> = Object.freeze(
  Object.fromEntries([standard, tesla, gm, hyundaiKia, bmw, volvo, nissan, vw, honda, ford].map((p) => [p.id, p])),
);

export function profileById(id: string): BehaviourProfile {
  return PROFILES[id] ?? standard;
}

/** A latency draw (ms): log-uniform between min and max, centred on the median. Deterministic per (seed, n). */
export function drawLatencyMs(spec: LatencySpec, seed: number, n: number): number {
  const u = rand01(seed, n);
  const lo = Math.log(spec.min);
  const mid = Math.log(spec.median);
  const hi = Math.log(spec.max);
  const x = u < 0.5 ? lo + (mid - lo) * (u / 0.5) : mid + (hi - mid) * ((u - 0.5) / 0.5);
  return Math.round(Math.exp(x) * 1000);
}
