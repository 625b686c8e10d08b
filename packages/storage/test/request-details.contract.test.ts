import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestDetailsRepo, type RequestDetailRow, type Storage } from '../src/index.js';
import { openTestStorage, testEngines } from '../src/testing.js';

const row = (id: string, over: Partial<RequestDetailRow> = {}): RequestDetailRow => ({
  request_id: id, app_id: 'app1', at: 1000, method: 'GET', path: '/v2.0/vehicles/v1/odometer', query: '', request_headers: '{"host":"127.0.0.1"}',
  request_body: null, request_body_bytes: 0, request_body_truncated: 0, response_status: 200, response_headers: '{"content-type":"application/json"}',
  response_body: '{"distance":1}', response_body_bytes: 14, response_body_truncated: 0, ...over,
});

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`storage contract: request details [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    beforeAll(async () => { ({ storage, dispose } = await openTestStorage(engine)); });
    afterAll(async () => dispose?.());

    // On SQLite both the prepared-statement path (with the handle) and the query builder's (without).
    const repos = () => [new RequestDetailsRepo(storage.db, storage.sqlite), new RequestDetailsRepo(storage.db)];

    it('writes a batch and leaves a request id already stored as it is', async () => {
      for (const [i, repo] of repos().entries()) {
        await repo.insertMany([row(`a${i}`), row(`b${i}`, { response_status: 404, response_body: null })]);
        await repo.insertMany([row(`a${i}`, { response_status: 500 }), row(`c${i}`)]);
        expect((await repo.one('app1', `a${i}`))?.response_status).toBe(200);
        expect(await repo.one('app1', `b${i}`)).toMatchObject({ response_status: 404, response_body: null, at: 1000 });
        expect((await repo.one('app1', `c${i}`))?.path).toBe('/v2.0/vehicles/v1/odometer');
      }
    });

    it('writes a batch all or nothing', async () => {
      for (const [i, repo] of repos().entries()) {
        await expect(repo.insertMany([row(`d${i}`), row(`e${i}`, { app_id: null as unknown as string })])).rejects.toThrow();
        expect(await repo.one('app1', `d${i}`)).toBeUndefined();
      }
    });
  });
}
