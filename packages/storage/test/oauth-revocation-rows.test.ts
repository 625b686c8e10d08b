import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAuthRepo, refreshRotation, type Storage } from '../src/index.js';
import { openTestStorage, testEngines } from '../src/testing.js';

const token = (id: string, grant: string, app: string, family = `f-${grant}`) => ({
  id, token_hash: `h-${id}`, kind: 'refresh', grant_id: grant, app_id: app, family_id: family,
  created_at: 1000, expires_at: 1e12, used_at: null, revoked_at: null,
});

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`revocation on family and grant rows, not on token rows (migration 0061) [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    let repo: OAuthRepo;
    const revoked = async (...ids: string[]) => Promise.all(ids.map(async (id) => (await repo.findTokenWithGrant(`h-${id}`))?.token.revoked_at));
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      repo = new OAuthRepo(storage.db);
      await repo.createGrant({ id: 'ga1', appId: 'appA', userId: 'u1', mode: 'live', permissions: [], vehicleIds: ['v1'] }, 1000);
      await repo.createGrant({ id: 'ga2', appId: 'appA', userId: 'u2', mode: 'live', permissions: [], vehicleIds: ['v2'] }, 1000);
      await repo.createGrant({ id: 'gb1', appId: 'appB', userId: 'u1', mode: 'live', permissions: [], vehicleIds: ['v1'] }, 1000);
      await repo.insertTokens([
        token('a1', 'ga1', 'appA', 'fa'), token('a2', 'ga1', 'appA', 'fa'), token('a3', 'ga1', 'appA', 'fb'),
        token('a4', 'ga2', 'appA'), token('b1', 'gb1', 'appB'),
      ]);
      // Revoked on its own row, the way revocations were recorded before migration 0061.
      await repo.insertTokens([{ ...token('a0', 'ga2', 'appA'), revoked_at: 50 }]);
    });
    afterAll(async () => dispose?.());

    it('a family is revoked by one row: all its tokens, none of its grant\'s other families; the first revocation stands', async () => {
      expect(await repo.revokeFamily('fa', 5)).toBe(1);
      expect(await revoked('a1', 'a2', 'a3')).toEqual([5, 5, null]);
      expect(await repo.revokeFamily('fa', 6)).toBe(0);
      expect(await revoked('a1')).toEqual([5]);
      // A token minted into a revoked family later (a rotation racing the revocation) is revoked as well.
      await repo.insertTokens([token('a5', 'ga1', 'appA', 'fa')]);
      expect(await revoked('a5')).toEqual([5]);
      const family = await storage.db.selectFrom('oauth_revoked_families').selectAll().execute();
      expect(family.map((f) => [f.family_id, Number(f.revoked_at)])).toEqual([['fa', 5]]);
    });

    it('a revoked family refuses its refresh tokens in the rotation too', async () => {
      const rotation = refreshRotation(storage);
      const next = { access: { id: 'n-a', hash: 'n-a', expiresAt: 1e12 }, refresh: { id: 'n-r', hash: 'n-r', expiresAt: 1e12 } };
      expect(await rotation.rotate({ hash: 'h-a2', appId: 'appA', now: 10, graceMs: 60_000, next })).toEqual({ kind: 'revoked' });
      expect(await repo.findTokenWithGrant('n-r')).toBeUndefined();
      expect(await rotation.rotate({ hash: 'h-a3', appId: 'appA', now: 10, graceMs: 60_000, next })).toMatchObject({ kind: 'rotated' });
    });

    it('revoking an app revokes every token of its grants through the grants, keeps an earlier revocation time, and leaves other apps alone', async () => {
      await repo.revokeApp('appA', 60);
      expect(await revoked('a0', 'a1', 'a3', 'a4', 'b1')).toEqual([50, 5, 60, 60, null]);
      const marked = await storage.db.selectFrom('oauth_tokens').select('id').where('revoked_at', 'is not', null).execute();
      expect(marked.map((r) => r.id)).toEqual(['a0']);
    });

    it('tokens carry their unique keys only: no index on grant, family or app to write on every rotation', async () => {
      const names = storage.dialect === 'sqlite'
        ? (await sql<{ name: string }>`select name from pragma_index_list('oauth_tokens') order by name`.execute(storage.db)).rows
        : (await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'oauth_tokens' and schemaname = current_schema() order by indexname`.execute(storage.db)).rows;
      const list = names.map((r) => r.name);
      expect(list).toHaveLength(2);
      for (const gone of ['oauth_tokens_grant_idx', 'oauth_tokens_family_idx', 'oauth_tokens_app_idx']) expect(list).not.toContain(gone);
    });
  });
}
