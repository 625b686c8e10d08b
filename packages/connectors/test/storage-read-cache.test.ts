import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@opencar/core';
import type { Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '../../storage/src/testing.js';
import { SimulatorBackend, StorageEngine, setState } from '../src/index.js';
import { T0 } from './helpers.js';

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`simulator state reads [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    beforeAll(async () => { ({ storage, dispose } = await openTestStorage(engine)); });
    afterAll(async () => dispose?.());

    async function vehicle(email: string) {
      const clock = new ManualClock(T0);
      const eng = new StorageEngine(storage, clock);
      const backend = new SimulatorBackend({ engine: eng, clock, defaultLatency: 'zero' });
      const r = await backend.signIn({ make: 'TESLA', email, password: 'x', mode: 'simulated', country: 'US' });
      if (!r.ok) throw new Error('sign-in');
      return { eng, backend, clock, id: r.vehicles[0]!.vehicleId };
    }

    it('the read cache is bounded: least recently used vehicles are dropped and read again correctly', async () => {
      const clock = new ManualClock(T0);
      const eng = new StorageEngine(storage, clock, 3);
      const backend = new SimulatorBackend({ engine: eng, clock, defaultLatency: 'zero' });
      const r = await backend.signIn({ make: 'TESLA', email: '5-vehicles@lru.example', password: 'x', mode: 'simulated', country: 'US' });
      if (!r.ok) throw new Error('sign-in');
      const ids = r.vehicles.map((v) => v.vehicleId);
      for (const id of ids) await eng.get(id);
      expect(eng.cachedVehicles).toBe(engine.name === 'sqlite' ? 3 : 0);
      await setState(backend.sim, ids[0]!, { soc: 0.42 });
      expect((await eng.get(ids[0]!))!.soc).toBe(0.42);
      expect(eng.cachedVehicles).toBeLessThanOrEqual(3);
    });

    it('every read reflects the latest write; a shared read state cannot be changed by a reader', async () => {
      const { eng, backend, id } = await vehicle('reads@example.com');
      const first = (await eng.get(id))!;
      const again = (await eng.get(id))!;
      if (engine.name === 'sqlite') {
        expect(again).toBe(first); // one parsed state shared until the next write
        expect(Object.isFrozen(first)).toBe(true);
        expect(() => { (first as { soc: number }).soc = 0.01; }).toThrow(TypeError);
      } else {
        expect(again).not.toBe(first); // every read goes to the database
      }
      await setState(backend.sim, id, { soc: 0.37 });
      const after = (await eng.get(id))!;
      expect(after.soc).toBe(0.37);
      expect(first.soc).not.toBe(0.37);
      const battery = await (await backend.connector(id))!.battery!({ vehicleId: id, unitSystem: 'metric' });
      expect(battery.value.percentRemaining).toBe(0.37);
    });

    it('a write that rolls back leaves reads on the committed state', async () => {
      const { eng, backend, id } = await vehicle('rollback@example.com');
      await setState(backend.sim, id, { soc: 0.5 });
      backend.addEventSink(async () => { throw new Error('sink down'); });
      await expect(setState(backend.sim, id, { soc: 0.2, pluggedIn: true })).rejects.toThrow('sink down');
      expect((await eng.get(id))!.soc).toBe(0.5);
    });

    it('a write through another engine on the same storage is seen by the next read on PostgreSQL', async () => {
      const { eng, clock, id } = await vehicle('other@example.com');
      const other = new SimulatorBackend({ engine: new StorageEngine(storage, clock), clock, defaultLatency: 'zero' });
      await eng.get(id);
      await setState(other.sim, id, { soc: 0.61 });
      // SQLite is single-process (the write-through cache is authoritative); PostgreSQL reads the database.
      if (engine.name === 'postgres') expect((await eng.get(id))!.soc).toBe(0.61);
    });
  });
}
