import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountsRepo, ConflictError, type Storage } from '../src/index.js';
import { openTestStorage, testEngines } from '../src/testing.js';
import { migrate } from '../src/open.js';

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`storage contract: accounts [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    let repo: AccountsRepo;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      repo = new AccountsRepo(storage.db);
    });
    afterAll(async () => dispose?.());

    it('answers ping and re-running migrations is a no-op', async () => {
      await storage.ping();
      await migrate(storage);
      await migrate(storage);
    });

    it('creates and finds developers; e-mail is unique', async () => {
      const dev = { id: 'd1', email: 'a@example.com', password_hash: null, name: 'A', tos_version: '1', tos_accepted_at: 5, plan: 'free', plan_limits: null, status: 'active', created_at: 1_700_000_000_000 };
      await repo.createDeveloper(dev);
      expect(await repo.findDeveloperByEmail('A@example.com')).toEqual(dev);
      await expect(repo.createDeveloper({ ...dev, id: 'd2' })).rejects.toBeInstanceOf(ConflictError);
      await repo.updateDeveloper('d1', { plan: 'payg' });
      expect((await repo.getDeveloper('d1'))?.plan).toBe('payg');
    });

    it('round-trips apps with JSON columns, updates and soft-deletes them', async () => {
      const app = await repo.createApp({
        id: 'c1', developerId: 'd1', name: 'App', logoUrl: null, clientSecretHash: 'h', amtHash: 'ah', amtEnc: 'enc',
        redirectUris: ['https://a.example/cb', 'http://localhost:8000/cb'], defaultScope: ['read_vin'], mode: 'live', simLatency: null,
      }, 1000);
      expect(await repo.getApp('c1')).toEqual(app);
      expect((await repo.findAppByAmtHash('ah'))?.id).toBe('c1');
      await repo.updateApp('c1', { name: 'Renamed', redirectUris: ['https://b.example/cb'] }, 2000);
      const got = await repo.getApp('c1');
      expect(got?.name).toBe('Renamed');
      expect(got?.redirectUris).toEqual(['https://b.example/cb']);
      expect(got?.updatedAt).toBe(2000);
      expect(await repo.listApps('d1')).toHaveLength(1);
      await expect(repo.createApp({ ...app, amtHash: 'other' }, 1)).rejects.toBeInstanceOf(ConflictError);
      await repo.deleteApp('c1', 3000);
      expect(await repo.getApp('c1')).toBeUndefined();
      expect(await repo.listApps('d1')).toHaveLength(0);
    });

    it('rolls a failed transaction back entirely', async () => {
      await expect(storage.db.transaction().execute(async (trx) => {
        await new AccountsRepo(trx).updateDeveloper('d1', { name: 'changed' });
        throw new Error('boom');
      })).rejects.toThrow('boom');
      expect((await repo.getDeveloper('d1'))?.name).toBe('A');
    });
  });
  if (!engine.url) {
    it.skip(`storage contract on ${engine.name}: skipped, TEST_DATABASE_URL is not set`, () => {});
  }
}
