import { ManualClock } from '@opencar/core';
import { MemoryEngine, SimulatorBackend } from '../src/index.js';
import type { SimulatorBackendOptions } from '../src/sim/backend.js';

export const T0 = Date.UTC(2026, 5, 1, 8, 0, 0);

/** A simulator on the in-memory engine with a manual clock; realistic latency advances the clock. */
export function memorySim(opts: Partial<SimulatorBackendOptions> = {}) {
  const clock = new ManualClock(T0);
  const engine = new MemoryEngine();
  const backend = new SimulatorBackend({
    engine, clock, defaultLatency: 'zero',
    sleep: async (ms) => { clock.advance(Math.round(ms)); },
    ...opts,
  });
  return { clock, engine, backend, sim: backend.sim };
}

export async function oneVehicle(backend: SimulatorBackend, make: string, email = 'owner@example.com', country = 'US') {
  const r = await backend.signIn({ make, email, password: 'pw', mode: 'simulated', country });
  if (!r.ok) throw new Error(`sign-in failed: ${JSON.stringify(r)}`);
  const v = r.vehicles[0]!;
  return { v, ctx: { vehicleId: v.vehicleId, unitSystem: 'metric' as const }, connector: (await backend.connector(v.vehicleId))! };
}
