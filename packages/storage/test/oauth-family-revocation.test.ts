import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { OAuthRepo, type Storage } from '../src/index.js';
import { openTestStorage, testEngines } from '../src/testing.js';

const token = (id: string, grant: string, family: string) => ({
  id, token_hash: `fam-${id}`, kind: 'refresh', grant_id: grant, app_id: 'app1', family_id: family,
  created_at: 1000, expires_at: 9000, used_at: null, revoked_at: null,
});

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`oauth token families [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    let repo: OAuthRepo;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      repo = new OAuthRepo(storage.db);
      await repo.insertTokens([token('a1', 'g1', 'fa'), token('a2', 'g1', 'fa'), token('b1', 'g1', 'fb'), token('c1', 'g2', 'fc')]);
    });
    afterAll(async () => dispose?.());

    const revokedIds = async () => (await storage.db.selectFrom('oauth_tokens').select('id').where('revoked_at', 'is not', null).where('token_hash', 'like', 'fam-%').orderBy('id').execute()).map((r) => r.id);

    it('revokes one family of a grant through the grant, leaving its other families and grants alone', async () => {
      expect(await repo.revokeFamily('fa', 5, 'g1')).toBe(2);
      expect(await revokedIds()).toEqual(['a1', 'a2']);
      expect(await repo.revokeFamily('fa', 6, 'g1')).toBe(0);
    });

    it('still revokes a family named without its grant', async () => {
      expect(await repo.revokeFamily('fc', 7)).toBe(1);
      expect(await revokedIds()).toEqual(['a1', 'a2', 'c1']);
    });

    it('keeps no index of its own for families (one page less written per rotation)', async () => {
      const names = storage.dialect === 'sqlite'
        ? (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'oauth_tokens'`.execute(storage.db)).rows
        : (await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'oauth_tokens' and schemaname = current_schema()`.execute(storage.db)).rows;
      const list = names.map((r) => r.name);
      expect(list).toContain('oauth_tokens_grant_idx');
      expect(list).not.toContain('oauth_tokens_family_idx');
    });
  });
}
