/**
 * Simulator benchmark (in-memory engine, no storage): memory per vehicle for 1,000,000 vehicles,
 * state reads per second through the connector pipeline, and the time to advance 100,000 charging
 * vehicles by 8 hours (every charge completes, events fire in order). Bounded; prints figures.
 * Run: npx tsx bench/simulator.ts [vehicles]
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ManualClock } from '@opencar/core';
import { BRANDS, MemoryEngine, SimulatorBackend, type SimState, type VehicleEvent } from '@opencar/connectors';
import { newVehicle } from '../packages/connectors/src/sim/factory.js';
import { stableUuid } from '../packages/connectors/src/sim/hash.js';
import { refreshNextAt, startCharging } from '../packages/connectors/src/sim/transitions.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const N = Number(process.argv[2] ?? 1_000_000);
const CHARGING = Math.min(100_000, N);
const READS = 200_000;
const H = 3_600_000;

const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const clock = new ManualClock(Date.UTC(2026, 5, 1, 18));
const engine = new MemoryEngine();
const backend = new SimulatorBackend({ engine, clock, defaultLatency: 'zero' });
const sim = backend.sim;
const evBrands = BRANDS.filter((b) => b.models.some((m) => m.powertrain === 'BEV'));

const before = heap();
let t = performance.now();
for (let i = 0; i < N; i++) {
  const brand = evBrands[i % evBrands.length]!;
  engine.add(newVehicle({ id: stableUuid(`bench:${i}`), accountId: `acct-${i >> 4}`, brand, region: brand.regions[0]!, mode: 'simulated', now: clock.now(), powertrain: ['BEV'] }));
}
const createMs = performance.now() - t;
const after = heap();
const perVehicle = (after - before) / N;
console.log(`vehicles:              ${fmt(N)} created in ${fmt(createMs)} ms`);
console.log(`memory per vehicle:    ${fmt(perVehicle)} bytes (heap delta ${fmt((after - before) / 1048576)} MiB; target < 1024)`);

// Reads through the full connector pipeline (profile gates, freshness, state update).
const ids = [...engine.vehicles.keys()];
const readIds = ids.slice(0, 2000).filter((id) => sim.meta(engine.vehicles.get(id)!).caps.has('battery')).slice(0, 1000);
const connectors = await Promise.all(readIds.map((id) => backend.connector(id)));
t = performance.now();
let sum = 0;
for (let i = 0; i < READS; i++) {
  const k = (i * 7919) % connectors.length;
  const r = await connectors[k]!.battery!({ vehicleId: readIds[k]!, unitSystem: 'metric' });
  sum += r.value.percentRemaining;
}
const readMs = performance.now() - t;
console.log(`state reads:           ${fmt(READS / (readMs / 1000))} reads/s (connector.battery, ${fmt(READS)} reads, checksum ${sum.toFixed(1)})`);

// Raw closed-form evaluation across the fleet (no pipeline).
t = performance.now();
let acc = 0;
const { evaluate } = await import('../packages/connectors/src/sim/physics.js');
for (let i = 0; i < N; i++) { const s = engine.vehicles.get(ids[i]!)!; acc += evaluate(s, sim.meta(s).md, clock.now() + H).soc; }
const evalMs = performance.now() - t;
console.log(`state evaluations:     ${fmt(N / (evalMs / 1000))} evaluations/s (closed form over all ${fmt(N)} vehicles, checksum ${acc.toFixed(0)})`);

// 100,000 vehicles plugged in and charging; then the clock moves 8 h and every due event fires.
const chargingIds: string[] = [];
for (let i = 0; i < N && chargingIds.length < CHARGING; i++) {
  const s = engine.vehicles.get(ids[i]!) as SimState;
  const meta = sim.meta(s);
  if (meta.md.batteryKwh === null) continue;
  chargingIds.push(s.id);
  // Through the engine, like every state change (it keeps the index of due vehicles).
  engine.updateSync(s.id, (v) => {
    v.soc = 0.1 + (i % 50) / 100; v.plugged = 1; v.limit = 0.9;
    startCharging(v, meta.tctx, clock.now(), []);
    refreshNextAt(v, meta.md);
    return { events: [] };
  });
}
let completed = 0;
engine.onEvents((events: VehicleEvent[]) => { for (const e of events) if (e.eventType === 'CHARGING_COMPLETED') completed++; });
clock.advance(8 * H);
t = performance.now();
const cpu = process.cpuUsage();
const processed = await sim.processDueEvents(20_000);
const advMs = performance.now() - t;
const used = process.cpuUsage(cpu);
const advCpuMs = (used.user + used.system) / 1000; // of the whole process; steadier than wall time on a shared machine
console.log(`advance 8 h:           ${fmt(advMs)} ms for ${fmt(CHARGING)} charging vehicles (${fmt(processed)} processed, ${fmt(completed)} CHARGING_COMPLETED; CPU ${fmt(advCpuMs)} ms)`);
const stillCharging = chargingIds.filter((id) => engine.vehicles.get(id)!.charging === 1).length;
console.log(`still charging after:  ${fmt(stillCharging)} (large packs on slow AC need more than 8 h from 10 %)`);
