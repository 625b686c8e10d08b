import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhooksRepo, type DeliveryRow, type Storage } from '../src/index.js';
import { migrate } from '../src/open.js';
import { openTestStorage, testEngines } from '../src/testing.js';

const row = (id: string, orderKey: string, test: number): DeliveryRow => ({
  id, webhook_id: 'wh', app_id: 'a', order_key: orderKey, seq: 0, event_name: 'eventBased', body: '{}', status: 'pending', attempts: 0,
  next_attempt_at: 1000, lease_owner: null, lease_until: null, created_at: 1000, delivered_at: null, last_status: null, last_error: null, retry_from: null, test,
});

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`migration 0053 and the test flag of webhook deliveries [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    let repo: WebhooksRepo;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine, { upTo: '0051-charge-observations' }));
      const { test: _new, ...old } = row('old', 'v1', 0);
      await storage.db.insertInto('webhook_deliveries').values({ ...old, seq: 1 }).execute();
      await migrate(storage);
      repo = new WebhooksRepo(storage.db);
    });
    afterAll(async () => dispose?.());

    it('deliveries written before the migration are real ones (test = 0)', async () => {
      expect((await repo.getDelivery('old'))?.test).toBe(0);
    });

    it('stores the flag as written and numbers a test queue on its own', async () => {
      await repo.enqueue([row('t1', 'test:t1', 1), row('real', 'v1', 0)]);
      expect(await storage.db.selectFrom('webhook_deliveries').select(['id', 'order_key', 'seq', 'test']).orderBy('id').execute()).toEqual([
        { id: 'old', order_key: 'v1', seq: 1, test: 0 },
        { id: 'real', order_key: 'v1', seq: 2, test: 0 },
        { id: 't1', order_key: 'test:t1', seq: 1, test: 1 },
      ]);
    });

    it('claim leases one due pending delivery once, and never a delivered or not yet due one', async () => {
      expect(await repo.claim('p1', 't1', 999, 5000)).toBeUndefined();
      expect(await repo.claim('p1', 't1', 1000, 5000)).toMatchObject({ id: 't1', lease_owner: 'p1', lease_until: 6000, test: 1 });
      expect(await repo.claim('p2', 't1', 2000, 5000)).toBeUndefined();
      await repo.finishAttempt('p1', { id: 'att-1', delivery_id: 't1', webhook_id: 'wh', attempt: 1, at: 2000, duration_ms: 3, response_status: 204, response_body: '', error: null },
        { status: 'delivered', nextAttemptAt: 2000, error: null });
      expect(await repo.claim('p2', 't1', 99_000, 5000)).toBeUndefined();
      expect(await repo.getDelivery('t1')).toMatchObject({ status: 'delivered', attempts: 1, last_status: 204, test: 1 });
    });
  });
}
