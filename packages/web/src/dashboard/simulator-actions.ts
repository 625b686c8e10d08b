import { clockControl, drive, injectFault, runScenario, setState, SCENARIOS, type ControlResult, type SimulatorBackend, type StatePatch } from '@opencar/connectors';
import { num, str, WebError, type Form } from '../http/context.js';

export const FAULTS = [
  'VEHICLE_STATE:ASLEEP', 'VEHICLE_STATE:UNREACHABLE', 'VEHICLE_STATE:DOOR_OPEN', 'VEHICLE_STATE:LOW_BATTERY',
  'UPSTREAM:NO_RESPONSE', 'UPSTREAM:RATE_LIMIT', 'UPSTREAM:UNKNOWN_ISSUE', 'CONNECTED_SERVICES_ACCOUNT:AUTHENTICATION_FAILED',
] as const;

export const SPEEDS = ['1', '10', '60', '600', '3600'] as const;
export const PLUG_STATES = ['unplugged', 'idle', 'charging'] as const;
export const LATENCIES = ['', 'zero', 'realistic'] as const;

/** A trip of roughly 5 km to the north-east of the current position, at 50 km/h. */
function tripFrom(lat: number, lon: number): [number, number][] {
  return [[lat + 0.02, lon + 0.01], [lat + 0.035, lon + 0.03]];
}

const oneOf = <T extends string>(list: readonly T[], v: string): T => {
  if (!(list as readonly string[]).includes(v)) throw new WebError(400, 'error.badRequest');
  return v as T;
};

/** A percentage field as a fraction; empty leaves the value as it is. */
const pct = (f: Form, name: string): number | undefined => {
  const n = num(f, name, NaN);
  return Number.isNaN(n) ? undefined : n / 100;
};
const opt = (f: Form, name: string): number | undefined => {
  const n = num(f, name, NaN);
  return Number.isNaN(n) ? undefined : n;
};
const required = (f: Form, name: string): number => {
  const n = num(f, name, NaN);
  if (Number.isNaN(n)) throw new WebError(400, 'error.badRequest');
  return n;
};

/**
 * Runs one console action on a simulated vehicle and answers what changed; throws the simulator's
 * ControlError when the car refuses, a 400 for an unknown action or a malformed field.
 */
export async function runAction(sim: SimulatorBackend, vehicleId: string, action: string, f: Form): Promise<ControlResult> {
  const s = sim.sim;
  const patch = (p: StatePatch) => setState(s, vehicleId, p);
  switch (action) {
    case 'plug': return patch({ pluggedIn: true });
    case 'unplug': return patch({ pluggedIn: false });
    case 'plug-state': {
      const v = oneOf(PLUG_STATES, str(f, 'plug', 20));
      return patch(v === 'unplugged' ? { pluggedIn: false } : { pluggedIn: true, charging: v === 'charging' });
    }
    case 'energy': {
      const soc = pct(f, 'soc');
      const fuel = pct(f, 'fuel');
      if (soc === undefined && fuel === undefined) throw new WebError(400, 'error.badRequest');
      return patch({ ...(soc !== undefined ? { soc } : {}), ...(fuel !== undefined ? { fuel } : {}) });
    }
    case 'charger': {
      const limit = pct(f, 'chargeLimit');
      const kw = opt(f, 'chargeKw');
      const type = str(f, 'chargerType', 4);
      const p: StatePatch = {};
      if (limit !== undefined) p.chargeLimit = limit;
      if (kw !== undefined) p.chargeKw = kw;
      if (type) p.chargerType = oneOf(['AC', 'DC'] as const, type);
      if (Object.keys(p).length === 0) throw new WebError(400, 'error.badRequest');
      return patch(p);
    }
    case 'temperature': {
      const c = opt(f, 'outsideTempC');
      return patch({ outsideTempC: c ?? null });
    }
    case 'location': return patch({ location: { latitude: required(f, 'latitude'), longitude: required(f, 'longitude') } });
    case 'latency': return patch({ latency: oneOf(LATENCIES, str(f, 'latency', 20)) });
    case 'sleep': return patch({ asleep: true });
    case 'wake': return patch({ asleep: false });
    case 'lock': return patch({ locked: true });
    case 'unlock': return patch({ locked: false });
    case 'open-door': return patch({ open: { doorFL: true } });
    case 'close-door': return patch({ open: { doorFL: false } });
    case 'trip': {
      const lat = opt(f, 'latitude');
      const lon = opt(f, 'longitude');
      const speed = num(f, 'speedKmh', 50);
      if (lat !== undefined && lon !== undefined) return drive(s, vehicleId, [[lat, lon]], speed);
      if (lat !== undefined || lon !== undefined) throw new WebError(400, 'error.badRequest');
      const st = await s.load(vehicleId);
      return drive(s, vehicleId, tripFrom(st.lat, st.lon), speed);
    }
    case 'scenario': return runScenario(s, vehicleId, oneOf(SCENARIOS, str(f, 'scenario', 40)));
    case 'pause': return clockControl(s, vehicleId, { action: 'pause' });
    case 'resume': return clockControl(s, vehicleId, { action: 'resume' });
    case 'reset-clock': return clockControl(s, vehicleId, { action: 'reset' });
    case 'speed': return clockControl(s, vehicleId, { action: 'speed', factor: num(f, 'factor', 1) });
    case 'advance': return clockControl(s, vehicleId, { action: 'advance', ms: Math.round(num(f, 'minutes', 0) * 60_000) });
    case 'fault': return injectFault(s, vehicleId, str(f, 'fault', 80), num(f, 'count', 1));
    case 'clear-fault': return injectFault(s, vehicleId, '', 0);
    default: throw new WebError(400, 'error.badRequest');
  }
}
