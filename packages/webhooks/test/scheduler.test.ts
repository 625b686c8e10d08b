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
    const logged: string[] = [];
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      const amt = await seedApp(storage, 'app1');
      await connect(storage, 'app1', 'car');
      await connect(storage, 'app1', 'car2');
      svc = service(storage, clock, { backend: () => fakeBackend({ failConnector: (v) => failing && v === 'car2' }), accessLog: { record: (e) => { logged.push(e.requestId); return Promise.resolve(); } } });
      rx = new Receiver(amt);
      await rx.start();
    });
    afterAll(async () => { await svc?.close(); await rx?.stop(); await dispose?.(); });

    it('a run that fails to build stays due and is delivered on the next tick, once', async () => {
      const hook = await svc.create('app1', { url: rx.url, type: 'scheduled', cadence: 'hourly', endpoints: ['/battery'] });
      await svc.subscribe('app1', hook.id, 'car');
      await svc.subscribe('app1', hook.id, 'car2'); // its backend fails while `failing`, after 'car' was read
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
      // Every read made is its own ledger entry (the ledger's request ids are unique), the failed attempt's too.
      expect(logged).toHaveLength(3);
      expect(new Set(logged).size).toBe(3);
      await svc.unsubscribe('app1', hook.id, 'car2');
      await svc.remove('app1', hook.id);
    });

    it('Scheduler.tick runs a monthly webhook created on January 31 on Feb 28, then Mar 31 (hourly, daily, weekly alongside)', async () => {
      clock.set(Date.UTC(2027, 0, 31, 9, 0));
      const hooks: Record<string, string> = {};
      for (const cadence of ['hourly', 'daily', 'weekly', 'monthly']) {
        const h = await svc.create('app1', { url: rx.url, type: 'scheduled', cadence, endpoints: ['/battery'] });
        await svc.subscribe('app1', h.id, 'car');
        hooks[cadence] = h.id;
      }
      const next = async () => Object.fromEntries(await Promise.all(Object.entries(hooks).map(async ([c, id]) => [c, (await svc.get('app1', id)).nextRunAt])));
      expect(await next()).toEqual({ hourly: '2027-01-31T10:00:00.000Z', daily: '2027-02-01T09:00:00.000Z', weekly: '2027-02-07T09:00:00.000Z', monthly: '2027-02-28T09:00:00.000Z' });
      clock.set(Date.UTC(2027, 1, 28, 9, 0));
      expect(await svc.scheduler.tick()).toBe(4);
      expect(await next()).toEqual({ hourly: '2027-02-28T10:00:00.000Z', daily: '2027-03-01T09:00:00.000Z', weekly: '2027-03-07T09:00:00.000Z', monthly: '2027-03-31T09:00:00.000Z' });
      clock.set(Date.UTC(2027, 2, 31, 9, 0));
      expect(await svc.scheduler.tick()).toBe(4);
      expect((await next()).monthly).toBe('2027-04-30T09:00:00.000Z');
      for (const id of Object.values(hooks)) await svc.remove('app1', id);
    });
  });
}
