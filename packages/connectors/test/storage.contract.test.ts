import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@opencar/core';
import type { Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '../../storage/src/testing.js';
import { SimulatorBackend, StorageEngine, clockControl, setState } from '../src/index.js';
import { T0 } from './helpers.js';

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`simulator state in storage [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    beforeAll(async () => { ({ storage, dispose } = await openTestStorage(engine)); });
    afterAll(async () => dispose?.());

    const make = (clock: ManualClock) => new SimulatorBackend({ engine: new StorageEngine(storage, clock), clock, defaultLatency: 'zero' });

    it('survives a restart: a new backend on the same storage sees the same accounts and state', async () => {
      const clock = new ManualClock(T0);
      const a = make(clock);
      const r = await a.signIn({ make: 'TESLA', email: 'restart@example.com', password: 'x', mode: 'simulated', country: 'US' });
      if (!r.ok) throw new Error('sign-in');
      const id = r.vehicles[0]!.vehicleId;
      await setState(a.sim, id, { soc: 0.42 });
      const b = make(clock);
      expect(await b.signIn({ make: 'TESLA', email: 'restart@example.com', password: 'y', mode: 'simulated', country: 'US' })).toEqual(r);
      expect((await (await b.connector(id))!.battery!({ vehicleId: id, unitSystem: 'metric' })).value.percentRemaining).toBe(0.42);
      expect(await b.connector('missing')).toBeUndefined();
    });

    it('a command through one process is seen by a read through another', async () => {
      const clock = new ManualClock(T0);
      const p1 = make(clock);
      const p2 = make(clock);
      const r = await p1.signIn({ make: 'FORD', email: 'two@example.com', password: 'x', mode: 'simulated', country: 'US' });
      if (!r.ok) throw new Error('sign-in');
      const id = r.vehicles[0]!.vehicleId;
      const ctx = { vehicleId: id, unitSystem: 'metric' as const };
      expect((await (await p2.connector(id))!.lockStatus!(ctx)).value.isLocked).toBe(true);
      await (await p1.connector(id))!.lockControl!(ctx, 'UNLOCK');
      if (engine.name === 'postgres') expect((await (await p2.connector(id))!.lockStatus!(ctx)).value.isLocked).toBe(false);
      expect((await (await p1.connector(id))!.lockStatus!(ctx)).value.isLocked).toBe(false);
    });

    it('events are recorded and handed to sinks inside the state transaction; a failing sink rolls the change back', async () => {
      const clock = new ManualClock(T0);
      const b = make(clock);
      const seen: string[] = [];
      let fail = false;
      b.addEventSink(async (trx, events) => {
        const n = await trx.selectFrom('sim_events').select('id').where('id', 'in', events.map((e) => e.eventId)).execute();
        expect(n.length).toBe(events.length); // the event rows are visible inside the same transaction
        if (fail) throw new Error('sink down');
        seen.push(...events.map((e) => e.eventType));
      });
      const r = await b.signIn({ make: 'KIA', email: 'KNA20BM89RH563998@bev.smartcar.com', password: 'x', mode: 'simulated', country: 'DE' });
      if (!r.ok) throw new Error('sign-in');
      const ev = r.vehicles[0]!;
      expect(ev.powertrain).toBe('BEV');
      fail = true;
      await expect(setState(b.sim, ev.vehicleId, { soc: 0.2, pluggedIn: true })).rejects.toThrow('sink down');
      expect((await b.sim.engine.get(ev.vehicleId))!.plugged).toBe(0);
      fail = false;
      await setState(b.sim, ev.vehicleId, { soc: 0.2, pluggedIn: true });
      clock.advance(12 * 3_600_000);
      expect(await b.processDueEvents()).toBeGreaterThanOrEqual(1);
      expect(seen).toEqual(['CHARGING_STARTED', 'CHARGING_COMPLETED']);
      const paused = await clockControl(b.sim, ev.vehicleId, { action: 'pause' });
      expect(paused.view.clock.paused).toBe(true);
    });
  });
}
