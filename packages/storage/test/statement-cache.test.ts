import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cacheStatements } from '../src/statement-cache.js';

const opened: SqliteDatabase.Database[] = [];
function memoryDb(): SqliteDatabase.Database {
  const db = new SqliteDatabase(':memory:');
  db.exec('create table t (id integer primary key, name text)');
  db.prepare('insert into t (id, name) values (?, ?), (?, ?), (?, ?)').run(1, 'a', 2, 'b', 3, 'c');
  opened.push(db);
  return db;
}
afterEach(() => { for (const db of opened.splice(0)) if (db.open) db.close(); });

describe('statement cache', () => {
  it('prepares a statement once and hands the same one out for the same SQL text', () => {
    const raw = memoryDb();
    const prepare = vi.spyOn(raw, 'prepare');
    const cache = cacheStatements(raw);
    const first = cache.prepare('select name from t where id = ?');
    expect(cache.prepare('select name from t where id = ?')).toBe(first);
    expect(cache.prepare('select name from t where id = ?').get(2)).toEqual({ name: 'b' });
    expect(prepare).toHaveBeenCalledTimes(1);
    expect(cache.prepare('select id from t where id = ?')).not.toBe(first);
    expect(prepare).toHaveBeenCalledTimes(2);
    expect(cache.size).toBe(2);
  });

  it('drops the least recently used statement when full', () => {
    const raw = memoryDb();
    const cache = cacheStatements(raw, { max: 2 });
    const a = cache.prepare('select 1');
    const b = cache.prepare('select 2');
    expect(cache.prepare('select 1')).toBe(a); // a is now the most recently used
    cache.prepare('select 3'); // evicts b
    expect(cache.size).toBe(2);
    expect(cache.prepare('select 1')).toBe(a);
    const b2 = cache.prepare('select 2'); // evicts 3
    expect(b2).not.toBe(b);
    expect(b2.get()).toEqual({ 2: 2 });
    expect(cache.size).toBe(2);
  });

  it('gives a fresh statement while the cached one is busy with an open iterator, and caches that one', () => {
    const raw = memoryDb();
    const cache = cacheStatements(raw);
    const q = 'select id, name from t order by id';
    const outer = cache.prepare(q);
    const seen: unknown[] = [];
    for (const row of outer.iterate() as IterableIterator<{ id: number }>) {
      expect(outer.busy).toBe(true);
      const inner = cache.prepare(q);
      expect(inner).not.toBe(outer);
      seen.push([row.id, inner.all().length]);
      expect(cache.prepare(q)).toBe(inner); // not busy: the fresh one is reused from then on
    }
    expect(seen).toEqual([[1, 3], [2, 3], [3, 3]]);
    expect(outer.busy).toBe(false);
    expect(cache.size).toBe(1);
  });

  it('an iterator abandoned without being closed does not stop reuse', () => {
    const raw = memoryDb();
    const cache = cacheStatements(raw);
    const it1 = cache.prepare('select id from t').iterate();
    it1.next();
    const second = cache.prepare('select id from t');
    expect(second.all()).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(cache.prepare('select id from t')).toBe(second);
    it1.return?.();
  });

  it('prepares the rewritten text, cached under the original', () => {
    const raw = memoryDb();
    const prepare = vi.spyOn(raw, 'prepare');
    const cache = cacheStatements(raw, { rewrite: (q) => (q === 'begin' ? 'begin immediate' : q) });
    cache.prepare('begin').run();
    expect(raw.inTransaction).toBe(true);
    cache.prepare('commit').run();
    cache.prepare('begin').run();
    cache.prepare('commit').run();
    expect(prepare.mock.calls.map((c) => c[0])).toEqual(['begin immediate', 'commit']);
  });

  it('a cached statement sees a schema change made after it was prepared', () => {
    const raw = memoryDb();
    const cache = cacheStatements(raw);
    expect(cache.prepare('select * from t where id = 1').get()).toEqual({ id: 1, name: 'a' });
    raw.exec("alter table t add column colour text default 'red'");
    expect(cache.prepare('select * from t where id = 1').get()).toEqual({ id: 1, name: 'a', colour: 'red' });
  });

  it('close() closes the connection and empties the cache', () => {
    const raw = memoryDb();
    const cache = cacheStatements(raw);
    cache.prepare('select 1');
    cache.close();
    expect(raw.open).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('Kysely answers the same through the cache as without it', async () => {
    const run = async (db: Kysely<{ t: { id: number; name: string } }>) => {
      const out: unknown[] = [];
      for (let i = 0; i < 3; i++) {
        out.push(await db.selectFrom('t').selectAll().where('id', '>=', 2).orderBy('id').execute());
        out.push(await db.insertInto('t').values({ id: 10 + i, name: `n${i}` }).executeTakeFirst());
        out.push(await db.updateTable('t').set({ name: 'z' }).where('id', '=', 10 + i).executeTakeFirst());
        out.push(await db.transaction().execute(async (trx) => trx.selectFrom('t').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow()));
        const streamed: unknown[] = [];
        for await (const row of db.selectFrom('t').select('id').orderBy('id').stream()) {
          streamed.push(row);
        }
        out.push(streamed);
        out.push((await sql<{ v: number }>`select ${i} + 1 as v`.execute(db)).rows);
      }
      return out;
    };
    const plain = new Kysely<{ t: { id: number; name: string } }>({ dialect: new SqliteDialect({ database: memoryDb() }) });
    const cachedRaw = memoryDb();
    const cached = new Kysely<{ t: { id: number; name: string } }>({ dialect: new SqliteDialect({ database: cacheStatements(cachedRaw) }) });
    const [a, b] = [await run(plain), await run(cached)];
    expect(b).toEqual(a);
    await plain.destroy();
    await cached.destroy();
    expect(cachedRaw.open).toBe(false);
  });
});
