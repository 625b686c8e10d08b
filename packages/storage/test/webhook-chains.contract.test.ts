import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryOutbox, WebhooksRepo, type DeliveryOutbox, type DeliveryRow, type FinishedAttempt, type Storage } from '../src/index.js';
import { openTestStorage, testEngines } from '../src/testing.js';

const row = (id: string, webhookId: string, orderKey: string, seq: number, nextAt = 1000): DeliveryRow => ({
  id, webhook_id: webhookId, app_id: 'a', order_key: orderKey, seq, event_name: 'eventBased', body: `{"id":"${id}"}`, status: 'pending', attempts: 0,
  next_attempt_at: nextAt, lease_owner: null, lease_until: null, created_at: 1000, delivered_at: null, last_status: null, last_error: null, retry_from: null, test: 0,
});

const finished = (d: DeliveryRow, status: 'delivered' | 'pending', at: number): FinishedAttempt => ({
  attempt: { id: `att-${d.id}-${at}`, delivery_id: d.id, webhook_id: d.webhook_id, attempt: d.attempts + 1, at, duration_ms: 1.5, response_status: status === 'delivered' ? 204 : 500, response_body: '', error: status === 'delivered' ? null : 'HTTP 500' },
  outcome: { status, nextAttemptAt: status === 'delivered' ? at : at + 60_000, error: status === 'delivered' ? null : 'HTTP 500' },
});

const ids = (rows: readonly DeliveryRow[]) => rows.map((r) => r.id);
const all = (n: number) => () => n;

