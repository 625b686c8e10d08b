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
      // Nothing here tests timeouts: a loaded machine must not fail the verification challenge (and leave the webhook inactive).
      svc = service(storage, clock, { backend: () => fakeBackend(), timeoutMs: 10_000 });
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
      await svc.remove('app1', events.id);
    });

    it('scheduled runs read only the paths the owner granted; the rest are PERMISSION items; reads go to the access log with 0 units', async () => {
      const backend = fakeBackend();
      const logged: { endpoint: string; units: number; status: number; userId: string | null; vehicleId: string | null; requestClass: string }[] = [];
      const scoped = service(storage, clock, { backend: () => backend, timeoutMs: 10_000, accessLog: { record: (e) => { logged.push(e); return Promise.resolve(); } } });
      await connect(storage, 'app1', 'odo-only', ['read_odometer'], 'owner-7');
      const hook = await scoped.create('app1', { url: rx.url, type: 'scheduled', cadence: 'hourly', endpoints: ['/odometer', '/location', '/vin'] });
      await scoped.subscribe('app1', hook.id, 'odo-only');
      rx.received.length = 0;
      clock.advance(3_600_000);
      expect(await scoped.scheduler.tick()).toBe(1);
      await scoped.deliverer.runUntilIdle();
      await scoped.close();
      expect(backend.reads).toEqual(['odo-only/odometer']);
      const [veh] = rx.received[0]!.body.payload.vehicles as { vehicleId: string; requestId: string; data: { path: string; code: number; body: Record<string, unknown>; headers: Record<string, string> }[] }[];
      expect(veh!.data.map((d) => [d.path, d.code])).toEqual([['/odometer', 200], ['/location', 403], ['/vin', 403]]);
      expect(veh!.data[0]!.body).toEqual({ distance: 1234 });
      expect(veh!.data[1]!.body).toMatchObject({ type: 'PERMISSION', code: null, statusCode: 403, requestId: veh!.requestId });
      expect(Object.keys(veh!.data[1]!.body)).toEqual(['type', 'code', 'description', 'docURL', 'statusCode', 'requestId', 'resolution', 'suggestedUserMessage']);
      for (const d of veh!.data) expect(d.headers['content-type']).toBe('application/json');
      expect(logged).toEqual([expect.objectContaining({ endpoint: 'GET /v2.0/vehicles/:id/odometer', units: 0, status: 200, userId: 'owner-7', vehicleId: 'odo-only', requestClass: 'data' })]);
      await svc.remove('app1', hook.id);
    });
  });
}
