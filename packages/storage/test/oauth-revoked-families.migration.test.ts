import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAuthRepo, type Storage } from '../src/index.js';
import { migrate } from '../src/open.js';
import { migrateTo, openTestStorage, testEngines } from '../src/testing.js';

const token = (id: string, grant: string, family: string, revoked_at: number | null = null) => ({
  id, token_hash: `h-${id}`, kind: 'refresh', grant_id: grant, app_id: 'app1', family_id: family,
  created_at: 1000, expires_at: 1e12, used_at: null, revoked_at,
});

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`migration 0061: revocation on family and grant rows [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    let repo: OAuthRepo;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine, { upTo: '0060-oauth-tokens-without-app-index' }));
      repo = new OAuthRepo(storage.db);
      await repo.createGrant({ id: 'g1', appId: 'app1', userId: 'u1', mode: 'live', permissions: [], vehicleIds: ['v1'] }, 1000);
      await repo.createGrant({ id: 'g2', appId: 'app1', userId: 'u2', mode: 'live', permissions: [], vehicleIds: ['v2'] }, 1000);
      // Before 0061 a revocation marked the token rows.
      await storage.db.insertInto('oauth_tokens').values([token('t1', 'g1', 'fa', 40), token('t2', 'g1', 'fb'), token('t3', 'g2', 'fc')]).execute();
      await migrate(storage);
    });
    afterAll(async () => dispose?.());

    it('tokens revoked on their rows stay revoked; the others stay usable', async () => {
      expect((await repo.findTokenWithGrant('h-t1'))?.token.revoked_at).toBe(40);
      expect((await repo.findTokenWithGrant('h-t2'))?.token.revoked_at).toBeNull();
    });

    it('down marks the token rows of revoked families and grants again, and brings the grant index back', async () => {
      await repo.revokeFamily('fb', 50);
      await repo.revokeGrant('g2', 60);
      await migrateTo(storage, '0060-oauth-tokens-without-app-index');
      const rows = await storage.db.selectFrom('oauth_tokens').select(['id', 'revoked_at']).orderBy('id').execute();
      expect(rows.map((r) => [r.id, r.revoked_at === null ? null : Number(r.revoked_at)])).toEqual([['t1', 40], ['t2', 50], ['t3', 60]]);
      await migrate(storage);
      expect((await repo.findTokenWithGrant('h-t2'))?.token.revoked_at).toBe(50);
    });
  });
}
