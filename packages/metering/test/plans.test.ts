import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, ManualClock } from '@opencar/core';
import { AccountsRepo, type Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';
import { MeteringService, UsageService, type AdmitInput } from '../src/index.js';
import { entry, seedApp, silent } from './fixtures.js';

async function outcome(p: Promise<unknown>): Promise<string> {
  try { await p; } catch (err) { if (err instanceof ApiError) return err.key; throw err; }
  return 'admitted';
}

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`plans, month rollover and statements [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    const clock = new ManualClock(Date.UTC(2026, 0, 20, 12));
    let m: MeteringService;
    let usage: UsageService;
    const read = (appId: string, vehicleId = 'v1', extra: Partial<AdmitInput> = {}) => m.admit({ appId, vehicleId, endpoint: 'GET /v2.0/vehicles/:id/odometer', units: 1, ...extra });
    /** Admit then record one successful billable request, like the API pipeline does. */
    const call = async (appId: string, vehicleId = 'v1', units = 1) => {
      await m.admit({ appId, vehicleId, endpoint: 'GET /v2.0/vehicles/:id/odometer', units });
      await m.record(entry({ appId, vehicleId, at: clock.now(), units }));
    };
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      m = new MeteringService(storage, clock, silent);
      usage = new UsageService(storage, clock, silent);
    });
    afterAll(async () => { await m?.close(); await dispose?.(); });

    it('Free: the 101st billable request of the month is refused with BILLING:VEHICLE_REQUEST_LIMIT; free endpoints still pass', async () => {
      await seedApp(storage, 'free1', 'free', { appBucket: { capacity: 1000, refillPerMinute: 1000 }, vehicleBucket: null });
      for (let i = 0; i < 100; i++) await call('free1');
      expect(await outcome(read('free1'))).toBe('BILLING:VEHICLE_REQUEST_LIMIT');
      expect(await outcome(m.admit({ appId: 'free1', endpoint: 'GET /v2.0/vehicles', units: 0 }))).toBe('admitted');
    });

    it('the month rolls over on the virtual clock and the counts start again', async () => {
      clock.set(Date.UTC(2026, 1, 1, 0, 0, 1));
      expect(await outcome(read('free1'))).toBe('admitted');
      expect((await usage.usage('free1')).billableRequests).toBe(0);
      expect((await usage.usage('free1', '2026-01')).billableRequests).toBe(100);
    });

    it('Free: a 6th vehicle in the month gets BILLING:VEHICLE_LIMIT, the first five keep working', async () => {
      await seedApp(storage, 'free2', 'free', { vehicleBucket: null });
      for (const v of ['a', 'b', 'c', 'd', 'e']) await call('free2', v);
      expect(await outcome(read('free2', 'f'))).toBe('BILLING:VEHICLE_LIMIT');
      expect(await outcome(read('free2', 'c'))).toBe('admitted');
      await expect(m.assertVehicleCapacity('free2', 5, 1)).rejects.toMatchObject({ key: 'BILLING:VEHICLE_LIMIT' });
      await expect(m.assertVehicleCapacity('free2', 4, 1)).resolves.toBeUndefined();
    });

    it('plan-gated features give BILLING:INVALID_PLAN on Free and pass on Pay-as-you-go', async () => {
      await seedApp(storage, 'payg1', 'payg');
      for (const feature of ['batch', 'compatibility', 'event_webhooks'] as const) {
        expect(await outcome(read('free2', 'a', { feature }))).toBe('BILLING:INVALID_PLAN');
      }
      expect(await outcome(read('payg1', 'a', { feature: 'batch', units: 3 }))).toBe('admitted');
    });

    it('a suspended account gets BILLING:ACCOUNT_SUSPENDED (after the plan cache expires)', async () => {
      await seedApp(storage, 'susp', 'payg');
      expect(await outcome(read('susp'))).toBe('admitted');
      await new AccountsRepo(storage.db).updateDeveloper('dev-susp', { status: 'suspended' });
      m.invalidatePlans('susp');
      expect(await outcome(read('susp'))).toBe('BILLING:ACCOUNT_SUSPENDED');
    });

    it('Enterprise limits come from plan_limits, e.g. a per-vehicle monthly quota', async () => {
      await seedApp(storage, 'ent', 'enterprise', { vehicleRequestsPerMonth: 3, vehicles: 2 });
      for (let i = 0; i < 3; i++) await call('ent', 'x');
      expect(await outcome(read('ent', 'x'))).toBe('BILLING:VEHICLE_REQUEST_LIMIT');
      expect(await outcome(read('ent', 'y'))).toBe('admitted');
      expect(await outcome(read('ent', 'x', { units: 0 }))).toBe('admitted');
    });

    it('a closed month has a statement that matches the ledger; usage is queryable per endpoint', async () => {
      clock.set(Date.UTC(2026, 1, 10));
      await seedApp(storage, 'payg2', 'payg', { vehicleBucket: null });
      for (let i = 0; i < 7; i++) await call('payg2', `car${i % 3}`);
      await call('payg2', 'car0', 4); // a batch of four
      await m.record(entry({ appId: 'payg2', at: clock.now(), status: 502, units: 1 })); // never billed
      await m.record(entry({ appId: 'payg2', at: clock.now(), endpoint: 'GET /v2.0/vehicles', vehicleId: null, units: 0 }));
      const live = await usage.usage('payg2');
      expect(live).toMatchObject({ month: '2026-02', plan: 'payg', requests: 10, billableRequests: 11, vehicles: 3, amountDueCents: 165, amountDue: '$1.65', final: false });
      expect(await usage.statements('payg2')).toEqual([]);
      expect(await usage.usageByDay('payg2')).toEqual([{ day: Date.UTC(2026, 1, 10), requests: 10, billableRequests: 11 }]);

      clock.set(Date.UTC(2026, 2, 1, 0, 5));
      await usage.closeFinishedMonths();
      await usage.closeFinishedMonths();
      const [st] = await usage.statements('payg2');
      const ledger = await m.repo.ledgerForMonth('payg2', '2026-02');
      const billable = ledger.reduce((s, r) => s + r.units, 0);
      expect(st).toMatchObject({ month: '2026-02', plan: 'payg', requests: ledger.length, billableRequests: billable, amountDueCents: billable * 15, vehicles: 3 });
      expect(st!.byEndpoint).toEqual({ 'GET /v2.0/vehicles': 0, 'GET /v2.0/vehicles/:id/odometer': billable });
      expect((await usage.usage('payg2', '2026-02')).final).toBe(true);
      expect((await usage.usageByDay('payg2', '2026-02')).reduce((n, d) => n + d.billableRequests, 0)).toBe(st!.billableRequests);
      expect((await usage.statements('free1')).map((s) => s.month)).toEqual(['2026-01']); // no usage in February: no statement
    });
  });
  if (!engine.url) it.skip(`plans on ${engine.name}: skipped, TEST_DATABASE_URL is not set`, () => {});
}
