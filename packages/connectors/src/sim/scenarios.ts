import { carName, clockControl, ControlError, describe, drive, injectFault, setState, type ControlResult } from './control.js';
import { diffViews } from './changes.js';
import type { Simulator } from './simulator.js';

/**
 * Scenario presets: a situation an app must handle, set up (and, where it is about time passing,
 * lived through) in one step with the ordinary controls, so events fire as they would on the road.
 */
export const SCENARIOS = ['overnight-charge', 'commute', 'low-battery', 'asleep-week', 'oem-outage'] as const;
export type Scenario = (typeof SCENARIOS)[number];

const HOUR = 3_600_000;

/** A commute of about 18 km to the north-east of `lat, lon`. */
export function commuteRoute(lat: number, lon: number): [number, number][] {
  return [[lat + 0.04, lon + 0.03], [lat + 0.09, lon + 0.1], [lat + 0.12, lon + 0.14]];
}

export async function runScenario(sim: Simulator, id: string, name: string): Promise<ControlResult> {
  const steps: (() => Promise<ControlResult>)[] = [];
  const s = await sim.load(id);
  const md = sim.meta(s).md;
  const ev = md.batteryKwh !== null;
  const before = describe(sim, s);
  switch (name as Scenario) {
    case 'overnight-charge':
      // Home in the evening at a quarter full, on the wall box; ten hours later it is morning.
      if (!ev) throw new ControlError('noBattery').about(carName(sim.meta(s), s));
      steps.push(() => setState(sim, id, { soc: 0.25, chargerType: 'AC', pluggedIn: true, charging: true }));
      steps.push(() => clockControl(sim, id, { action: 'advance', ms: 10 * HOUR }));
      break;
    case 'commute':
      steps.push(() => setState(sim, id, { asleep: false, locked: true }));
      steps.push(() => drive(sim, id, commuteRoute(s.lat, s.lon), 50));
      break;
    case 'low-battery':
      steps.push(() => setState(sim, id, { ...(ev ? { soc: 0.08, pluggedIn: false } : {}), ...(md.tankLiters !== null ? { fuel: 0.06 } : {}) }));
      break;
    case 'asleep-week':
      steps.push(() => setState(sim, id, ev && s.charging ? { charging: false, asleep: true } : { asleep: true }));
      steps.push(() => clockControl(sim, id, { action: 'advance', ms: 7 * 24 * HOUR }));
      break;
    case 'oem-outage':
      // The brand's cloud has a known problem: the next 20 calls fail until it recovers.
      steps.push(() => injectFault(sim, id, 'UPSTREAM:KNOWN_ISSUE', 20));
      break;
    default:
      throw new ControlError('unknownScenario', { name });
  }
  const results: ControlResult[] = [];
  for (const step of steps) results.push(await step());
  const last = results[results.length - 1]!;
  return { view: last.view, events: results.flatMap((r) => r.events), changes: diffViews(before, last.view) };
}
