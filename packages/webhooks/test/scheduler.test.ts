import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@opencar/core';
import type { Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';
import { stableId, type WebhookService } from '../src/index.js';
import { fakeBackend } from './fake-backend.js';
import { connect, seedApp, service } from './fixtures.js';
import { Receiver } from './receiver.js';

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`webhooks: scheduled runs [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    const clock = new ManualClock(Date.UTC(2026, 0, 31, 9, 0));
    let svc: WebhookService;
    let rx: Receiver;
    let failing = false;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      const amt = await seedApp(storage, 'app1');
      await connect(storage, 'app1', 'car');
      svc = service(storage, clock, { backend: () => fakeBackend({ failConnector: () => failing }) });
      rx = new Receiver(amt);
      await rx.start();
    });
    afterAll(async () => { await svc?.close(); await rx?.stop(); await dispose?.(); });

    it('a run that fails to build stays due and is delivered on the next tick, once', async () => {
      const hook = await svc.create('app1', { url: rx.url, type: 'scheduled', cadence: 'hourly', endpoints: ['/battery'] });
      await svc.subscribe('app1', hook.id, 'car');
      const runAt = clock.now() + 3_600_000;
      expect((await svc.get('app1', hook.id)).nextRunAt).toBe(new Date(runAt).toISOString());
      clock.set(runAt + 1000);
      failing = true;
      expect(await svc.scheduler.tick()).toBe(0);
      expect((await svc.get('app1', hook.id)).nextRunAt).toBe(new Date(runAt).toISOString());
      failing = false;
      expect(await svc.scheduler.tick()).toBe(1);
      expect(await svc.scheduler.tick()).toBe(0);
      expect((await svc.get('app1', hook.id)).nextRunAt).toBe(new Date(runAt + 3_600_000).toISOString());
      const rows = await svc.repo.listDeliveries(hook.id);
      expect(rows.map((r) => r.id)).toEqual([stableId(hook.id, 'scheduled', String(runAt))]);
      await svc.remove('app1', hook.id);
    });
  });
}
