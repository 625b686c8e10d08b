import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, ManualClock } from '@opencar/core';
import type { Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';
import { MeteringService } from '../src/index.js';
import { entry, seedApp, silent } from './fixtures.js';

async function rejection(p: Promise<unknown>): Promise<string> {
  try { await p; } catch (err) { if (err instanceof ApiError) return err.key; throw err; }
  return 'admitted';
}

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`metering: ledger, plans and rate limits [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    const clock = new ManualClock(Date.UTC(2026, 2, 10));
    let m: MeteringService;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      m = new MeteringService(storage, clock, silent);
    });
    afterAll(async () => { await m?.close(); await dispose?.(); });

    it('record resolves only once the entry is in the database, counted once', async () => {
      await seedApp(storage, 'led', 'enterprise');
      const entries = Array.from({ length: 50 }, () => entry({ appId: 'led', at: clock.now() }));
      await Promise.all(entries.map((e) => m.record(e)));
      for (const e of entries) expect(await m.repo.hasLedgerEntry(e.requestId, { appId: 'led', month: '2026-03' })).toBe(true);
      // PostgreSQL keeps insert-or-ignore on the request id (a commit outcome can be ambiguous
      // there); on SQLite each request records once and batches commit exactly once.
      if (engine.name === 'postgres') await m.record(entries[0]!);
      expect(await m.repo.counter('led', '2026-03', '')).toBe(50);
      const rows = await m.repo.ledgerForMonth('led', '2026-03');
      expect(rows).toHaveLength(50);
      expect(rows[0]).toMatchObject({ app_id: 'led', endpoint: 'GET /v2.0/vehicles/:id/odometer', status: 200, units: 1, woke: 0, request_class: 'data' });
    });

    it.skipIf(engine.name === 'sqlite')('a large batch with replays mixed in (several insert chunks) counts each request once, in the database and in admission', async () => {
      await seedApp(storage, 'mix', 'enterprise', { vehicleRequestsPerMonth: 300 });
      const first = Array.from({ length: 100 }, () => entry({ appId: 'mix', at: clock.now(), vehicleId: 'car' }));
      await Promise.all(first.map((e) => m.record(e)));
      const fresh = Array.from({ length: 150 }, () => entry({ appId: 'mix', at: clock.now(), vehicleId: 'car' }));
      // 300 writes in one group commit: every old entry replayed, interleaved with new ones.
      await Promise.all([...fresh.flatMap((e, i) => (i < 100 ? [m.record(first[i]!), m.record(e)] : [m.record(e)])), ...first.slice(0, 50).map((e) => m.record(e))]);
      expect(await m.repo.counter('mix', '2026-03', '')).toBe(250);
      expect(await m.repo.counter('mix', '2026-03', 'car')).toBe(250);
      expect(await m.repo.ledgerForMonth('mix', '2026-03')).toHaveLength(250);
      // 50 more billable requests fit under the per-vehicle quota of 300, the 51st does not.
      for (let i = 0; i < 50; i++) {
        await m.admit({ appId: 'mix', vehicleId: 'car', endpoint: 'GET /v2.0/vehicles/:id/odometer', units: 1 });
        await m.record(entry({ appId: 'mix', at: clock.now(), vehicleId: 'car' }));
      }
      expect(await rejection(m.admit({ appId: 'mix', vehicleId: 'car', endpoint: 'GET /v2.0/vehicles/:id/odometer', units: 1 }))).toBe('BILLING:VEHICLE_REQUEST_LIMIT');
    });

    it('never bills failed requests', async () => {
      await seedApp(storage, 'fail', 'enterprise');
      await m.record(entry({ appId: 'fail', at: clock.now(), status: 503, units: 1 }));
      await m.record(entry({ appId: 'fail', at: clock.now(), status: 409, units: 1 }));
      expect(await m.repo.counter('fail', '2026-03', '')).toBe(0);
      expect(await m.repo.ledgerForMonth('fail', '2026-03')).toHaveLength(2);
    });

    it('answers with ratelimit headers and refuses the 121st request with RATE_LIMIT:SMARTCAR_API until a token refills', async () => {
      await seedApp(storage, 'bucket', 'payg', { vehicleBucket: null, requestsPerMonth: null });
      const h = await m.admit({ appId: 'bucket', endpoint: 'GET /v2.0/vehicles', units: 0 });
      expect(h).toEqual({ 'ratelimit-limit': '120', 'ratelimit-remaining': '119', 'ratelimit-reset': '30' });
      for (let i = 0; i < 119; i++) await m.admit({ appId: 'bucket', endpoint: 'GET /v2.0/vehicles', units: 0 });
      expect(await rejection(m.admit({ appId: 'bucket', endpoint: 'GET /v2.0/vehicles', units: 0 }))).toBe('RATE_LIMIT:SMARTCAR_API');
      clock.advance(30_000); // 2 per minute: one token after 30 s
      expect(await rejection(m.admit({ appId: 'bucket', endpoint: 'GET /v2.0/vehicles', units: 0 }))).toBe('admitted');
      expect(await rejection(m.admit({ appId: 'bucket', endpoint: 'GET /v2.0/vehicles', units: 0 }))).toBe('RATE_LIMIT:SMARTCAR_API');
    });

    it('throttles one vehicle with RATE_LIMIT:VEHICLE and a retry-after', async () => {
      await seedApp(storage, 'veh', 'payg', { vehicleBucket: { capacity: 2, refillPerMinute: 0.5 } });
      const admit = () => m.admit({ appId: 'veh', vehicleId: 'car', endpoint: 'GET /v2.0/vehicles/:id/odometer', units: 1 });
      await admit();
      await admit();
      const err = await admit().catch((e: unknown) => e as ApiError);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).key).toBe('RATE_LIMIT:VEHICLE');
      expect((err as ApiError).retryAfter).toBe(120);
      expect(await rejection(m.admit({ appId: 'veh', vehicleId: 'other', endpoint: 'GET /v2.0/vehicles/:id/odometer', units: 1 }))).toBe('admitted');
    });
  });
  if (!engine.url) it.skip(`metering on ${engine.name}: skipped, TEST_DATABASE_URL is not set`, () => {});
}
