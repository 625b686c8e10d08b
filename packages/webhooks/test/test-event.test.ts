import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacSha256Hex, isApiError, ManualClock } from '@opencar/core';
import type { Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';
import type { AccessLog, WebhookService } from '../src/index.js';
import { connect, emit, event, seedApp, service } from './fixtures.js';
import { Receiver } from './receiver.js';

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`webhooks: send test event [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    const clock = new ManualClock(Date.UTC(2026, 4, 1));
    let svc: WebhookService;
    let amt: string;
    let rx: Receiver;
    const metered: unknown[] = [];
    const accessLog: AccessLog = { record: async (e) => { metered.push(e); } };
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      amt = await seedApp(storage, 'app1', 'enterprise', 'live');
      for (const v of ['v1', 'v2']) await connect(storage, 'app1', v);
      svc = service(storage, clock, { accessLog });
      rx = new Receiver(amt);
      await rx.start();
    });
    afterAll(async () => { await svc?.close(); await rx?.stop(); await dispose?.(); });

    it('posts an exact v2 envelope with mode "test", signed over the raw body, and logs it as a test delivery', async () => {
      const hook = await svc.create('app1', { url: rx.url, type: 'eventBased', events: ['CHARGING_COMPLETED', 'CHARGING_STARTED'] });
      await svc.subscribe('app1', hook.id, 'v2');
      rx.received.length = 0;
      const d = await svc.sendTest('app1', hook.id);
      expect(rx.received).toHaveLength(1);
      const got = rx.received[0]!;
      expect(got.signature).toBe(hmacSha256Hex(amt, got.raw));
      expect(got.verified).toBe(true);
      expect(got.raw).toBe(JSON.stringify(JSON.parse(got.raw)));
      expect(got.deliveryId).toBe(d.id);
      expect(Object.keys(got.body)).toEqual(['version', 'webhookId', 'eventName', 'mode', 'payload']);
      expect(got.body).toMatchObject({ version: '2.0', webhookId: hook.id, eventName: 'eventBased', mode: 'test' });
      expect(Object.keys(got.body.payload)).toEqual(['eventId', 'vehicleId', 'eventType', 'eventTime']);
      expect(got.body.payload).toMatchObject({ vehicleId: 'v2', eventType: 'CHARGING_COMPLETED', eventTime: new Date(clock.now()).toISOString() });
      expect(d).toMatchObject({ test: true, status: 'delivered', attempts: 1, lastStatus: 204, lastError: null, eventName: 'eventBased', body: got.body });
      expect(d.log).toHaveLength(1);
      expect(d.log[0]).toMatchObject({ attempt: 1, responseStatus: 204, error: null });
      expect((await svc.repo.getDelivery(d.id))?.test).toBe(1);
      expect((await svc.deliveries('app1', hook.id)).map((x) => [x.id, x.test])).toEqual([[d.id, true]]);
      expect(metered).toEqual([]);
      await svc.remove('app1', hook.id);
    });

    it('a scheduled webhook gets a scheduled run without vehicles: nothing is read from a vehicle or metered', async () => {
      const hook = await svc.create('app1', { url: rx.url, type: 'scheduled', cadence: 'hourly', endpoints: ['/odometer'] });
      await svc.subscribe('app1', hook.id, 'v1');
      rx.received.length = 0;
      const d = await svc.sendTest('app1', hook.id);
      expect(rx.received.map((r) => r.raw)).toEqual([JSON.stringify({ version: '2.0', webhookId: hook.id, eventName: 'scheduled', mode: 'test', payload: { vehicles: [] } })]);
      expect(d).toMatchObject({ test: true, status: 'delivered', eventName: 'scheduled' });
      expect(metered).toEqual([]);
      await svc.remove('app1', hook.id);
    });

    it('a failing receiver shows the failure at once; a test event is tried once, and redelivery sends it again', async () => {
      const hook = await svc.create('app1', { url: rx.url, type: 'eventBased' });
      rx.mode = 'error';
      rx.received.length = 0;
      const d = await svc.sendTest('app1', hook.id);
      expect(d).toMatchObject({ test: true, status: 'dead', attempts: 1, lastStatus: 500, lastError: 'HTTP 500' });
      expect(d.log.map((l) => [l.responseStatus, l.responseBody])).toEqual([[500, 'down']]);
      clock.advance(3_600_000);
      expect(await svc.deliverer.runUntilIdle(5)).toBe(0);
      expect(rx.received).toHaveLength(1);
      rx.mode = 'ok';
      await svc.redeliver('app1', d.id);
      expect(await svc.deliverer.runUntilIdle(5)).toBe(1);
      expect(await svc.delivery('app1', d.id)).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 204, test: true });
      expect(rx.received.map((r) => r.raw)).toEqual([rx.received[0]!.raw, rx.received[0]!.raw]);
      await svc.remove('app1', hook.id);
    });

    it('an unreachable receiver gives the error, not a status', async () => {
      const hook = await svc.create('app1', { url: rx.url, type: 'eventBased' });
      await rx.stop();
      try {
        const d = await svc.sendTest('app1', hook.id);
        expect(d).toMatchObject({ status: 'dead', lastStatus: null, lastError: 'ECONNREFUSED' });
        expect(d.log[0]).toMatchObject({ responseStatus: null, error: 'ECONNREFUSED' });
      } finally { await rx.start(); }
      await svc.remove('app1', hook.id);
    });

    it('does not take a place in any vehicle\'s queue: the next event of the vehicle keeps its number and is not held up', async () => {
      const hook = await svc.create('app1', { url: rx.url, type: 'eventBased' });
      await svc.subscribe('app1', hook.id, 'v1');
      rx.mode = 'hang';
      const test = await svc.sendTest('app1', hook.id);
      rx.mode = 'ok';
      expect(test).toMatchObject({ status: 'dead', lastError: 'timed out after 300 ms' });
      const row = await svc.repo.getDelivery(test.id);
      expect(row).toMatchObject({ order_key: `test:${test.id}`, seq: 1 });
      await emit(storage, svc, [event('v1', clock.now())]);
      const [real] = (await svc.repo.listDeliveries(hook.id)).filter((x) => x.test === 0);
      expect(real).toMatchObject({ order_key: 'v1', seq: 1, test: 0 });
      expect(await svc.deliverer.runUntilIdle(5)).toBe(1);
      expect((await svc.repo.getDelivery(real!.id))?.status).toBe('delivered');
      await svc.remove('app1', hook.id);
    });

    it('the same form token sends one event however often it is submitted, also at the same time', async () => {
      const hook = await svc.create('app1', { url: rx.url, type: 'eventBased' });
      rx.received.length = 0;
      const [a, b] = await Promise.all([svc.sendTest('app1', hook.id, 'form-1'), svc.sendTest('app1', hook.id, 'form-1')]);
      const c = await svc.sendTest('app1', hook.id, 'form-1');
      expect(new Set([a.id, b.id, c.id]).size).toBe(1);
      expect([a.status, b.status, c.status]).toEqual(['delivered', 'delivered', 'delivered']);
      expect(rx.received).toHaveLength(1);
      expect((await svc.sendTest('app1', hook.id, 'form-2')).id).not.toBe(a.id);
      expect(rx.received).toHaveLength(2);
      await svc.remove('app1', hook.id);
    });

    it('refuses unverified webhooks and webhooks of another app, sending nothing', async () => {
      rx.failWhen = (r) => (r.body.eventName === 'verify' ? 403 : undefined);
      const hook = await svc.create('app1', { url: rx.url, type: 'eventBased' });
      rx.failWhen = undefined;
      rx.received.length = 0;
      const refusal = async (appId: string) => svc.sendTest(appId, hook.id).then(() => null, (e: unknown) => (isApiError(e) ? `${e.type}:${e.code}` : String(e)));
      expect(await refusal('app1')).toBe('VALIDATION:PARAMETER');
      expect(await refusal('other-app')).toBe('RESOURCE_NOT_FOUND:PATH');
      expect(rx.received).toHaveLength(0);
      expect(await svc.repo.listDeliveries(hook.id)).toEqual([]);
      await svc.remove('app1', hook.id);
    });
  });
}
