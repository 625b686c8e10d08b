import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@opencar/core';
import type { Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';
import type { WebhookService } from '../src/index.js';
import { connect, emit, event, seedApp, service } from './fixtures.js';
import { Receiver } from './receiver.js';

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`webhooks: verify, signed delivery, outage, dead letter [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    const clock = new ManualClock(Date.UTC(2026, 4, 1));
    let svc: WebhookService;
    let amt: string;
    let rx: Receiver;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      amt = await seedApp(storage, 'app1');
      for (const v of ['v1', 'v2', 'v5', 'v9', 'slow', 'fast']) await connect(storage, 'app1', v);
      svc = service(storage, clock);
      rx = new Receiver(amt);
      await rx.start();
    });
    afterAll(async () => { await svc?.close(); await rx?.stop(); await dispose?.(); });

    it('verifies the receiver with the challenge handshake (answered by the SDK hashChallenge)', async () => {
      const hook = await svc.create('app1', { url: rx.url, type: 'eventBased' });
      expect(hook.verification).toEqual({ verified: true, status: 'active' });
      expect(hook.status).toBe('active');
      const verify = rx.received.at(-1)!;
      expect(verify.verified).toBe(true);
      expect(verify.body).toMatchObject({ version: '2.0', webhookId: hook.id, eventName: 'verify' });
      await svc.remove('app1', hook.id);
    });

    it('leaves a webhook unverified when the answer is wrong', async () => {
      rx.failWhen = (r) => (r.body.eventName === 'verify' ? 403 : undefined);
      const hook = await svc.create('app1', { url: rx.url, type: 'eventBased' });
      rx.failWhen = undefined;
      expect(hook.verification).toEqual({ verified: false, status: 'unverified', error: 'HTTP 403' });
      expect(await svc.subscribe('app1', hook.id, 'v9')).toBe(true);
      await emit(storage, svc, [event('v9', clock.now())]);
      expect(await svc.repo.listDeliveries(hook.id)).toHaveLength(0);
      expect((await svc.verify('app1', hook.id)).verified).toBe(true);
      await svc.remove('app1', hook.id);
    });

    it('keeps every event through an outage (refusing, then timing out), in per-vehicle order, duplicates only with the same id', async () => {
      rx.received.length = 0;
      const hook = await svc.create('app1', { url: rx.url, type: 'eventBased' });
      for (const v of ['v1', 'v2']) expect(await svc.subscribe('app1', hook.id, v)).toBe(true);
      const produced: { v: string; id: string }[] = [];
      const produce = async (count: number) => {
        for (let i = 0; i < count; i++) {
          const batch = [event('v1', clock.now()), event('v2', clock.now(), 'CHARGING_STOPPED')];
          await emit(storage, svc, batch);
          produced.push(...batch.map((e) => ({ v: e.vehicleId, id: e.eventId })));
          clock.advance(1000);
        }
      };

      await rx.stop(); // refusing connections
      await produce(3);
      expect(await svc.deliverer.runUntilIdle()).toBe(2); // only each vehicle's head is tried
      clock.advance(60_000);
      await produce(2);
      await svc.deliverer.runUntilIdle();

      await rx.start(); // back on the same port, but hanging past the timeout
      rx.mode = 'hang';
      clock.advance(10 * 60_000);
      await produce(2);
      expect(await svc.deliverer.runUntilIdle()).toBe(2);
      expect(rx.events()).toHaveLength(2); // received but never acknowledged: will come again

      rx.mode = 'ok';
      for (let i = 0; i < 50; i++) {
        clock.advance(30 * 60_000);
        await svc.deliverer.runUntilIdle();
        const pending = await svc.repo.countByStatus();
        if (!pending.pending) break;
      }
      expect(await svc.repo.countByStatus()).toEqual({ delivered: produced.length });
      expect(rx.received.every((r) => r.verified)).toBe(true);
      const got = rx.events();
      for (const v of ['v1', 'v2']) {
        const firstSeen = [...new Set(got.filter((g) => g.vehicleId === v).map((g) => g.eventId))];
        expect(firstSeen).toEqual(produced.filter((p) => p.v === v).map((p) => p.id));
      }
      // Duplicates exist (the hung attempts) and carry the same delivery id as the original.
      expect(got.length).toBeGreaterThan(produced.length);
      const idByEvent = new Map<string, string | undefined>();
      for (const g of got) {
        if (idByEvent.has(g.eventId)) expect(g.deliveryId).toBe(idByEvent.get(g.eventId));
        idByEvent.set(g.eventId, g.deliveryId);
      }
      const [latest] = await svc.deliveries('app1', hook.id, 1);
      expect(latest!.status).toBe('delivered');
      const detail = await svc.delivery('app1', (await svc.repo.listDeliveries(hook.id, 100)).at(-1)!.id);
      expect(detail.log.length).toBeGreaterThanOrEqual(3);
      expect(detail.log[0]!.error).toMatch(/ECONNREFUSED|UND_ERR_SOCKET/); // refused, or the pooled socket the receiver dropped
      expect(detail.log.some((a) => a.error?.startsWith('timed out'))).toBe(true);
      expect(detail.log.at(-1)!.responseStatus).toBe(204);
      await svc.remove('app1', hook.id);
    });

    it('a failing vehicle does not hold up another vehicle', async () => {
      rx.received.length = 0;
      const hook = await svc.create('app1', { url: rx.url, type: 'eventBased', events: ['CHARGING_COMPLETED'] });
      await svc.subscribe('app1', hook.id, 'slow');
      await svc.subscribe('app1', hook.id, 'fast');
      rx.failWhen = (r) => (r.body.payload.vehicleId === 'slow' ? 503 : undefined);
      await emit(storage, svc, [event('slow', clock.now(), 'CHARGING_COMPLETED'), event('fast', clock.now(), 'CHARGING_COMPLETED'), event('fast', clock.now(), 'CHARGING_COMPLETED'), event('fast', clock.now(), 'CHARGING_STARTED')]);
      await svc.deliverer.runUntilIdle();
      expect(rx.events().filter((e) => e.vehicleId === 'fast')).toHaveLength(2); // CHARGING_STARTED is not subscribed
      rx.failWhen = undefined;
      await svc.remove('app1', hook.id);
    });

    it('dead-letters after the retry window and delivers again on manual redelivery', async () => {
      const short = service(storage, clock, { retry: { baseMs: 1000, maxMs: 60_000, windowMs: 10 * 60_000, jitter: 0.2 } });
      const hook = await short.create('app1', { url: rx.url, type: 'eventBased' });
      await short.subscribe('app1', hook.id, 'v5');
      rx.mode = 'error';
      await emit(storage, short, [event('v5', clock.now())]);
      for (let i = 0; i < 100; i++) {
        await short.deliverer.runUntilIdle();
        const [d] = await short.deliveries('app1', hook.id);
        if (d!.status === 'dead') break;
        clock.advance(61_000);
      }
      const [dead] = await short.deliveries('app1', hook.id);
      expect(dead!.status).toBe('dead');
      expect(dead!.attempts).toBeGreaterThan(5);
      rx.mode = 'ok';
      rx.received.length = 0;
      expect((await short.redeliver('app1', dead!.id)).status).toBe('pending');
      await short.deliverer.runUntilIdle();
      const [again] = await short.deliveries('app1', hook.id);
      expect(again).toMatchObject({ id: dead!.id, status: 'delivered' });
      expect(rx.received[0]!.deliveryId).toBe(dead!.id);
      await short.close();
    });
  });
  if (!engine.url) it.skip(`webhooks on ${engine.name}: skipped, TEST_DATABASE_URL is not set`, () => {});
}
