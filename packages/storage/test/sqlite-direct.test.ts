import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { onSqlite } from '../src/sqlite-direct.js';
import { openStorage, type Storage } from '../src/open.js';

describe('onSqlite: synchronous statements on the one SQLite connection', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openStorage('sqlite::memory:');
    await sql`create table t (k text primary key, v integer not null)`.execute(storage.db);
    await sql`insert into t values ('a', 1)`.execute(storage.db);
  });
  afterAll(async () => storage.close());
  const read = () => (storage.sqlite!.prepare("select v from t where k = 'a'").pluck().get() as number);

  it('runs at once when no transaction is open', async () => {
    let ran = false;
    const p = onSqlite(storage.db, storage.sqlite!, () => { ran = true; return read(); });
    expect(ran).toBe(true);
    expect(await p).toBe(1);
  });

  it('never reads inside another caller\'s open transaction: it waits for its commit', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const tx = storage.db.transaction().execute(async (trx) => {
      await sql`update t set v = 2 where k = 'a'`.execute(trx);
      await held;
    });
    // Wait (bounded) until the transaction is open and holds the connection.
    for (let i = 0; i < 100 && !storage.sqlite!.inTransaction; i++) await new Promise((r) => setTimeout(r, 1));
    expect(storage.sqlite!.inTransaction).toBe(true);
    let seen: number | undefined;
    const p = onSqlite(storage.db, storage.sqlite!, () => (seen = read()));
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toBeUndefined();
    release();
    await tx;
    expect(await p).toBe(2);
  });

  it('hands a throw back as a rejection', async () => {
    await expect(onSqlite(storage.db, storage.sqlite!, () => { throw new Error('boom'); })).rejects.toThrow('boom');
  });
});
