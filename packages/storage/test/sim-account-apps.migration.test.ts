import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../src/index.js';
import { migrate } from '../src/open.js';
import { openTestStorage, testEngines } from '../src/testing.js';

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`migration 0014: simulated accounts belong to an app [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine, { upTo: '0013-live-means-real' }));
      const db = storage.db;
      const account = { make: 'TESLA', email: 'o@x.test', mode: 'simulated', country: 'US', password_hash: null };
      await db.insertInto('sim_accounts').values([
        { ...account, id: 'acct-two-apps', created_at: 1 },
        { ...account, id: 'acct-one-app', email: 'p@x.test', created_at: 2 },
        { ...account, id: 'acct-never-connected', email: 'q@x.test', created_at: 3 },
      ]).execute();
      const grant = { permissions: '[]', mode: 'simulated', vehicle_ids: '[]', revoked_at: null };
      await db.insertInto('oauth_grants').values([
        { ...grant, id: 'g2', app_id: 'app-later', user_id: 'acct-two-apps', created_at: 20 },
        { ...grant, id: 'g1', app_id: 'app-first', user_id: 'acct-two-apps', created_at: 10 },
        { ...grant, id: 'g3', app_id: 'app-only', user_id: 'acct-one-app', created_at: 5 },
      ]).execute();
      await migrate(storage);
    });
    afterAll(async () => dispose?.());

    it('an account gets the app of its earliest grant; one no app connected gets none', async () => {
      const rows = await storage.db.selectFrom('sim_accounts').select(['id', 'app_id']).orderBy('id').execute();
      expect(rows).toEqual([
        { id: 'acct-never-connected', app_id: null },
        { id: 'acct-one-app', app_id: 'app-only' },
        { id: 'acct-two-apps', app_id: 'app-first' },
      ]);
    });
  });
}
