import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { RequestDetailsRepo, type RequestDetailRow, type Storage } from '../src/index.js';
import { migrate } from '../src/open.js';
import { openTestStorage, testEngines } from '../src/testing.js';

const row = (id: string, at: number, over: Partial<RequestDetailRow> = {}): RequestDetailRow => ({
  request_id: id, app_id: 'app1', at, method: 'GET', path: '/v2.0/vehicles/v1/odometer', query: '', request_headers: '{}',
  request_body: null, request_body_bytes: 0, request_body_truncated: 0, response_status: 200, response_headers: '{}',
  response_body: '{"distance":1}', response_body_bytes: 14, response_body_truncated: 0, ...over,
});

const byAt = (s: Storage) => s.db.selectFrom('request_details').selectAll().orderBy('at').orderBy('request_id').execute();

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`migration 0059: request details keyed by time [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    const before = [row('9f0c-late', 3000), row('0a1b-early', 1000, { response_status: 404, response_body: null }), row('5e5e-mid', 2000, { request_body: '{"a":1}', request_body_bytes: 7 })];
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine, { upTo: '0058-oauth-tokens-family-by-grant' }));
      await storage.db.insertInto('request_details').values(before).execute();
      await migrate(storage);
    });
    afterAll(async () => dispose?.());

    it('keeps every row and column', async () => {
      expect((await byAt(storage)).map((r) => ({ ...r, at: Number(r.at) }))).toEqual([before[1], before[2], before[0]]);
    });

    it('finds a detail by the time of its ledger row, within a second of it, and not beyond', async () => {
      const repo = new RequestDetailsRepo(storage.db, storage.sqlite);
      expect((await repo.one('app1', '5e5e-mid', 2000))?.request_body).toBe('{"a":1}');
      expect((await repo.one('app1', '5e5e-mid', 2999))?.response_status).toBe(200);
      expect(await repo.one('app1', '5e5e-mid', 3001)).toBeUndefined();
      expect(await repo.one('other', '5e5e-mid', 2000)).toBeUndefined();
      expect((await repo.one('app1', '0a1b-early'))?.response_status).toBe(404);
    });

    it.skipIf(engine.name !== 'sqlite')('on SQLite: no index on the random request id alone; a unique one on (at, request_id) that lookups and purges use', async () => {
      const raw = storage.sqlite!;
      const indexes = raw.prepare("select name, \"unique\" from pragma_index_list('request_details')").all() as { name: string; unique: number }[];
      expect(indexes).toEqual([{ name: 'request_details_at_request_idx', unique: 1 }]);
      expect(raw.prepare("select name from pragma_index_info('request_details_at_request_idx') order by seqno").pluck().all()).toEqual(['at', 'request_id']);
      const plan = (q: string) => (raw.prepare(`explain query plan ${q}`).all() as { detail: string }[]).map((p) => p.detail).join('; ');
      expect(plan("select * from request_details where app_id = 'a' and request_id = 'r' and at >= 1 and at <= 2")).toContain('request_details_at_request_idx');
      expect(plan('delete from request_details where at < 5')).toContain('request_details_at_request_idx');
    });

    it('keeps one row per request id and time, on both write paths', async () => {
      for (const repo of [new RequestDetailsRepo(storage.db, storage.sqlite), new RequestDetailsRepo(storage.db)]) {
        await repo.insertMany([row('5e5e-mid', 2000, { response_status: 500 }), row('7c7c-new', 4000)]);
      }
      const rows = await byAt(storage);
      expect(rows.map((r) => [r.request_id, r.response_status])).toEqual([['0a1b-early', 404], ['5e5e-mid', 200], ['9f0c-late', 200], ['7c7c-new', 200]]);
    });

    it.skipIf(engine.name !== 'sqlite')('goes back to the 0048 layout and forward again without losing a row', async () => {
      const m = await import('../src/migrations/0059-request-details-by-time.js');
      const rows = await byAt(storage);
      await m.down(storage.db as never);
      const pk = await sql<{ name: string; pk: number }>`select name, pk from pragma_table_info('request_details') where pk > 0`.execute(storage.db);
      expect(pk.rows).toEqual([{ name: 'request_id', pk: 1 }]);
      expect(await byAt(storage)).toEqual(rows);
      await m.up(storage.db as never);
      expect(await byAt(storage)).toEqual(rows);
    });
  });
}
