import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountsRepo, CLIENT_APPS_CACHED_MAX, CLIENT_APPS_FOREIGN_CHECK_MS, clientApps, openStorage, type NewApp, type Storage } from '../src/index.js';

const app = (id: string): NewApp => ({
  id, developerId: 'dev1', name: id, logoUrl: null, clientSecretHash: 's1', amtHash: `amt-${id}`, amtEnc: 'x',
  redirectUris: ['https://a.example/cb'], defaultScope: ['read_vin'], mode: 'live', simLatency: null,
});

describe('client lookup on a SQLite file: kept until anything writes to apps', () => {
  let dir: string;
  let storage: Storage;
  let accounts: AccountsRepo;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opencar-client-apps-'));
    storage = await openStorage(`sqlite:${join(dir, 'db.sqlite')}`);
    accounts = new AccountsRepo(storage.db);
    await accounts.createDeveloper({ id: 'dev1', email: 'dev1@example.com', password_hash: null, name: 'dev', tos_version: null, tos_accepted_at: null, plan: 'free', plan_limits: null, status: 'active', created_at: 0 });
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5']) await accounts.createApp(app(id), 0);
  });
  afterAll(async () => { await storage?.close(); rmSync(dir, { recursive: true, force: true }); });

  it('answers a second lookup with the same frozen app, and a changed app after any write on the connection', async () => {
    const lookup = clientApps(storage);
    const first = await lookup.getApp('a1');
    expect(first).toEqual(await accounts.getApp('a1'));
    expect(await lookup.getApp('a1')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first!.redirectUris)).toBe(true);
    // A write to another app empties the cache too: the next answer is read again.
    await accounts.updateApp('a2', { name: 'renamed' }, 1);
    const again = await lookup.getApp('a1');
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
    await accounts.updateApp('a1', { clientSecretHash: 's2' }, 2);
    expect((await lookup.getApp('a1'))?.clientSecretHash).toBe('s2');
    await accounts.deleteApp('a1', 3);
    expect(await lookup.getApp('a1')).toBeUndefined();
  });

  it('every lookup on the connection sees a write: two lookups, one connection', async () => {
    const one = clientApps(storage);
    const two = clientApps(storage);
    expect((await one.getApp('a2'))?.name).toBe('renamed');
    expect((await two.getApp('a2'))?.name).toBe('renamed');
    await accounts.updateApp('a2', { name: 'again' }, 4);
    expect((await one.getApp('a2'))?.name).toBe('again');
    expect((await two.getApp('a2'))?.name).toBe('again');
  });

  it(`sees a commit by another connection (some other tool on the file) within ${CLIENT_APPS_FOREIGN_CHECK_MS} ms`, async () => {
    const lookup = clientApps(storage);
    expect((await lookup.getApp('a3'))?.clientSecretHash).toBe('s1');
    const other = new SqliteDatabase(join(dir, 'db.sqlite'));
    const past = () => new Promise((r) => setTimeout(r, CLIENT_APPS_FOREIGN_CHECK_MS + 20));
    try {
      other.prepare("update apps set client_secret_hash = 's9' where id = 'a3'").run();
      await past();
      expect((await lookup.getApp('a3'))?.clientSecretHash).toBe('s9');
      other.prepare("update apps set deleted_at = 5 where id = 'a3'").run();
      await past();
      expect(await lookup.getApp('a3')).toBeUndefined();
    } finally {
      other.close();
    }
  });

  it('a lookup while a transaction that changes the app is open answers with what it committed; a rollback keeps the old app', async () => {
    const lookup = clientApps(storage);
    expect((await lookup.getApp('a4'))?.clientSecretHash).toBe('s1');
    let during: Promise<unknown> | undefined;
    await storage.db.transaction().execute(async (trx) => {
      await trx.updateTable('apps').set({ client_secret_hash: 's3' }).where('id', '=', 'a4').execute();
      during = lookup.getApp('a4');
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(await during).toMatchObject({ clientSecretHash: 's3' });
    await expect(storage.db.transaction().execute(async (trx) => {
      await trx.updateTable('apps').set({ client_secret_hash: 's4' }).where('id', '=', 'a4').execute();
      during = lookup.getApp('a4');
      await new Promise((r) => setTimeout(r, 20));
      throw new Error('roll back');
    })).rejects.toThrow('roll back');
    expect(await during).toMatchObject({ clientSecretHash: 's3' });
    expect((await lookup.getApp('a4'))?.clientSecretHash).toBe('s3');
  });

  it(`keeps at most ${CLIENT_APPS_CACHED_MAX} apps, then starts over, and never an unknown one`, async () => {
    for (let i = 0; i < CLIENT_APPS_CACHED_MAX; i++) await accounts.createApp(app(`b${i}`), 0);
    const lookup = clientApps(storage);
    const kept = await lookup.getApp('a5');
    for (let i = 0; i < 50; i++) expect(await lookup.getApp(`missing-${i}`)).toBeUndefined();
    for (let i = 0; i < CLIENT_APPS_CACHED_MAX - 1; i++) await lookup.getApp(`b${i}`);
    // Full now (a5 and 999 others; the unknown ids took no room): a5 is still the object kept.
    expect(await lookup.getApp('a5')).toBe(kept);
    await lookup.getApp(`b${CLIENT_APPS_CACHED_MAX - 1}`);
    const reread = await lookup.getApp('a5');
    expect(reread).not.toBe(kept);
    expect(reread).toEqual(kept);
  });
});
