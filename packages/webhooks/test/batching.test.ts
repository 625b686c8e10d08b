import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@opencar/core';
import type { VehicleEvent } from '@opencar/connectors';
import type { Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';
import { Deliverer, type WebhookService } from '../src/index.js';
import { connect, emit, event, seedApp, service, silent } from './fixtures.js';
import { Receiver } from './receiver.js';

const VEHICLES = ['ba', 'bb', 'bc', 'bd'];

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`webhooks: batched outbox writes, claims and completions [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    const clock = new ManualClock(Date.UTC(2026, 6, 1));
    let svc: WebhookService;
    let rx: Receiver;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      const amt = await seedApp(storage, 'app1');
      for (const v of VEHICLES) await connect(storage, 'app1', v);
      svc = service(storage, clock, { retry: { baseMs: 1000, maxMs: 1000, windowMs: 24 * 3600_000, jitter: 0 } });
      rx = new Receiver(amt);
      await rx.start();
    });
    afterAll(async () => { await svc?.close(); await rx?.stop(); await dispose?.(); });

    const newHook = async () => {
      const hook = await svc.create('app1', { url: rx.url, type: 'eventBased' });
      for (const v of VEHICLES) await svc.subscribe('app1', hook.id, v);
      return hook;
    };
    /** Event ids each vehicle's receiver saw first, in arrival order. */
    const seenBy = (v: string) => [...new Set(rx.events().filter((e) => e.vehicleId === v).map((e) => e.eventId))];
    const idsOf = (events: VehicleEvent[], v: string) => events.filter((e) => e.vehicleId === v).map((e) => e.eventId);

    it('writes one call of many events in one transaction: every (event, webhook) once, numbered per vehicle in event order', async () => {
      const hook = await newHook();
      // More events than one IN list or one multi-row INSERT holds, with an event repeated in the same call.
      const events = Array.from({ length: 1203 }, (_, i) => event(VEHICLES[i % 3]!, clock.now() + i));
      await emit(storage, svc, [...events.slice(0, 700), events[5]!, ...events.slice(700)]);
      const rows = await svc.repo.listDeliveries(hook.id, 5000);
      expect(rows).toHaveLength(events.length);
      for (const v of VEHICLES.slice(0, 3)) {
        const queue = rows.filter((r) => r.order_key === v).sort((a, b) => Number(a.seq) - Number(b.seq));
        expect(queue.map((r) => Number(r.seq))).toEqual(queue.map((_, i) => i + 1));
        expect(queue.map((r) => (JSON.parse(r.body) as { payload: { eventId: string } }).payload.eventId)).toEqual(idsOf(events, v));
      }
      // A later call goes on numbering each queue, and an event queued before is not queued again.
      const more = [event('ba', clock.now()), events[0]!, event('ba', clock.now())];
      await emit(storage, svc, more);
      const ba = (await svc.repo.listDeliveries(hook.id, 5000)).filter((r) => r.order_key === 'ba').map((r) => Number(r.seq)).sort((a, b) => a - b);
      expect(ba).toEqual(Array.from({ length: 401 + 2 }, (_, i) => i + 1));
      await svc.remove('app1', hook.id);
    });

    it('a round with a failing receiver records every outcome: the others are delivered, the failing vehicle waits, then goes on in order', async () => {
      rx.received.length = 0;
      const hook = await newHook();
      const events = Array.from({ length: 12 }, (_, i) => event(VEHICLES[i % 3]!, clock.now() + i));
      await emit(storage, svc, events);
      rx.failWhen = (r) => (r.body.payload.vehicleId === 'bb' ? 500 : undefined);
      expect(await svc.deliverer.round()).toBe(3); // the three heads, in one batch
      await svc.deliverer.runUntilIdle();
      const rows = await svc.repo.listDeliveries(hook.id);
      expect(rows.filter((r) => r.order_key !== 'bb').every((r) => r.status === 'delivered')).toBe(true);
      const bb = rows.filter((r) => r.order_key === 'bb').sort((a, b) => Number(a.seq) - Number(b.seq));
      expect(bb.map((r) => [r.status, r.attempts, r.last_status])).toEqual([['pending', 1, 500], ['pending', 0, null], ['pending', 0, null], ['pending', 0, null]]);
      const head = await svc.delivery('app1', bb[0]!.id);
      expect(head.log.map((a) => [a.attempt, a.responseStatus, a.error])).toEqual([[1, 500, 'HTTP 500']]);
      for (const v of ['ba', 'bc']) expect(seenBy(v)).toEqual(idsOf(events, v));
      expect(seenBy('bb')).toEqual(idsOf(events, 'bb').slice(0, 1));

      rx.failWhen = undefined;
      clock.advance(1000);
      await svc.deliverer.runUntilIdle();
      expect(await svc.repo.listDeliveries(hook.id).then((r) => r.every((d) => d.status === 'delivered'))).toBe(true);
      expect(seenBy('bb')).toEqual(idsOf(events, 'bb'));
      expect(rx.received.every((r) => r.verified)).toBe(true);
      await svc.remove('app1', hook.id);
    });

    it('a crash between claim and completion: the leased heads wait for the lease to expire, then everything goes out once more, in order', async () => {
      rx.received.length = 0;
      const hook = await newHook();
      const events = Array.from({ length: 8 }, (_, i) => event(VEHICLES[i % 4]!, clock.now() + i));
      await emit(storage, svc, events);
      // Another process leased the heads and died before recording anything.
      const leaseMs = 5000;
      const lost = await svc.repo.claimDue('crashed-process', clock.now(), leaseMs, 64);
      expect(lost.map((d) => d.order_key).sort()).toEqual([...VEHICLES].sort());
      expect(await svc.deliverer.runUntilIdle()).toBe(0); // heads leased, the rest behind them
      expect(rx.events()).toHaveLength(0);

      clock.advance(leaseMs);
      await svc.deliverer.runUntilIdle();
      const rows = await svc.repo.listDeliveries(hook.id);
      expect(rows.every((r) => r.status === 'delivered' && r.attempts === 1 && r.lease_owner === null)).toBe(true);
      for (const v of VEHICLES) expect(seenBy(v)).toEqual(idsOf(events, v));

      // The dead process's late completion changes nothing: it no longer holds the lease.
      const d = lost[0]!;
      await svc.repo.finishAttempts('crashed-process', [{
        attempt: { id: 'late-attempt', delivery_id: d.id, webhook_id: d.webhook_id, attempt: 1, at: clock.now(), duration_ms: 1, response_status: null, response_body: null, error: 'late' },
        outcome: { status: 'pending', nextAttemptAt: clock.now() + 60_000, error: 'late' },
      }]);
      expect(await svc.repo.getDelivery(d.id)).toMatchObject({ status: 'delivered', attempts: 1, last_error: null });
      await svc.remove('app1', hook.id);
    });

    it('keeps per-vehicle order across many small rounds and across outbox batches of any size', async () => {
      rx.received.length = 0;
      const hook = await newHook();
      const small = new Deliverer(storage, svc.keys, clock, silent, { batch: 2, timeoutMs: 300, targets: { allowPrivate: true } });
      const events = Array.from({ length: 40 }, (_, i) => event(VEHICLES[(i * 7) % 4]!, clock.now() + i));
      // Written in calls of 1, 7, 12 and the rest, some of them while deliveries are under way.
      await emit(storage, svc, events.slice(0, 1));
      await emit(storage, svc, events.slice(1, 8));
      const rounds: number[] = [];
      rounds.push(await small.round());
      await emit(storage, svc, events.slice(8, 20));
      rounds.push(await small.round(), await small.round());
      await emit(storage, svc, events.slice(20));
      for (let i = 0; i < 200; i++) {
        const n = await small.round();
        if (n === 0) break;
        rounds.push(n);
      }
      await small.stop();
      expect(Math.max(...rounds)).toBeLessThanOrEqual(2);
      expect(rounds.reduce((a, b) => a + b, 0)).toBe(events.length);
      for (const v of VEHICLES) expect(seenBy(v)).toEqual(idsOf(events, v));
      expect(rx.events()).toHaveLength(events.length); // nothing twice
      await svc.remove('app1', hook.id);
    });
  });
  if (!engine.url) it.skip(`webhook batching on ${engine.name}: skipped, TEST_DATABASE_URL is not set`, () => {});
}
