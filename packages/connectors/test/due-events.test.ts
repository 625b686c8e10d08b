import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@opencar/core';
import type { Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '../../storage/src/testing.js';
import { DueIndex, type Due } from '../src/sim/engine/due-index.js';
import { MemoryEngine, SimulatorBackend, StorageEngine, setState, type SimState, type VehicleEvent } from '../src/index.js';
import { T0, oneVehicle } from './helpers.js';

const H = 3_600_000;

/** The order a full scan gives (what storage's index answers): due time, then id. */
function scan(items: Due[], now: number, limit: number): string[] {
  return items.filter((v) => v.nextAt >= 0 && v.nextAt <= now).sort((a, b) => a.nextAt - b.nextAt || (a.id < b.id ? -1 : 1)).slice(0, limit).map((v) => v.id);
}

describe('due index', () => {
  it('answers like a full scan (time, then id) through pushes, stale entries, repeated answers and compaction', () => {
    const items: { id: string; nextAt: number }[] = Array.from({ length: 200 }, (_, i) => ({ id: `v${String((i * 37) % 200).padStart(3, '0')}`, nextAt: -1 }));
    const index = new DueIndex<{ id: string; nextAt: number }>();
    let seed = 7;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    for (let step = 0; step < 2000; step++) {
      const v = items[rnd(items.length)]!;
      const before = v.nextAt;
      v.nextAt = rnd(4) === 0 ? -1 : rnd(50); // many equal times: ties go by id
      if (v.nextAt >= 0 && v.nextAt !== before) index.push(v.nextAt, v);
      if (step % 50 === 0) index.rebuild(items);
      if (step % 7 === 0) {
        const now = rnd(60);
        const limit = 1 + rnd(30);
        expect(index.due(now, limit).map((x) => x.id)).toEqual(scan(items, now, limit));
        // Asked again without a change: the same answer (answered entries stay due).
        expect(index.due(now, limit).map((x) => x.id)).toEqual(scan(items, now, limit));
      }
    }
  });

  it('keeps a vehicle once when the same due time was pushed twice, and drops what is no longer due', () => {
    const a = { id: 'a', nextAt: 5 };
    const b = { id: 'b', nextAt: 5 };
    const index = new DueIndex<typeof a>();
    index.push(5, a); index.push(5, a); index.push(5, b);
    expect(index.due(10, 10).map((x) => x.id)).toEqual(['a', 'b']);
    a.nextAt = 20; index.push(20, a);
    b.nextAt = -1;
    expect(index.due(10, 10)).toEqual([]);
    expect(index.due(20, 10).map((x) => x.id)).toEqual(['a']);
    expect(index.size).toBe(1);
  });
});

describe('due events on the in-memory engine', () => {
  it('finds vehicles whose state changed through update, in time order, and processes each once', async () => {
    const clock = new ManualClock(T0);
    const engine = new MemoryEngine();
    const backend = new SimulatorBackend({ engine, clock, defaultLatency: 'zero' });
    const events: VehicleEvent[] = [];
    engine.onEvents((e) => events.push(...e));
    const ids: string[] = [];
    for (const [i, email] of ['a@due.example', 'b@due.example', 'c@due.example'].entries()) {
      const { v } = await oneVehicle(backend, 'TESLA', email);
      await setState(backend.sim, v.vehicleId, { soc: 0.5 + i * 0.1, chargeLimit: 0.9, chargeKw: 11, pluggedIn: true });
      ids.push(v.vehicleId);
    }
    const dueAt = ids.map((id) => engine.vehicles.get(id)!.nextAt);
    expect(dueAt.every((t) => t > clock.now())).toBe(true);
    expect(await engine.dueIds(clock.now(), 10)).toEqual([]);
    const order = [...ids].sort((x, y) => engine.vehicles.get(x)!.nextAt - engine.vehicles.get(y)!.nextAt);
    clock.advance(8 * H);
    expect(await engine.dueIds(clock.now(), 2)).toEqual(order.slice(0, 2));
    expect(await engine.dueIds(clock.now(), 10)).toEqual(order);
    expect(await backend.processDueEvents()).toBe(3);
    expect(events.filter((e) => e.eventType === 'CHARGING_COMPLETED').map((e) => e.vehicleId)).toEqual(order);
    expect(await engine.dueIds(clock.now(), 10)).toEqual([]);
    expect(await backend.processDueEvents()).toBe(0);
  });

  it('updateEach skips vehicles that are gone and saves what fn changed', async () => {
    const engine = new MemoryEngine();
    const clock = new ManualClock(T0);
    const backend = new SimulatorBackend({ engine, clock, defaultLatency: 'zero' });
    const { v } = await oneVehicle(backend, 'KIA', 'each@due.example');
    const seen: VehicleEvent[][] = [];
    engine.onEvents((e) => seen.push(e));
    const n = await engine.updateEach(['missing', v.vehicleId], (s: SimState) => {
      s.odoKm += 1;
      return [{ eventId: 'e1', vehicleId: s.id, eventType: 'CHARGING_STARTED', at: clock.now() }];
    });
    expect(n).toBe(1);
    expect(seen).toEqual([[{ eventId: 'e1', vehicleId: v.vehicleId, eventType: 'CHARGING_STARTED', at: clock.now() }]]);
  });
});

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`due events in storage [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    beforeAll(async () => { ({ storage, dispose } = await openTestStorage(engine)); });
    afterAll(async () => dispose?.());

    it('commits due vehicles together, each event once; a vehicle another process changed meanwhile is done from its new row', async () => {
      const clock = new ManualClock(T0);
      const a = new SimulatorBackend({ engine: new StorageEngine(storage, clock), clock, defaultLatency: 'zero' });
      const b = new SimulatorBackend({ engine: new StorageEngine(storage, clock), clock, defaultLatency: 'zero' });
      const sinkCalls: string[][] = [];
      a.addEventSink(async (trx, events) => {
        const stored = await trx.selectFrom('sim_events').select('id').where('id', 'in', events.map((e) => e.eventId)).execute();
        expect(stored.length).toBe(events.length); // recorded in the same transaction
        sinkCalls.push(events.filter((e) => e.eventType === 'CHARGING_COMPLETED').map((e) => e.vehicleId));
      });
      const r = await a.signIn({ make: 'TESLA', email: '5-vehicles@batch.example', password: 'x', mode: 'simulated', country: 'US' });
      if (!r.ok) throw new Error('sign-in');
      const ids = r.vehicles.map((v) => v.vehicleId);
      expect(ids.length).toBe(5);
      for (const id of ids) await setState(a.sim, id, { soc: 0.5, chargeLimit: 0.9, chargeKw: 11, pluggedIn: true });
      for (const id of ids) await a.sim.engine.get(id); // process a caches its rows (SQLite)
      await setState(b.sim, ids[2]!, { chargeLimit: 0.8 }); // process b writes one of them
      clock.advance(8 * H);
      sinkCalls.length = 0;
      expect(await a.processDueEvents()).toBe(5);
      expect(sinkCalls.flat().sort()).toEqual([...ids].sort());
      // One transaction for the batch; on SQLite process a's cached row of the changed vehicle is stale: it follows alone.
      expect(sinkCalls.map((c) => c.length)).toEqual(engine.name === 'sqlite' ? [4, 1] : [5]);
      const completed = await storage.db.selectFrom('sim_events').select('vehicle_id').where('vehicle_id', 'in', ids).where('event_type', '=', 'CHARGING_COMPLETED').execute();
      expect(completed.map((c) => c.vehicle_id).sort()).toEqual([...ids].sort());
      const fresh = new StorageEngine(storage, clock); // what is stored (b's SQLite cache holds its own writes only)
      for (const id of ids) {
        const s = (await fresh.get(id))!;
        expect([s.charging, s.soc, s.nextAt]).toEqual([0, id === ids[2] ? 0.8 : 0.9, -1]);
      }
      expect(await a.processDueEvents()).toBe(0);
    });
  });
}
