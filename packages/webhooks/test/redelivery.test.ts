import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@opencar/core';
import type { Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';
import { stableId, type WebhookService } from '../src/index.js';
import { fakeBackend } from './fake-backend.js';
import { connect, emit, event, seedApp, service } from './fixtures.js';
import { Receiver } from './receiver.js';

const RETRY = { baseMs: 1000, maxMs: 1000, windowMs: 10_000, jitter: 0.5 };

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`webhooks: unsubscribe, redelivery window, deterministic bodies [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    const clock = new ManualClock(Date.UTC(2026, 4, 1));
    let svc: WebhookService;
    let rx: Receiver;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      const amt = await seedApp(storage, 'app1');
      await connect(storage, 'app1', 'v1');
      svc = service(storage, clock, { retry: RETRY, random: () => 0.5, backend: () => fakeBackend() });
      rx = new Receiver(amt);
      await rx.start();
    });
    afterAll(async () => { await svc?.close(); await rx?.stop(); await dispose?.(); });

    it('unsubscribe reports whether the vehicle was subscribed', async () => {
      const hook = await svc.create('app1', { url: rx.url, type: 'eventBased' });
      expect(await svc.unsubscribe('app1', hook.id, 'v1')).toBe(false);
      await svc.subscribe('app1', hook.id, 'v1');
      expect(await svc.unsubscribe('app1', hook.id, 'v1')).toBe(true);
      expect(await svc.unsubscribe('app1', hook.id, 'v1')).toBe(false);
      await svc.remove('app1', hook.id);
    });

    it('retries with the injected jitter source, and a redelivery older than the window gets a fresh window', async () => {
      const hook = await svc.create('app1', { url: rx.url, type: 'eventBased' });
      await svc.subscribe('app1', hook.id, 'v1');
      rx.mode = 'error';
      await emit(storage, svc, [event('v1', clock.now())]);
      const [d] = await svc.repo.listDeliveries(hook.id);
      await svc.deliverer.round();
      expect(await svc.repo.getDelivery(d!.id)).toMatchObject({ status: 'pending', attempts: 1 });
      expect(Number((await svc.repo.getDelivery(d!.id))!.next_attempt_at)).toBe(clock.now() + 1000); // random 0.5 → no jitter
      clock.advance(20_000);
      await svc.deliverer.round();
      expect((await svc.repo.getDelivery(d!.id))!.status).toBe('dead');
      clock.advance(60_000);
      await svc.redeliver('app1', d!.id);
      await svc.deliverer.round();
      expect(await svc.repo.getDelivery(d!.id)).toMatchObject({ status: 'pending', attempts: 3 });
      rx.mode = 'ok';
      clock.advance(1000);
      await svc.deliverer.runUntilIdle();
      expect((await svc.repo.getDelivery(d!.id))!.status).toBe('delivered');
      await svc.remove('app1', hook.id);
    });

    it('a scheduled body is a function of (webhook, run time, vehicle): the requestId is stable', async () => {
      const hook = await svc.create('app1', { url: rx.url, type: 'scheduled', cadence: 'hourly', endpoints: ['/battery'] });
      await svc.subscribe('app1', hook.id, 'v1');
      const runAt = Date.parse((await svc.get('app1', hook.id)).nextRunAt!);
      clock.set(runAt);
      expect(await svc.scheduler.tick()).toBe(1);
      const [d] = await svc.repo.listDeliveries(hook.id);
      const body = JSON.parse(d!.body) as { payload: { vehicles: { requestId: string }[] } };
      expect(body.payload.vehicles[0]!.requestId).toBe(stableId(hook.id, String(runAt), 'v1'));
      await svc.remove('app1', hook.id);
    });
  });
}
