import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, ManualClock } from '@opencar/core';
import { openStorage, type Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';
import { MeteringService, RESERVATION_TTL_MS, type AdmitInput } from '../src/index.js';
import { entry, seedApp, silent } from './fixtures.js';

async function outcome(p: Promise<unknown>): Promise<string> {
  try { await p; } catch (err) { if (err instanceof ApiError) return err.key; throw err; }
  return 'admitted';
}

const ODOMETER = 'GET /v2.0/vehicles/:id/odometer';

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`metering: admission reserves monthly quota until the request is recorded [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    const clock = new ManualClock(Date.UTC(2026, 4, 10));
    let m: MeteringService;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      m = new MeteringService(storage, clock, silent);
    });
    afterAll(async () => { await m?.close(); await dispose?.(); });

    /** A Free app (100 billable requests a month) with 99 already used. */
    async function freeAppAt99(appId: string): Promise<void> {
      await seedApp(storage, appId, 'free');
      await Promise.all(Array.from({ length: 99 }, () => m.record(entry({ appId, at: clock.now(), vehicleId: 'car' }))));
      expect(await m.repo.counter(appId, '2026-05', '')).toBe(99);
    }
    const admit = (appId: string, requestId: string, over: Partial<AdmitInput> = {}) =>
      outcome(m.admit({ appId, vehicleId: 'car', endpoint: ODOMETER, units: 1, requestId, ...over }));

    it('with 99 of 100 used, 20 concurrent admissions admit exactly one (cold and warm plan cache)', async () => {
      for (const appId of ['cold', 'warm']) {
        await freeAppAt99(appId);
        if (appId === 'warm') await m.admit({ appId, endpoint: 'GET /v2.0/vehicles', units: 0 });
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => admit(appId, `${appId}-${i}`)));
        expect(results.filter((r) => r === 'admitted')).toHaveLength(1);
        expect(results.filter((r) => r === 'BILLING:VEHICLE_REQUEST_LIMIT')).toHaveLength(19);
        // The admitted request succeeds: the quota is now spent for good.
        const winner = `${appId}-${results.indexOf('admitted')}`;
        await m.record(entry({ appId, at: clock.now(), vehicleId: 'car', requestId: winner }));
        expect(await m.repo.counter(appId, '2026-05', '')).toBe(100);
        expect(await admit(appId, `${appId}-after`)).toBe('BILLING:VEHICLE_REQUEST_LIMIT');
      }
    });

    it('a failed request releases its reservation when recorded', async () => {
      await freeAppAt99('failed');
      expect(await admit('failed', 'f-1')).toBe('admitted');
      expect(await admit('failed', 'f-2')).toBe('BILLING:VEHICLE_REQUEST_LIMIT');
      await m.record(entry({ appId: 'failed', at: clock.now(), vehicleId: 'car', requestId: 'f-1', status: 409 }));
      expect(await m.repo.counter('failed', '2026-05', '')).toBe(99);
      expect(await admit('failed', 'f-3')).toBe('admitted');
    });

    it('an admitted request that is never recorded holds its units for 5 minutes only', async () => {
      await freeAppAt99('aborted');
      expect(await admit('aborted', 'a-1')).toBe('admitted');
      clock.advance(5 * 60_000 - 1);
      expect(await admit('aborted', 'a-2')).toBe('BILLING:VEHICLE_REQUEST_LIMIT');
      clock.advance(1);
      expect(await admit('aborted', 'a-3')).toBe('admitted');
    });

    it('reserved vehicles count toward the active-vehicle cap', async () => {
      await seedApp(storage, 'fleet', 'free');
      // Free: 5 active vehicles a month. Five concurrent first requests on new vehicles fill it.
      const first = await Promise.all(Array.from({ length: 5 }, (_, i) => admit('fleet', `v-${i}`, { vehicleId: `car-${i}` })));
      expect(first.every((r) => r === 'admitted')).toBe(true);
      expect(await admit('fleet', 'v-6', { vehicleId: 'car-6' })).toBe('BILLING:VEHICLE_LIMIT');
    });
  });
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('metering: quota holds are shared by every process on PostgreSQL', () => {
  const url = process.env.TEST_DATABASE_URL!;
  const clock = new ManualClock(Date.UTC(2026, 4, 10));
  let dispose: () => Promise<void>;
  let storages: Storage[] = [];
  let services: MeteringService[] = [];
  beforeAll(async () => {
    const first = await openTestStorage({ name: 'postgres', url });
    dispose = first.dispose;
    // A second connection pool on the same schema stands in for a second server process.
    const second = await openStorage(url, { schema: first.storage.schema });
    storages = [first.storage, second];
    services = storages.map((s) => new MeteringService(s, clock, silent));
  });
  afterAll(async () => {
    for (const m of services) await m.close();
    await storages[1]?.close();
    await dispose?.();
  });

  it('two services at 99 of 100 admit exactly one of 20 concurrent requests, and the hold ends with the ledger commit', async () => {
    const [a, b] = services as [MeteringService, MeteringService];
    await seedApp(storages[0]!, 'shared', 'free');
    await Promise.all(Array.from({ length: 99 }, () => a.record(entry({ appId: 'shared', at: clock.now(), vehicleId: 'car' }))));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      outcome((i % 2 ? a : b).admit({ appId: 'shared', vehicleId: 'car', endpoint: ODOMETER, units: 1, requestId: `s-${i}` }))));
    expect(results.filter((r) => r === 'admitted')).toHaveLength(1);
    const winner = results.indexOf('admitted');
    const { count } = await storages[0]!.db.selectFrom('quota_holds').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    expect(Number(count)).toBe(1);
    // The winner's process records it: counted and no longer held, in one commit.
    await (winner % 2 ? a : b).record(entry({ appId: 'shared', at: clock.now(), vehicleId: 'car', requestId: `s-${winner}` }));
    expect(await a.repo.counter('shared', '2026-05', '')).toBe(100);
    expect(await storages[1]!.db.selectFrom('quota_holds').selectAll().execute()).toEqual([]);
    expect(await outcome(b.admit({ appId: 'shared', vehicleId: 'car', endpoint: ODOMETER, units: 1, requestId: 's-after' }))).toBe('BILLING:VEHICLE_REQUEST_LIMIT');
  });

  it('a request refused by a rate limit holds nothing, and a hold never recorded expires', async () => {
    const [a, b] = services as [MeteringService, MeteringService];
    await seedApp(storages[0]!, 'held', 'free', { requestsPerMonth: 1, appBucket: { capacity: 1, refillPerMinute: 0.0001 } });
    expect(await outcome(a.admit({ appId: 'held', endpoint: 'GET /v2.0/vehicles', units: 0 }))).toBe('admitted'); // spends the bucket
    expect(await outcome(b.admit({ appId: 'held', vehicleId: 'car', endpoint: ODOMETER, units: 1, requestId: 'h-1' }))).toBe('RATE_LIMIT:SMARTCAR_API');
    expect(await storages[0]!.db.selectFrom('quota_holds').selectAll().where('app_id', '=', 'held').execute()).toEqual([]);
    // Its quota is still there for the next request once the bucket refills.
    clock.advance(60_000 / 0.0001); // one token at 0.0001 a minute
    expect(await outcome(b.admit({ appId: 'held', vehicleId: 'car', endpoint: ODOMETER, units: 1, requestId: 'h-2' }))).toBe('admitted');
    await seedApp(storages[0]!, 'lost', 'free');
    await Promise.all(Array.from({ length: 99 }, () => a.record(entry({ appId: 'lost', at: clock.now(), vehicleId: 'car' }))));
    expect(await outcome(a.admit({ appId: 'lost', vehicleId: 'car', endpoint: ODOMETER, units: 1, requestId: 'l-1' }))).toBe('admitted');
    // Process a dies before recording l-1: b is refused until the hold expires.
    expect(await outcome(b.admit({ appId: 'lost', vehicleId: 'car', endpoint: ODOMETER, units: 1, requestId: 'l-2' }))).toBe('BILLING:VEHICLE_REQUEST_LIMIT');
    clock.advance(RESERVATION_TTL_MS);
    expect(await outcome(b.admit({ appId: 'lost', vehicleId: 'car', endpoint: ODOMETER, units: 1, requestId: 'l-3' }))).toBe('admitted');
    const left = await storages[0]!.db.selectFrom('quota_holds').select('request_id').where('app_id', '=', 'lost').execute();
    expect(left.map((r) => r.request_id)).toEqual(['l-3']);
  });
});