for (const engine of testEngines(process.env)) {
  // Every engine runs the portable repository; SQLite also its prepared-statement outbox.
  const kinds: { name: string; make: (s: Storage) => DeliveryOutbox }[] = [{ name: 'WebhooksRepo', make: (s) => new WebhooksRepo(s.db) }];
  if (engine.name.toLowerCase().includes('sqlite')) kinds.push({ name: 'prepared statements', make: (s) => deliveryOutbox(s) });
  for (const kind of kinds) {
    describe.skipIf(!engine.url)(`webhook outbox chains: claimDue with chains, finishAttempts with released leases [${engine.name}, ${kind.name}]`, () => {
      let storage: Storage;
      let dispose: () => Promise<void>;
      let outbox: DeliveryOutbox;
      let repo: WebhooksRepo;
      let hook = 0;
      /** A fresh webhook id per test, so the tests' queues never meet. */
      const newHook = () => `wh-${kind.name.length}-${++hook}`;
      const seed = async (rows: DeliveryRow[]) => { await storage.db.insertInto('webhook_deliveries').values(rows).execute(); };
      const state = async (wh: string) => (await storage.db.selectFrom('webhook_deliveries').select(['id', 'status', 'attempts', 'lease_owner', 'next_attempt_at'])
        .where('webhook_id', '=', wh).orderBy('order_key').orderBy('seq').execute()).map((r) => [r.id, r.status, Number(r.attempts), r.lease_owner, Number(r.next_attempt_at)]);
      beforeAll(async () => {
        ({ storage, dispose } = await openTestStorage(engine));
        outbox = kind.make(storage);
        repo = new WebhooksRepo(storage.db);
      });
      afterAll(async () => dispose?.());

      it('without chains leases each queue\'s head only; with them, the rows behind each head in order, queue by queue', async () => {
        const wh = newHook();
        await seed([row(`${wh}-a1`, wh, 'A', 1), row(`${wh}-a2`, wh, 'A', 2), row(`${wh}-a3`, wh, 'A', 3), row(`${wh}-b1`, wh, 'B', 1, 900), row(`${wh}-b2`, wh, 'B', 2)]);
        const heads = (await outbox.claimDue('p1', 2000, 10_000, 10)).filter((d) => d.webhook_id === wh);
        expect(ids(heads)).toEqual([`${wh}-b1`, `${wh}-a1`]); // oldest due head first
        await outbox.finishAttempts('p1', [], ids(heads)); // given back, unchanged
        expect(await state(wh)).toEqual([[`${wh}-a1`, 'pending', 0, null, 1000], [`${wh}-a2`, 'pending', 0, null, 1000], [`${wh}-a3`, 'pending', 0, null, 1000],
          [`${wh}-b1`, 'pending', 0, null, 900], [`${wh}-b2`, 'pending', 0, null, 1000]]);
        const chained = (await outbox.claimDue('p1', 2000, 10_000, 10, { chain: all(8), total: 100 })).filter((d) => d.webhook_id === wh);
        expect(ids(chained)).toEqual([`${wh}-b1`, `${wh}-b2`, `${wh}-a1`, `${wh}-a2`, `${wh}-a3`]);
        expect(chained.every((d) => d.lease_owner === 'p1' && Number(d.lease_until) === 12_000)).toBe(true);
        // Another process finds nothing of these queues: heads and followers are leased.
        expect((await outbox.claimDue('p2', 2000, 10_000, 10, { chain: all(8), total: 100 })).filter((d) => d.webhook_id === wh)).toEqual([]);
        // The head delivered, the follower still leased to p1: p2 still cannot take it.
        await outbox.finishAttempts('p1', [finished(chained[2]!, 'delivered', 2100)]);
        expect((await repo.claimDue('p2', 2200, 10_000, 10)).filter((d) => d.webhook_id === wh)).toEqual([]);
        await outbox.finishAttempts('p1', [finished(chained[0]!, 'delivered', 2300), finished(chained[1]!, 'delivered', 2300), finished(chained[3]!, 'delivered', 2300), finished(chained[4]!, 'delivered', 2300)]);
        expect((await state(wh)).map((s) => s[1])).toEqual(['delivered', 'delivered', 'delivered', 'delivered', 'delivered']);
      });

      it('a chain ends at a row that is not due, or leased by someone else, and never skips over it', async () => {
        const wh = newHook();
        await seed([row(`${wh}-a1`, wh, 'A', 1), row(`${wh}-a2`, wh, 'A', 2), row(`${wh}-a3`, wh, 'A', 3, 5000), row(`${wh}-a4`, wh, 'A', 4),
          row(`${wh}-b1`, wh, 'B', 1), row(`${wh}-b2`, wh, 'B', 2), row(`${wh}-b3`, wh, 'B', 3)]);
        await storage.db.updateTable('webhook_deliveries').set({ lease_owner: 'other', lease_until: 9000 }).where('id', '=', `${wh}-b2`).execute();
        const got = (await outbox.claimDue('p1', 2000, 10_000, 10, { chain: all(8), total: 100 })).filter((d) => d.webhook_id === wh);
        expect(ids(got)).toEqual([`${wh}-a1`, `${wh}-a2`, `${wh}-b1`]);
        expect((await state(wh)).filter((s) => s[3] === 'p1').map((s) => s[0])).toEqual([`${wh}-a1`, `${wh}-a2`, `${wh}-b1`]);
      });

      it('keeps to the chain length of each head and to the total, dealing followers out one position at a time', async () => {
        const wh = newHook();
        const rows: DeliveryRow[] = [];
        for (const q of ['A', 'B', 'C']) for (let s = 1; s <= 6; s++) rows.push(row(`${wh}-${q}${s}`, wh, q, s));
        await seed(rows);
        const chain = (head: DeliveryRow) => (head.order_key === 'C' ? 1 : 4);
        const got = (await outbox.claimDue('p1', 2000, 10_000, 10, { chain, total: 7 })).filter((d) => d.webhook_id === wh);
        // Heads A1, B1, C1; C takes its head only; 4 followers in all: A2, B2, A3, B3.
        expect(ids(got)).toEqual([`${wh}-A1`, `${wh}-A2`, `${wh}-A3`, `${wh}-B1`, `${wh}-B2`, `${wh}-B3`, `${wh}-C1`]);
        // `limit` bounds the queues (heads) whatever the total.
        const wh2 = newHook();
        await seed(['A', 'B', 'C'].map((q) => row(`${wh2}-${q}1`, wh2, q, 1)));
        expect((await outbox.claimDue('p1', 2000, 10_000, 2, { chain: all(4), total: 50 })).filter((d) => d.webhook_id === wh2)).toHaveLength(2);
      });

      it('a failed attempt and the released rest of its chain commit together: the queue waits on its head, the rest unchanged behind it', async () => {
        const wh = newHook();
        await seed([row(`${wh}-a1`, wh, 'A', 1), row(`${wh}-a2`, wh, 'A', 2), row(`${wh}-a3`, wh, 'A', 3), row(`${wh}-a4`, wh, 'A', 4)]);
        const got = (await outbox.claimDue('p1', 2000, 10_000, 10, { chain: all(4), total: 100 })).filter((d) => d.webhook_id === wh);
        expect(got).toHaveLength(4);
        await outbox.finishAttempts('p1', [finished(got[0]!, 'delivered', 2100), finished(got[1]!, 'pending', 2200)], [got[2]!.id, got[3]!.id]);
        expect(await state(wh)).toEqual([[`${wh}-a1`, 'delivered', 1, null, 2100], [`${wh}-a2`, 'pending', 1, null, 62_200], [`${wh}-a3`, 'pending', 0, null, 1000], [`${wh}-a4`, 'pending', 0, null, 1000]]);
        const attempts = await storage.db.selectFrom('webhook_attempts').select(['delivery_id', 'response_status', 'duration_ms']).where('webhook_id', '=', wh).orderBy('delivery_id').execute();
        expect(attempts.map((a) => [a.delivery_id, a.response_status, Number(a.duration_ms)])).toEqual([[`${wh}-a1`, 204, 1.5], [`${wh}-a2`, 500, 1.5]]);
        // Nothing is due until the failed head is.
        expect((await outbox.claimDue('p1', 3000, 10_000, 10, { chain: all(4), total: 100 })).filter((d) => d.webhook_id === wh)).toEqual([]);
        expect(ids((await outbox.claimDue('p1', 62_200, 10_000, 10, { chain: all(4), total: 100 })).filter((d) => d.webhook_id === wh))).toEqual([`${wh}-a2`, `${wh}-a3`, `${wh}-a4`]);
        // A release by an owner that does not hold the lease changes nothing.
        await outbox.finishAttempts('p2', [], [`${wh}-a3`]);
        expect((await state(wh)).map((s) => s[3])).toEqual([null, 'p1', 'p1', 'p1']);
      });
    });
  }
  if (!engine.url) it.skip(`webhook outbox chains on ${engine.name}: skipped, TEST_DATABASE_URL is not set`, () => {});
}
