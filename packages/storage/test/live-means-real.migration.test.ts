import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../src/index.js';
import { migrate } from '../src/open.js';
import { openTestStorage, testEngines } from '../src/testing.js';

/** Rows as the simulator wrote them while it also served `live` mode. */
async function legacyRows(storage: Storage) {
  const db = storage.db;
  await db.insertInto('developers').values({ id: 'd1', email: 'd@x.test', password_hash: null, name: 'D', tos_version: null, tos_accepted_at: null, plan: 'free', plan_limits: null, status: 'active', created_at: 0 }).execute();
  const app = { developer_id: 'd1', logo_url: null, client_secret_hash: 'h', amt_hash: 'a', amt_enc: 'e', redirect_uris: '[]', default_scope: '[]', sim_latency: null, created_at: 0, updated_at: 0, deleted_at: null };
  await db.insertInto('apps').values([{ ...app, id: 'app-live', name: 'L', mode: 'live', amt_hash: 'a1' }, { ...app, id: 'app-test', name: 'T', mode: 'test', amt_hash: 'a2' }]).execute();
  // The same owner had a live and a simulated Tesla account: both survive with their ids.
  await db.insertInto('sim_accounts').values([
    { id: 'acct-live', make: 'TESLA', email: 'o@x.test', mode: 'live', country: 'US', password_hash: null, created_at: 1 },
    { id: 'acct-sim', make: 'TESLA', email: 'o@x.test', mode: 'simulated', country: 'US', password_hash: null, created_at: 2 },
  ]).execute();
  const vehicle = (id: string, account: string, mode: string) => ({
    id, account_id: account, vin: `VIN-${id}`, make: 'TESLA', state: JSON.stringify({ id, mode, soc: 0.5 }), version: 3, next_event_at: null, created_at: 1, updated_at: 1,
  });
  await db.insertInto('sim_vehicles').values([vehicle('v-live', 'acct-live', 'live'), vehicle('v-sim', 'acct-sim', 'simulated')]).execute();
  const grant = { app_id: 'app-live', permissions: '[]', created_at: 1, revoked_at: null };
  await db.insertInto('oauth_grants').values([
    { ...grant, id: 'g-live', user_id: 'acct-live', mode: 'live', vehicle_ids: '["v-live"]' },
    { ...grant, id: 'g-sim', user_id: 'acct-sim', mode: 'simulated', vehicle_ids: '["v-sim"]' },
    // A grant of an account the simulator does not know (a real connector's) stays live.
    { ...grant, id: 'g-real', user_id: 'real-owner', mode: 'live', vehicle_ids: '["real-car"]' },
  ]).execute();
  const conn = { app_id: 'app-live', permissions: '[]', connected_at: 1 };
  await db.insertInto('oauth_connections').values([
    { ...conn, user_id: 'acct-live', vehicle_id: 'v-live', grant_id: 'g-live', mode: 'live' },
    { ...conn, user_id: 'acct-sim', vehicle_id: 'v-sim', grant_id: 'g-sim', mode: 'simulated' },
    { ...conn, user_id: 'real-owner', vehicle_id: 'real-car', grant_id: 'g-real', mode: 'live' },
  ]).execute();
}

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`migration 0013: live means real vehicles [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine, { upTo: '0012-sign-in-failures' }));
      await legacyRows(storage);
      await migrate(storage);
    });
    afterAll(async () => dispose?.());

    it('simulator accounts and vehicles stored as live become simulated; ids, other state and the second account are kept', async () => {
      const accounts = await storage.db.selectFrom('sim_accounts').select(['id', 'mode']).orderBy('id').execute();
      expect(accounts).toEqual([{ id: 'acct-live', mode: 'simulated' }, { id: 'acct-sim', mode: 'simulated' }]);
      const vehicles = await storage.db.selectFrom('sim_vehicles').select(['id', 'state', 'version']).orderBy('id').execute();
      expect(vehicles.map((v) => [v.id, JSON.parse(v.state)])).toEqual([
        ['v-live', { id: 'v-live', mode: 'simulated', soc: 0.5 }],
        ['v-sim', { id: 'v-sim', mode: 'simulated', soc: 0.5 }],
      ]);
      // A changed row gets a new version, so no writer can overwrite it from an older read.
      expect(vehicles.map((v) => v.version)).toEqual([4, 3]);
    });

    it('grants and connections of simulator vehicles become simulated; others stay live', async () => {
      const grants = await storage.db.selectFrom('oauth_grants').select(['id', 'mode']).orderBy('id').execute();
      expect(grants).toEqual([{ id: 'g-live', mode: 'simulated' }, { id: 'g-real', mode: 'live' }, { id: 'g-sim', mode: 'simulated' }]);
      const conns = await storage.db.selectFrom('oauth_connections').select(['vehicle_id', 'mode']).orderBy('vehicle_id').execute();
      expect(conns).toEqual([{ vehicle_id: 'real-car', mode: 'live' }, { vehicle_id: 'v-live', mode: 'simulated' }, { vehicle_id: 'v-sim', mode: 'simulated' }]);
    });

    it('apps whose default mode was live default to simulated; other modes are kept', async () => {
      const apps = await storage.db.selectFrom('apps').select(['id', 'mode']).orderBy('id').execute();
      expect(apps).toEqual([{ id: 'app-live', mode: 'simulated' }, { id: 'app-test', mode: 'test' }]);
    });
  });
}
