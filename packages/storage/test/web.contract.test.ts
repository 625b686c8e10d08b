import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebRepo, type Storage } from '../src/index.js';
import { openTestStorage, testEngines } from '../src/testing.js';

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`storage contract: web sessions [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    let repo: WebRepo;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      repo = new WebRepo(storage.db);
    });
    afterAll(async () => dispose?.());

    it('finds live sessions by hash and kind, touches, expires and deletes them', async () => {
      await repo.createSession({ id_hash: 'h1', kind: 'developer', subject_id: 'd1', data: '{}', created_at: 1000, last_seen_at: 1000, expires_at: 5000 });
      await repo.createSession({ id_hash: 'h2', kind: 'owner', subject_id: 'u1', data: '{"make":"TESLA"}', created_at: 1000, last_seen_at: 1000, expires_at: 5000 });
      await repo.createSession({ id_hash: 'h3', kind: 'developer', subject_id: 'd1', data: '{}', created_at: 1000, last_seen_at: 1000, expires_at: 5000 });
      expect((await repo.findSession('h1', 'developer', 4999))?.subject_id).toBe('d1');
      expect(await repo.findSession('h1', 'owner', 4999)).toBeUndefined();
      expect(await repo.findSession('h1', 'developer', 5000)).toBeUndefined();
      await repo.touchSession('h1', 4000, 9000);
      expect((await repo.findSession('h1', 'developer', 8000))?.last_seen_at).toBe(4000);
      expect(await repo.deleteSessionsOf('developer', 'd1')).toBe(2);
      expect(await repo.findSession('h2', 'owner', 4000)).toBeDefined();
      await repo.deleteExpiredSessions(6000);
      expect(await repo.findSession('h2', 'owner', 4000)).toBeUndefined();
    });

    it('records an owner deletion once', async () => {
      expect(await repo.ownerDeletedAt('u1')).toBeUndefined();
      await repo.recordOwnerDeletion('u1', 7000);
      await repo.recordOwnerDeletion('u1', 8000);
      expect(await repo.ownerDeletedAt('u1')).toBe(7000);
    });
  });
  if (!engine.url) {
    it.skip(`storage contract web on ${engine.name}: skipped, TEST_DATABASE_URL is not set`, () => {});
  }
}
