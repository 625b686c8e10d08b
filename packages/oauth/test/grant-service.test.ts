import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@opencar/core';
import type { Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '../../storage/src/testing.js';
import { StoredGrantService, connectForTest, ACCESS_CACHE_TTL_MS } from '../src/index.js';

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`grant service [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    let grants: StoredGrantService;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      grants = new StoredGrantService(storage, clock);
    });
    afterAll(async () => dispose?.());

    it('verifies an access token to its grant, and nothing else', async () => {
      const t = await connectForTest(storage, clock, { appId: 'a1', userId: 'u1', vehicleIds: ['v1', 'v2'], permissions: ['read_vin', 'read_odometer'] });
      const ctx = await grants.verifyAccessToken(t.access_token);
      expect(ctx).toMatchObject({ appId: 'a1', userId: 'u1', mode: 'simulated', vehicleIds: ['v1', 'v2'], grantId: t.grantId });
      expect([...ctx!.permissions].sort()).toEqual(['read_odometer', 'read_vin']);
      expect(ctx!.expiresAt).toBe(clock.now() + 7200_000);
      expect(await grants.verifyAccessToken(t.refresh_token)).toBeUndefined();
      expect(await grants.verifyAccessToken('nope')).toBeUndefined();
      expect(await grants.verifyAccessToken('')).toBeUndefined();
    });

    it('a full verification cache drops its oldest entries, not everything', async () => {
      const small = new StoredGrantService(storage, clock, 3);
      for (let i = 0; i < 5; i++) await small.verifyAccessToken(`unknown-${i}`);
      expect(small.cacheSize).toBe(3);
    });

    it('expires access tokens after 2 hours even when cached', async () => {
      const t = await connectForTest(storage, clock, { appId: 'a1', userId: 'u2', vehicleIds: ['v3'], permissions: ['read_vin'] });
      expect(await grants.verifyAccessToken(t.access_token)).toBeDefined();
      clock.advance(7200_000);
      expect(await grants.verifyAccessToken(t.access_token)).toBeUndefined();
    });

    it('disconnect takes effect at once in-process; other processes within the cache TTL', async () => {
      const t = await connectForTest(storage, clock, { appId: 'a2', userId: 'u3', vehicleIds: ['v4', 'v5'], permissions: ['read_vin'] });
      const other = new StoredGrantService(storage, clock);
      expect((await other.verifyAccessToken(t.access_token))?.vehicleIds).toEqual(['v4', 'v5']);
      expect((await grants.verifyAccessToken(t.access_token))?.vehicleIds).toEqual(['v4', 'v5']);
      expect(await grants.deleteConnections('a2', { vehicleId: 'v4' })).toEqual([{ userId: 'u3', vehicleId: 'v4' }]);
      expect((await grants.verifyAccessToken(t.access_token))?.vehicleIds).toEqual(['v5']);
      expect((await other.verifyAccessToken(t.access_token))?.vehicleIds).toEqual(['v4', 'v5']);
      clock.advance(ACCESS_CACHE_TTL_MS);
      expect((await other.verifyAccessToken(t.access_token))?.vehicleIds).toEqual(['v5']);
      await grants.deleteConnections('a2', { userId: 'u3' });
      expect(await grants.verifyAccessToken(t.access_token)).toBeUndefined();
    });

    it('lists connections newest first with an opaque cursor; rejects a forged cursor', async () => {
      for (let i = 0; i < 5; i++) {
        clock.advance(1000);
        await connectForTest(storage, clock, { appId: 'a3', userId: `owner${i}`, vehicleIds: [`veh${i}`], permissions: ['read_vin'], mode: i % 2 ? 'simulated' : 'live' });
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let guard = 0; guard < 10; guard++) {
        const page = await grants.listConnections('a3', {}, { limit: 2, cursor });
        seen.push(...page.connections.map((c) => c.vehicleId));
        if (!page.cursor) break;
        cursor = page.cursor;
      }
      expect(seen).toEqual(['veh4', 'veh3', 'veh2', 'veh1', 'veh0']);
      const sim = await grants.listConnections('a3', { mode: 'simulated' }, { limit: 10 });
      expect(sim.connections.map((c) => c.vehicleId)).toEqual(['veh3', 'veh1']);
      expect(sim.cursor).toBeNull();
      await expect(grants.listConnections('a3', {}, { limit: 2, cursor: 'garbage' })).rejects.toMatchObject({ key: 'VALIDATION' });
      expect(await grants.appVehicleIds('a3')).toHaveLength(5);
      expect((await grants.ownerConnections('owner2')).map((c) => c.appId)).toEqual(['a3']);
    });

    it('revoking an app ends every token and connection of it', async () => {
      const t = await connectForTest(storage, clock, { appId: 'a4', userId: 'u9', vehicleIds: ['v9'], permissions: ['read_vin'] });
      expect(await grants.verifyAccessToken(t.access_token)).toBeDefined();
      await grants.revokeApp('a4');
      expect(await grants.verifyAccessToken(t.access_token)).toBeUndefined();
      expect(await grants.appVehicleIds('a4')).toEqual([]);
    });
  });
  if (!engine.url) it.skip(`grant service on ${engine.name}: skipped, TEST_DATABASE_URL is not set`, () => {});
}
