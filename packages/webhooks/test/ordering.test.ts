import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhooksRepo, type Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';
import { newDelivery } from '../src/index.js';

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`webhooks: per-vehicle ordering in the outbox [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    let repo: WebhooksRepo;
    const row = (id: string, orderKey: string) => newDelivery({ id, webhookId: 'wh', appId: 'app', orderKey, eventName: 'eventBased', body: '{}', now: 1000 });
    beforeAll(async () => { ({ storage, dispose } = await openTestStorage(engine)); repo = new WebhooksRepo(storage.db); });
    afterAll(async () => { await dispose?.(); });

    it('numbers each (webhook, vehicle) queue max(seq)+1 inside the writing transaction', async () => {
      await storage.db.transaction().execute((trx) => new WebhooksRepo(trx).enqueue([row('a1', 'A'), row('a2', 'A'), row('b1', 'B')]));
      await storage.db.transaction().execute((trx) => new WebhooksRepo(trx).enqueue([row('a3', 'A'), row('a1', 'A')]));
      const seqs = Object.fromEntries((await repo.listDeliveries('wh')).map((d) => [d.id, Number(d.seq)]));
      expect(seqs).toEqual({ a1: 1, a2: 2, a3: 3, b1: 1 });
    });

    it('never leases two heads with the same seq of one queue at once (tie broken by id)', async () => {
      await storage.db.insertInto('webhook_deliveries').values([{ ...row('t-2', 'T'), seq: 7 }, { ...row('t-1', 'T'), seq: 7 }]).execute();
      const first = await repo.claimDue('p1', 2000, 60_000, 10);
      expect(first.filter((d) => d.order_key === 'T').map((d) => d.id)).toEqual(['t-1']);
      expect((await repo.claimDue('p2', 2000, 60_000, 10)).filter((d) => d.order_key === 'T')).toEqual([]);
    });
  });
}
