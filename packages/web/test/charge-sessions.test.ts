import { describe, expect, it } from 'vitest';
import type { ChargeObservation } from '@opencar/storage';
import { SESSION_GAP_MS, observedSessions } from '../src/services/charge-sessions.js';

const H = 3_600_000;
const o = (at: number, soc: number, powerKw: number | null, charging: boolean): ChargeObservation => ({ vehicleId: 'v', at, soc, powerKw, charging, pluggedIn: true });

describe('charging sessions from observations', () => {
  it('a run of charging observations, closed by the first that no longer charges', () => {
    const s = observedSessions([o(0, 0.2, 0, false), o(H, 0.3, 11, true), o(2 * H, 0.45, 11, true), o(3 * H, 0.5, 0, false), o(4 * H, 0.5, 0, false)]);
    expect(s).toEqual([{
      startedAtMs: H, endedAtMs: 3 * H, startSoc: 0.3, endSoc: 0.5, peakKw: 11,
      points: [{ atMs: H, soc: 0.3, powerKw: 11 }, { atMs: 2 * H, soc: 0.45, powerKw: 11 }, { atMs: 3 * H, soc: 0.5, powerKw: 0 }],
    }]);
  });

  it('splits on a gap without observations and keeps the session in progress open', () => {
    const s = observedSessions([o(0, 0.2, 7, true), o(H, 0.3, 7, true), o(H + SESSION_GAP_MS + 1, 0.6, 50, true), o(2 * H + SESSION_GAP_MS, 0.7, null, true)]);
    expect(s.map((x) => [x.startedAtMs, x.endedAtMs, x.points.length, x.peakKw])).toEqual([[0, null, 2, 7], [H + SESSION_GAP_MS + 1, null, 2, 50]]);
    expect(s[1]!.points[1]!.powerKw).toBe(0);
  });

  it('no charging observation, no session', () => {
    expect(observedSessions([o(0, 0.5, 0, false), o(H, 0.5, 0, false)])).toEqual([]);
    expect(observedSessions([])).toEqual([]);
  });
});
