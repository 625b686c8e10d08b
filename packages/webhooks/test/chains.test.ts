import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@opencar/core';
import type { VehicleEvent } from '@opencar/connectors';
import type { Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';
import { Deliverer, type WebhookService } from '../src/index.js';
import { connect, emit, event, seedApp, service, silent } from './fixtures.js';
import { Receiver } from './receiver.js';

const VEHICLES = ['ca', 'cb', 'cc'];

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`webhooks: chains of in-order deliveries per vehicle in one round [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    const clock = new ManualClock(Date.UTC(2026, 6, 1));
    let svc: WebhookService;
    let rx: Receiver;
    const deliverers: Deliverer[] = [];
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      const amt = await seedApp(storage, 'app1');
      for (const v of VEHICLES) await connect(storage, 'app1', v);
      svc = service(storage, clock, { retry: { baseMs: 1000, maxMs: 1000, windowMs: 24 * 3600_000, jitter: 0 } });
      rx = new Receiver(amt);
      await rx.start();
    });
    afterAll(async () => { for (const d of deliverers) await d.stop(); await svc?.close(); await rx?.stop(); await dispose?.(); });

    const deliverer = (opts: { batch?: number; chain?: number; connections?: number } = {}) => {
      const d = new Deliverer(storage, svc.keys, clock, silent, { timeoutMs: 300, retry: { baseMs: 1000, maxMs: 1000, windowMs: 24 * 3600_000, jitter: 0 }, targets: { allowPrivate: true }, ...opts });
      deliverers.push(d);
      return d;
    };
    const newHook = async () => {
      rx.received.length = 0;
      rx.failWhen = undefined;
      const hook = await svc.create('app1', { url: rx.url, type: 'eventBased' });
      for (const v of VEHICLES) await svc.subscribe('app1', hook.id, v);
      rx.received.length = 0;
      return hook;
    };
    const seenBy = (v: string) => rx.events().filter((e) => e.vehicleId === v).map((e) => e.eventId);
    const idsOf = (events: VehicleEvent[], v: string) => events.filter((e) => e.vehicleId === v).map((e) => e.eventId);
    const queue = async (hookId: string, v: string) => (await svc.repo.listDeliveries(hookId, 1000)).filter((r) => r.order_key === v).sort((a, b) => Number(a.seq) - Number(b.seq));

    it('first round: each vehicle\'s head; then each vehicle whose head went through sends the rest of its queue in order, in one round', async () => {
      const hook = await newHook();
      const events = Array.from({ length: 30 }, (_, i) => event(VEHICLES[i % 3]!, clock.now() + i));
      await emit(storage, svc, events);
      const d = deliverer();
      expect(await d.round()).toBe(3);
      expect(await d.round()).toBe(27);
      expect(await d.round()).toBe(0);
      for (const v of VEHICLES) expect(seenBy(v)).toEqual(idsOf(events, v)); // in order, each once
      expect(rx.received.every((r) => r.verified)).toBe(true);
      expect((await svc.repo.listDeliveries(hook.id, 1000)).every((r) => r.status === 'delivered' && r.attempts === 1 && r.lease_owner === null)).toBe(true);
      await svc.remove('app1', hook.id);
    });

    it('a failure ends the chain: the rest of that vehicle\'s queue is given back unattempted and still due, goes out after the retry, head first, in order', async () => {
      const hook = await newHook();
      const events = Array.from({ length: 18 }, (_, i) => event(VEHICLES[i % 3]!, clock.now() + i));
      await emit(storage, svc, events);
      const failing = idsOf(events, 'cb')[2]!; // cb's third event
      rx.failWhen = (r) => (r.body.payload.eventId === failing ? 503 : undefined);
      const d = deliverer();
      expect(await d.round()).toBe(3);
      expect(await d.round()).toBe(5 + 5 + 2); // ca and cc: the rest; cb: its second, then the failing third
      const cb = await queue(hook.id, 'cb');
      const created = Number(cb[3]!.next_attempt_at);
      expect(cb.map((r) => [r.status, r.attempts, r.last_status, r.lease_owner])).toEqual([
        ['delivered', 1, 204, null], ['delivered', 1, 204, null], ['pending', 1, 503, null], ['pending', 0, null, null], ['pending', 0, null, null], ['pending', 0, null, null],
      ]);
      expect(cb.slice(3).every((r) => Number(r.next_attempt_at) === created && Number(r.created_at) === created)).toBe(true);
      expect(await d.round()).toBe(0); // the head waits for its retry; nothing behind it may pass
      rx.failWhen = undefined;
      clock.advance(1000);
      expect(await d.round()).toBe(1); // after a failure, the head alone first
      expect(await d.round()).toBe(3);
      for (const v of VEHICLES) expect([...new Set(seenBy(v))]).toEqual(idsOf(events, v));
      expect(seenBy('cb').filter((id) => id === failing)).toHaveLength(2);
      await svc.remove('app1', hook.id);
    });

    it('keeps to the chain length and to the deliveries per round', async () => {
      const hook = await newHook();
      const events = Array.from({ length: 24 }, (_, i) => event(VEHICLES[i % 3]!, clock.now() + i));
      await emit(storage, svc, events);
      const d = deliverer({ chain: 3, batch: 8 });
      const rounds: number[] = [];
      for (let i = 0; i < 50; i++) {
        const n = await d.round();
        if (n === 0) break;
        rounds.push(n);
      }
      expect(rounds[0]).toBe(3);
      expect(Math.max(...rounds)).toBe(8);
      expect(rounds.reduce((a, b) => a + b, 0)).toBe(events.length);
      for (const v of VEHICLES) expect(seenBy(v)).toEqual(idsOf(events, v));
      await svc.remove('app1', hook.id);
    });

    it('stops a chain before its lease could run out during the next attempt, and gives the rest back', async () => {
      const hook = await newHook();
      const events = Array.from({ length: 12 }, () => event('ca', clock.now()));
      await emit(storage, svc, events);
      // Lease: 2 × 300 ms + 5 s; each answer takes 200 ms of the (manual) clock.
      rx.failWhen = () => { clock.advance(200); return undefined; };
      const d = deliverer();
      expect(await d.round()).toBe(1);
      // Leased at t; an attempt may start while t + 5.6 s ≥ now + 300 ms + 5 s, i.e. now ≤ t + 300 ms.
      expect(await d.round()).toBe(2);
      expect((await queue(hook.id, 'ca')).map((r) => [r.status, r.lease_owner])).toEqual([
        ...Array.from({ length: 3 }, () => ['delivered', null]), ...Array.from({ length: 9 }, () => ['pending', null]),
      ]);
      rx.failWhen = undefined;
      for (let i = 0; i < 10 && (await d.round()) > 0;);
      expect(seenBy('ca')).toEqual(idsOf(events, 'ca'));
      await svc.remove('app1', hook.id);
    });

    it('runs chains under start(): two deliverers on one outbox deliver everything once, in order per vehicle', async () => {
      const hook = await newHook();
      const events = Array.from({ length: 120 }, (_, i) => event(VEHICLES[(i * 7) % 3]!, clock.now() + i));
      const a = deliverer({ chain: 8, batch: 16 });
      const b = deliverer({ chain: 8, batch: 16 });
      a.start();
      b.start();
      for (let i = 0; i < 120; i += 20) await emit(storage, svc, events.slice(i, i + 20));
      for (let i = 0; i < 300 && rx.events().length < events.length; i++) await new Promise((r) => setTimeout(r, 10));
      await a.stop();
      await b.stop();
      expect(await svc.repo.listDeliveries(hook.id, 1000).then((rows) => rows.every((r) => r.status === 'delivered'))).toBe(true);
      for (const v of VEHICLES) expect(seenBy(v)).toEqual(idsOf(events, v));
      await svc.remove('app1', hook.id);
    });
  });
  if (!engine.url) it.skip(`webhook chains on ${engine.name}: skipped, TEST_DATABASE_URL is not set`, () => {});
}
