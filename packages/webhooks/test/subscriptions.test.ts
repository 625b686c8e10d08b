import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@opencar/core';
import type { Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';
import type { WebhookService } from '../src/index.js';
import { fakeBackend } from './fake-backend.js';
import { connect, disconnect, emit, event, seedApp, service } from './fixtures.js';
import { Receiver } from './receiver.js';

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`webhooks: subscriptions follow the app's connections [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    const clock = new ManualClock(Date.UTC(2026, 4, 1));
    let svc: WebhookService;
    let rx: Receiver;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      const amt = await seedApp(storage, 'app1');
      svc = service(storage, clock, { backend: () => fakeBackend() });
      rx = new Receiver(amt);
      await rx.start();
    });
    afterAll(async () => { await svc?.close(); await rx?.stop(); await dispose?.(); });

    it('after disconnect, the next scheduled run and the next charging event deliver nothing for that vehicle', async () => {
      await connect(storage, 'app1', 'keep');
      await connect(storage, 'app1', 'gone');
      const sched = await svc.create('app1', { url: rx.url, type: 'scheduled', cadence: 'hourly', endpoints: ['/odometer'] });
      const events = await svc.create('app1', { url: rx.url, type: 'eventBased' });
      for (const v of ['keep', 'gone']) {
        expect(await svc.subscribe('app1', sched.id, v)).toBe(true);
        expect(await svc.subscribe('app1', events.id, v)).toBe(true);
      }
      await disconnect(storage, 'app1', 'gone');
      rx.received.length = 0;
      clock.advance(3_600_000);
      expect(await svc.scheduler.tick()).toBe(1);
      await emit(storage, svc, [event('gone', clock.now()), event('keep', clock.now())]);
      await svc.deliverer.runUntilIdle();
      const scheduled = rx.received.filter((r) => r.body.eventName === 'scheduled');
      expect(scheduled).toHaveLength(1);
      expect((scheduled[0]!.body.payload.vehicles as { vehicleId: string }[]).map((v) => v.vehicleId)).toEqual(['keep']);
      const charging = rx.received.filter((r) => r.body.eventName === 'eventBased');
      expect(charging.map((r) => r.body.payload.vehicleId)).toEqual(['keep']);
      expect((await svc.get('app1', sched.id)).vehicles).toEqual(['keep']);
      // Only the scheduled webhook's subscribers, and none of a deleted webhook.
      await svc.remove('app1', sched.id);
      expect(await svc.repo.subscribers(sched.id)).toEqual([]);
    });
  });
}
