import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAuthRepo, type Storage } from '../src/index.js';
import { openTestStorage, testEngines } from '../src/testing.js';

const token = (id: string, grant: string, app: string) => ({
  id, token_hash: `h-${id}`, kind: 'refresh', grant_id: grant, app_id: app, family_id: `f-${grant}`,
  created_at: 1000, expires_at: 9000, used_at: null, revoked_at: null,
});

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`revoking an app's tokens through its grants (migration 0060) [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    let repo: OAuthRepo;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      repo = new OAuthRepo(storage.db);
      await repo.createGrant({ id: 'ga1', appId: 'appA', userId: 'u1', mode: 'live', permissions: [], vehicleIds: ['v1'] }, 1000);
      await repo.createGrant({ id: 'ga2', appId: 'appA', userId: 'u2', mode: 'live', permissions: [], vehicleIds: ['v2'] }, 1000);
      await repo.createGrant({ id: 'gb1', appId: 'appB', userId: 'u1', mode: 'live', permissions: [], vehicleIds: ['v1'] }, 1000);
      await repo.insertTokens([token('a1', 'ga1', 'appA'), token('a2', 'ga2', 'appA'), token('a3', 'ga2', 'appA'), token('b1', 'gb1', 'appB')]);
      await repo.insertTokens([{ ...token('a0', 'ga1', 'appA'), revoked_at: 500 }]);
    });
    afterAll(async () => dispose?.());

    it('revokes every token of every grant of the app, keeps an earlier revocation time, and leaves other apps alone', async () => {
      await repo.revokeApp('appA', 60);
      const rows = await storage.db.selectFrom('oauth_tokens').select(['id', 'revoked_at']).orderBy('id').execute();
      expect(rows.map((r) => [r.id, r.revoked_at === null ? null : Number(r.revoked_at)])).toEqual([['a0', 500], ['a1', 60], ['a2', 60], ['a3', 60], ['b1', null]]);
      expect((await repo.findTokenWithGrant('h-b1'))?.token.revoked_at).toBeNull();
    });

    it.skipIf(engine.name !== 'sqlite')('on SQLite: tokens carry the unique keys and the grant\'s index only, and the revocation reads through them', async () => {
      const raw = storage.sqlite!;
      const names = (raw.prepare("select name from pragma_index_list('oauth_tokens') order by name").pluck().all() as string[]);
      expect(names).toEqual(['oauth_tokens_grant_idx', 'sqlite_autoindex_oauth_tokens_1', 'sqlite_autoindex_oauth_tokens_2']);
      const plan = (raw.prepare("explain query plan update oauth_tokens set revoked_at = 1 where grant_id in (select id from oauth_grants where app_id = 'appA') and revoked_at is null").all() as { detail: string }[]).map((p) => p.detail).join('; ');
      expect(plan).toContain('oauth_tokens_grant_idx');
      expect(plan).not.toMatch(/SCAN oauth_tokens\b/);
    });
  });
}
