import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@opencar/core';
import { IntegrationsRepo, type Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';
import { IntegrationEvents, type SignalItem, type VehicleSnapshot } from '../src/index.js';
import { connect, seedApp, silent } from './fixtures.js';

interface Event { eventType: string; data: { triggers?: { code: string }[]; errors?: { type: string; code: string; state: string }[] } }

/**
 * A vehicle observed without waking that sleeps (`asleep` snapshots): skipped within the asleep
 * budget; past it one VEHICLE_ERROR VEHICLE_STATE ASLEEP while the errors it already had stay open;
 * RESOLVED when it is read awake; triggers compare with the last awake reading.
 */
for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`API v3 events from a sleeping vehicle [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    const clock = new ManualClock(Date.UTC(2026, 4, 1));
    let events: IntegrationEvents;
    const car = { asleep: false, soc: 50 };
    const read = async (sub: { vehicleId: string; userId: string }, codes: string[]): Promise<VehicleSnapshot> => {
      const vehicle = { id: sub.vehicleId, make: 'TESLA', model: 'Model 3', year: 2024, mode: 'live' as const, powertrainType: 'BEV' };
      const user = { id: sub.userId, externalId: null };
      if (car.asleep) return { user, vehicle, signals: [], asleep: true };
      const signals = codes.map((code): SignalItem => {
        const base = { code, name: code, group: code, meta: { oemUpdatedAt: clock.now(), retrievedAt: clock.now() } };
        return code === 'tractionbattery-stateofcharge'
          ? { ...base, body: { value: car.soc, unit: 'percent' }, status: { value: 'SUCCESS' } }
          : { ...base, body: null, status: { value: 'UNAVAILABLE' } };
      });
      return { user, vehicle, signals };
    };
    const sent = async (): Promise<Event[]> => (await storage.db.selectFrom('webhook_deliveries').select('body').where('webhook_id', '=', 'sleepy').orderBy('seq').execute())
      .map((r) => JSON.parse(r.body) as Event);

    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      await seedApp(storage, 'app1', 'enterprise', 'live');
      await connect(storage, 'app1', 'car-z', ['read_battery', 'read_tires']);
      events = new IntegrationEvents({ storage, clock, log: silent, read, publicUrl: 'http://opencar.test', asleepBudgetMs: 60_000 });
      await new IntegrationsRepo(storage.db).create({
        id: 'sleepy', app_id: 'app1', name: 'sleepy', url: 'https://127.0.0.1:9/e', kind: 'integration', cadence: null, topics: '[]', status: 'active',
        verified_at: 0, next_run_at: null, created_at: clock.now(), deleted_at: null, anchor_at: null,
        triggers: JSON.stringify([{ code: 'tractionbattery-stateofcharge' }]), signals: JSON.stringify(['tractionbattery-stateofcharge', 'wheel-tires']), error_url: null, auto_subscribe: 0,
      });
      expect(await new IntegrationsRepo(storage.db).subscribe('app1', 'sleepy', 'car-z', 'owner-car-z', clock.now())).toBe(true);
      await events.subscribed('sleepy', 'car-z');
    });
    afterAll(async () => { await dispose?.(); });

    it('skips it within the budget, reports ASLEEP once past it without resolving other errors, and RESOLVED when read awake', async () => {
      expect((await sent()).map((e) => e.eventType)).toEqual(['VEHICLE_STATE', 'VEHICLE_ERROR']);
      expect((await sent())[1]!.data.errors).toMatchObject([{ type: 'COMPATIBILITY', code: 'VEHICLE_NOT_CAPABLE', state: 'ERROR' }]);

      car.asleep = true;
      car.soc = 40;
      expect(await events.observe(['car-z'])).toBe(0);
      clock.advance(59_000);
      expect(await events.observe(['car-z'])).toBe(0);
      clock.advance(2_000);
      expect(await events.observe(['car-z'])).toBe(1);
      expect(await events.observe(['car-z'])).toBe(0);
      const asleep = (await sent())[2]!;
      expect(asleep.eventType).toBe('VEHICLE_ERROR');
      expect(asleep.data.errors).toMatchObject([{ type: 'VEHICLE_STATE', code: 'ASLEEP', state: 'ERROR' }]);
      expect(asleep.data.errors).toHaveLength(1);

      // Awake: the SoC fell while it slept (the trigger fires against the last awake reading) and the sleep is RESOLVED.
      car.asleep = false;
      expect(await events.observe(['car-z'])).toBe(2);
      const [state, resolved] = (await sent()).slice(3);
      expect(state!.eventType).toBe('VEHICLE_STATE');
      expect(state!.data.triggers).toEqual([{ code: 'tractionbattery-stateofcharge' }]);
      expect(resolved!.data.errors).toMatchObject([{ type: 'VEHICLE_STATE', code: 'ASLEEP', state: 'RESOLVED' }]);
      expect(resolved!.data.errors).toHaveLength(1);
      expect(await events.observe(['car-z'])).toBe(0);
    });
  });
}
