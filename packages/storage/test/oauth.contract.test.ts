import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAuthRepo, type Storage } from '../src/index.js';
import { openTestStorage, testEngines } from '../src/testing.js';

const token = (id: string, over: Partial<Parameters<OAuthRepo['insertTokens']>[0][number]> = {}) => ({
  id, token_hash: `h-${id}`, kind: 'access', grant_id: 'g1', app_id: 'app1', family_id: 'f1',
  created_at: 1000, expires_at: 9000, used_at: null, revoked_at: null, ...over,
});

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`storage contract: oauth [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    let repo: OAuthRepo;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      repo = new OAuthRepo(storage.db);
    });
    afterAll(async () => dispose?.());

    it('stores flows, updates their data and expires them', async () => {
      await repo.createFlow({ id: 'fl1', app_id: 'app1', data: '{"a":1}', csrf_hash: 'c', created_at: 1, expires_at: 100 });
      await repo.updateFlowData('fl1', '{"a":2}');
      expect((await repo.getFlow('fl1'))?.data).toBe('{"a":2}');
      expect(await repo.deleteExpiredFlows(101)).toBe(1);
      expect(await repo.getFlow('fl1')).toBeUndefined();
    });

    it('records grants with connections, one per owner×vehicle×app, newest grant wins', async () => {
      await repo.createGrant({ id: 'g1', appId: 'app1', userId: 'u1', mode: 'live', permissions: ['read_vin'], vehicleIds: ['v1', 'v2'] }, 1000);
      await repo.createGrant({ id: 'g2', appId: 'app1', userId: 'u1', mode: 'live', permissions: ['read_odometer'], vehicleIds: ['v2'] }, 2000);
      await repo.createGrant({ id: 'g3', appId: 'app2', userId: 'u1', mode: 'simulated', permissions: ['read_vin'], vehicleIds: ['v1'] }, 3000);
      const list = await repo.listConnections('app1', {}, 10);
      expect(list.map((c) => [c.vehicle_id, c.grant_id, Number(c.connected_at)])).toEqual([['v2', 'g2', 1000], ['v1', 'g1', 1000]]);
      expect(JSON.parse(list[0]!.permissions)).toEqual(['read_odometer']);
      expect(await repo.appVehicleIds('app1')).toEqual(['v1', 'v2']);
      expect((await repo.ownerConnections('u1')).map((c) => c.app_id)).toEqual(['app2', 'app1', 'app1']);
      expect((await repo.activeGrants('app1', 'u1')).map((g) => g.id)).toEqual(['g2', 'g1']);
      expect(await repo.listConnections('app2', { mode: 'live' }, 10)).toHaveLength(0);
    });

    it('pages connections by keyset', async () => {
      const first = await repo.listConnections('app1', {}, 1);
      const c = first[0]!;
      const next = await repo.listConnections('app1', {}, 1, { connectedAt: Number(c.connected_at), userId: c.user_id, vehicleId: c.vehicle_id });
      expect(next.map((r) => r.vehicle_id)).toEqual(['v1']);
    });

    it('finds a token with its grant in one lookup; rotation and codes are single-use', async () => {
      await repo.insertTokens([token('t1'), token('t2', { kind: 'refresh' })]);
      const found = await repo.findTokenWithGrant('h-t1');
      expect(found?.token.kind).toBe('access');
      expect(found?.grant.vehicleIds).toEqual(['v1', 'v2']);
      expect(await repo.markRefreshUsed('t2', 5)).toBe(true);
      expect(await repo.markRefreshUsed('t2', 6)).toBe(false);
      await repo.createCode({ id: 'c1', code_hash: 'ch', app_id: 'app1', grant_id: 'g1', redirect_uri: null, code_challenge: null, code_challenge_method: null, created_at: 1, expires_at: 2, used_at: null });
      expect((await repo.getCodeByHash('ch'))?.grant_id).toBe('g1');
      expect(await repo.consumeCode('c1', 3)).toBe(true);
      expect(await repo.consumeCode('c1', 4)).toBe(false);
      expect(await repo.revokeFamily('f1', 7)).toBe(1);
      expect((await repo.findTokenWithGrant('h-t1'))?.token.revoked_at).toBe(7);
    });

    it('disconnecting removes vehicles from grants and revokes a grant left empty', async () => {
      await repo.insertTokens([token('t3', { grant_id: 'g2', family_id: 'f2' })]);
      const removed = await repo.deleteConnections('app1', { vehicleId: 'v2' }, 50);
      expect(removed.map((r) => r.vehicle_id)).toEqual(['v2']);
      expect((await repo.getGrant('g1'))?.vehicleIds).toEqual(['v1']);
      expect((await repo.getGrant('g2'))?.revokedAt).toBe(50);
      expect((await repo.findTokenWithGrant('h-t3'))?.token.revoked_at).toBe(50);
      expect(await repo.appVehicleIds('app1')).toEqual(['v1']);
      await repo.revokeApp('app1', 60);
      expect(await repo.appVehicleIds('app1')).toEqual([]);
      expect((await repo.getGrant('g1'))?.revokedAt).toBe(60);
      expect(await repo.appVehicleIds('app2')).toEqual(['v1']);
    });
  });
  if (!engine.url) {
    it.skip(`storage contract on ${engine.name}: skipped, TEST_DATABASE_URL is not set`, () => {});
  }
}
