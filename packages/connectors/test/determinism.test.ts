import { describe, expect, it } from 'vitest';
import { ManualClock } from '@opencar/core';
import { openStorage } from '@opencar/storage';
import { MemoryEngine, SimulatorBackend, StorageEngine, clockControl, drive, injectFault, setState, type SimEngine, type VehicleConnector, type VehicleEvent } from '../src/index.js';
import { T0 } from './helpers.js';

const MIN = 60_000;

/** A scripted day for a fleet of 12 owners across brands: charging, trips, commands, faults, reads every 30 min. */
async function scriptedDay(engine: SimEngine & { onEvents?: (fn: (e: VehicleEvent[]) => void) => void; addSink?: StorageEngine['addSink'] }): Promise<string> {
  const clock = new ManualClock(T0);
  const backend = new SimulatorBackend({ engine, clock, defaultLatency: 'realistic', sleep: async (ms) => { clock.advance(Math.round(ms)); } });
  const events: VehicleEvent[] = [];
  if (engine instanceof MemoryEngine) engine.onEvents((e) => events.push(...e));
  else backend.addEventSink(async (_trx, e) => { events.push(...e); });
  const out: unknown[] = [];
  const makes = ['TESLA', 'KIA', 'FORD', 'BMW', 'VOLKSWAGEN', 'CHEVROLET', 'NISSAN', 'TOYOTA', 'VOLVO', 'HYUNDAI', 'POLESTAR', 'RIVIAN'];
  const fleet: { id: string; c: VehicleConnector; caps: ReadonlySet<string> }[] = [];
  for (const [i, make] of makes.entries()) {
    const r = await backend.signIn({ make, email: `${(i % 3) + 1}-vehicles@fleet.example`, password: 'x', mode: 'simulated', country: i % 2 ? 'DE' : 'US' });
    if (!r.ok) { out.push(r); continue; }
    for (const v of r.vehicles) {
      const c = (await backend.connector(v.vehicleId))!;
      fleet.push({ id: v.vehicleId, c, caps: await c.capabilities({ vehicleId: v.vehicleId, unitSystem: 'metric' }) });
      out.push(v);
    }
  }
  for (const [i, v] of fleet.entries()) {
    if (v.caps.has('battery')) out.push(await setState(backend.sim, v.id, { soc: 0.15 + (i % 5) * 0.1, pluggedIn: true }).then((r) => r.view));
    if (i % 4 === 1) out.push((await drive(backend.sim, v.id, [[40 + i * 0.1, -100 + i * 0.1], [41, -99]], 60 + i * 5)).view);
    if (i % 5 === 2) await injectFault(backend.sim, v.id, 'UPSTREAM:NO_RESPONSE', 2);
  }
  for (let step = 0; step < 48; step++) {
    clock.advance(30 * MIN);
    await backend.processDueEvents();
    for (const [i, v] of fleet.entries()) {
      const ctx = { vehicleId: v.id, unitSystem: 'metric' as const };
      const calls: Promise<unknown>[] = [];
      if ((step + i) % 3 === 0) {
        for (const m of ['battery', 'odometer', 'location', 'fuel', 'tirePressure', 'chargeStatus'] as const) {
          const fn = v.c[m] as ((ctx: unknown) => Promise<unknown>) | undefined;
          if (fn) calls.push(fn.call(v.c, ctx));
        }
      }
      if (step === 20 && v.c.lockControl) calls.push(v.c.lockControl(ctx, 'UNLOCK'));
      if (step === 30 && v.c.chargeControl) calls.push(v.c.chargeControl(ctx, 'STOP'));
      if (step === 40 && i % 3 === 0) calls.push(clockControl(backend.sim, v.id, { action: 'advance', ms: 3 * 3_600_000 }).then((r) => r.view));
      for (const p of calls) out.push(await p.then((x) => ({ ok: x }), (e: { failure?: unknown; message?: string }) => ({ err: e.failure ?? e.message })));
    }
  }
  out.push(events);
  await backend.close();
  return JSON.stringify(out);
}

describe('determinism', () => {
  it('the same scripted fleet day gives byte-identical outputs and events, in memory and in storage', async () => {
    const a = await scriptedDay(new MemoryEngine());
    const b = await scriptedDay(new MemoryEngine());
    expect(a.length).toBeGreaterThan(10_000);
    expect(b).toBe(a);
    expect(a).toContain('CHARGING_COMPLETED');
    expect(a).toContain('"timeout"');
    const storage = await openStorage('sqlite::memory:');
    try {
      const c = await scriptedDay(new StorageEngine(storage, new ManualClock(T0)));
      expect(c).toBe(a);
    } finally {
      await storage.close();
    }
  });
});
