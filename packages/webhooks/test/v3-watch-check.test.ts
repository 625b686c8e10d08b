import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '@opencar/core';
import { IntegrationsRepo, IntegrationWatchRepo, type Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';
import { IntegrationEvents, WATCH_CHECK_MS, type VehicleSnapshot } from '../src/index.js';
import { connect, seedApp, silent } from './fixtures.js';

/**
 * Observation after committed changes when no enabled integration watches anything: one small
 * check per period instead of a subscription query per change, and a change made while an
 * integration was being enabled elsewhere (another process, straight in storage) is held and
 * observed once the answer expires, never dropped.
 */
for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`API v3 observation when nothing is watched [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    const clock = new ManualClock(Date.UTC(2026, 4, 1));
    const reads: string[] = [];
    const read = async (sub: { vehicleId: string; userId: string }, codes: string[]): Promise<VehicleSnapshot> => {
      reads.push(sub.vehicleId);
      return {
        user: { id: sub.userId, externalId: null },
        vehicle: { id: sub.vehicleId, make: 'TESLA', model: 'Model 3', year: 2024, mode: 'simulated', powertrainType: 'BEV' },
        signals: codes.map((code) => ({ code, name: 'IsLocked', group: 'Closure', body: { value: true }, status: { value: 'SUCCESS' }, meta: { oemUpdatedAt: clock.now(), retrievedAt: clock.now() } })),
      };
    };
    let events: IntegrationEvents;

    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      await seedApp(storage, 'app1');
      for (let i = 0; i < 50; i++) await connect(storage, 'app1', `car-${i}`, ['read_security']);
      events = new IntegrationEvents({ storage, clock, log: silent, read, publicUrl: 'http://opencar.test' });
    });
    afterEach(() => { vi.restoreAllMocks(); });
    afterAll(async () => { await events?.close(); await dispose?.(); });

    it('a burst of commits with no enabled integration costs a check per period and no subscription query', async () => {
      const active = vi.spyOn(IntegrationsRepo.prototype, 'active');
      const check = vi.spyOn(IntegrationWatchRepo.prototype, 'watchedVehicles');
      const t = performance.now();
      for (let i = 0; i < 2000; i++) {
        events.notify([`car-${i % 50}`]);
        if (i % 100 === 0) await new Promise((r) => setImmediate(r)); // commits arrive while checks run
      }
      await events.idle();
      const elapsed = performance.now() - t;
      expect(active).not.toHaveBeenCalled();
      expect(check.mock.calls.length).toBeGreaterThanOrEqual(1);
      expect(check.mock.calls.length).toBeLessThanOrEqual(2 + Math.ceil(elapsed / WATCH_CHECK_MS));
      expect(reads).toEqual([]);
    });

    it('a change right after an integration was enabled elsewhere is observed (held until the answer expires, not dropped)', async () => {
      events.notify(['car-1']);
      await events.idle(); // the last answer: nothing watched
      // Another process creates an integration and subscribes car-1: nothing tells this one.
      const repo = new IntegrationsRepo(storage.db);
      await repo.create({
        id: 'w-else', app_id: 'app1', name: 'elsewhere', url: 'http://127.0.0.1:9/events', kind: 'integration', cadence: null, topics: '[]', status: 'active',
        verified_at: 0, next_run_at: null, created_at: clock.now(), deleted_at: null, anchor_at: null,
        triggers: JSON.stringify([{ code: 'closure-islocked' }]), signals: JSON.stringify(['closure-islocked']), error_url: null, auto_subscribe: 0,
      });
      expect(await repo.subscribe('app1', 'w-else', 'car-1', 'owner-car-1', clock.now())).toBe(true);
      events.notify(['car-1', 'car-2']);
      await events.idle();
      expect(reads).toEqual(['car-1']);
      const queued = await storage.db.selectFrom('webhook_deliveries').select('event_name').where('webhook_id', '=', 'w-else').execute();
      expect(queued.map((q) => q.event_name)).toEqual(['VEHICLE_STATE']); // FIRST_DELIVERY
      // While something is watched, each change is observed without waiting for a check.
      const check = vi.spyOn(IntegrationWatchRepo.prototype, 'watchedVehicles');
      events.notify(['car-1']);
      await events.idle();
      expect(reads).toEqual(['car-1', 'car-1']);
      expect(check).not.toHaveBeenCalled();
    });
  });
}
