import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../src/index.js';
import { migrate } from '../src/open.js';
import { openTestStorage, testEngines } from '../src/testing.js';

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`migration 0042: integrations beside v2 webhooks [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine, { upTo: '0030-plan-history' }));
      await storage.db.insertInto('webhooks').values({ id: 'wh-old', app_id: 'a', name: 'old', url: 'https://r.example/h', kind: 'event', cadence: null, topics: '["CHARGING_STARTED"]', status: 'active', verified_at: 1, next_run_at: null, created_at: 1, deleted_at: null, anchor_at: null }).execute();
      await storage.db.insertInto('webhook_subscriptions').values({ webhook_id: 'wh-old', vehicle_id: 'v1', app_id: 'a', created_at: 1 }).execute();
      await migrate(storage);
    });
    afterAll(async () => dispose?.());

    it('existing webhooks become API v2 rows without triggers or autoSubscribe; their subscriptions name no owner', async () => {
      expect(await storage.db.selectFrom('webhooks').select(['id', 'api_version', 'triggers', 'signals', 'error_url', 'auto_subscribe']).execute())
        .toEqual([{ id: 'wh-old', api_version: '2.0', triggers: null, signals: null, error_url: null, auto_subscribe: 0 }]);
      expect(await storage.db.selectFrom('webhook_subscriptions').select(['webhook_id', 'user_id']).execute()).toEqual([{ webhook_id: 'wh-old', user_id: null }]);
    });
  });
}
