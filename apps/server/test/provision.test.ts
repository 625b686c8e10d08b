import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ManualClock, loadConfig, sha256, decryptSecret } from '@opencar/core';
import { AccountsRepo, openStorage, type Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';
import { provision } from '../src/provision.js';

const log = pino({ level: 'silent' });
const SEED = {
  OPENCAR_SEED_CLIENT_ID: 'seed-client', OPENCAR_SEED_CLIENT_SECRET: 'seed-secret', OPENCAR_SEED_AMT: 'seed-amt',
  OPENCAR_SEED_REDIRECT_URIS: 'https://app.example/cb http://localhost:8000/cb', OPENCAR_SECRET_KEY: 'provision-key-0123456789',
};

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`seed provisioning [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    beforeAll(async () => { ({ storage, dispose } = await openTestStorage(engine)); });
    afterAll(async () => dispose?.());

    it('leaves exactly one app with the seeded credentials after repeated starts', async () => {
      const config = loadConfig({ ...SEED, DATABASE_URL: 'sqlite::memory:' });
      const clock = new ManualClock();
      for (let i = 0; i < 3; i++) await provision(config, storage, clock, SEED.OPENCAR_SECRET_KEY, log);
      const repo = new AccountsRepo(storage.db);
      const dev = await repo.findDeveloperByEmail('seed@opencar.local');
      const apps = await repo.listApps(dev!.id);
      expect(apps).toHaveLength(1);
      expect(apps[0]).toMatchObject({ id: 'seed-client', clientSecretHash: sha256('seed-secret'), amtHash: sha256('seed-amt'), redirectUris: ['https://app.example/cb', 'http://localhost:8000/cb'] });
      expect(decryptSecret(SEED.OPENCAR_SECRET_KEY, apps[0]!.amtEnc)).toBe('seed-amt');
    });

    it('updates credentials in place when the seed variables change', async () => {
      const config = loadConfig({ ...SEED, OPENCAR_SEED_CLIENT_SECRET: 'rotated', DATABASE_URL: 'sqlite::memory:' });
      await provision(config, storage, new ManualClock(), SEED.OPENCAR_SECRET_KEY, log);
      const repo = new AccountsRepo(storage.db);
      expect((await repo.getApp('seed-client'))?.clientSecretHash).toBe(sha256('rotated'));
      expect(await repo.listApps((await repo.findDeveloperByEmail('seed@opencar.local'))!.id)).toHaveLength(1);
    });

    it('survives two processes seeding at the same moment', async () => {
      const config = loadConfig({ ...SEED, OPENCAR_SEED_CLIENT_ID: 'race-client', OPENCAR_SEED_AMT: 'race-amt', DATABASE_URL: 'sqlite::memory:' });
      await Promise.all([0, 1].map(() => provision(config, storage, new ManualClock(), SEED.OPENCAR_SECRET_KEY, log)));
      expect(await new AccountsRepo(storage.db).getApp('race-client')).toBeDefined();
    });
  });
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('migrations on PostgreSQL', () => {
  it('are safe when several processes start at once on the same database', async () => {
    const url = process.env.TEST_DATABASE_URL!;
    const schema = `t_mig_${Date.now().toString(36)}`;
    const opened = await Promise.all([0, 1, 2, 3].map(() => openStorage(url, { schema })));
    try {
      for (const s of opened) await s.ping();
      const rows = await opened[0]!.db.selectFrom('developers').selectAll().execute();
      expect(rows).toEqual([]);
    } finally {
      await opened[0]!.db.schema.dropSchema(schema).cascade().execute();
      await Promise.all(opened.map((s) => s.close()));
    }
  });
});

describe('demo provisioning', () => {
  it('creates a demo developer and app with printable credentials', async () => {
    const storage = await openStorage('sqlite::memory:');
    const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', OPENCAR_SECRET_KEY: SEED.OPENCAR_SECRET_KEY });
    const c = await provision(config, storage, new ManualClock(), SEED.OPENCAR_SECRET_KEY, log);
    expect(c.kind).toBe('demo');
    const app = await new AccountsRepo(storage.db).getApp(c.clientId);
    expect(app?.clientSecretHash).toBe(sha256(c.clientSecret!));
    expect(app?.amtHash).toBe(sha256(c.amt!));
    await storage.close();
  });
});
