import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Checkpointer, type CheckpointStats } from '../src/checkpointer.js';

const dirs: string[] = [];
const open: Array<{ db: SqliteDatabase.Database; cp?: Checkpointer }> = [];
afterEach(async () => {
  for (const { db, cp } of open.splice(0)) { await cp?.close(); if (db.open) db.close(); }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fileDb(): { db: SqliteDatabase.Database; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'opencar-checkpointer-'));
  dirs.push(dir);
  const path = join(dir, 'test.db');
  const db = new SqliteDatabase(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec('create table t (id integer primary key, body text)');
  open.push({ db });
  return { db, path };
}
const start = (db: SqliteDatabase.Database, path: string, opts = {}) => {
  const cp = new Checkpointer(db, path, opts);
  open[open.length - 1]!.cp = cp;
  return cp;
};
// 4 × the 64 MiB truncate limit, in 4 KiB pages.
const BACKSTOP_PAGES = (4 * 64 * 1024 * 1024) / 4096;
const autocheckpoint = (db: SqliteDatabase.Database) => db.pragma('wal_autocheckpoint', { simple: true });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cp: Checkpointer, ok: (s: CheckpointStats) => boolean): Promise<CheckpointStats> {
  for (let i = 0; i < 200; i++) {
    const s = await cp.stats();
    if (!s) throw new Error('checkpoint thread ended');
    if (ok(s)) return s;
    await sleep(10);
  }
  throw new Error(`condition not met: ${JSON.stringify(await cp.stats())}`);
}
/** Single-row commits in 10 ms bursts, 1 ms apart, for `ms`; the rows written and the largest WAL seen between bursts. */
async function writeFor(db: SqliteDatabase.Database, path: string, ms: number): Promise<{ rows: number; largest: number }> {
  const stmt = db.prepare('insert into t (body) values (?)');
  const body = 'x'.repeat(2000);
  let rows = 0;
  let largest = 0;
  for (const end = Date.now() + ms; Date.now() < end; await sleep(1)) {
    for (const burst = Date.now() + 10; Date.now() < burst;) {
      for (let i = 0; i < 20; i++, rows++) stmt.run(body);
    }
    largest = Math.max(largest, statSync(`${path}-wal`).size);
  }
  return { rows, largest };
}
const insert = (db: SqliteDatabase.Database, n: number, from = 0) => {
  const stmt = db.prepare('insert into t (id, body) values (?, ?)');
  for (let i = from; i < from + n; i++) stmt.run(i, 'x'.repeat(2000));
};

describe('WAL checkpoint thread', () => {
  it('raises the main connection\'s autocheckpoint to a backstop and checkpoints the commits itself (PASSIVE)', async () => {
    const { db, path } = fileDb();
    expect(autocheckpoint(db)).toBe(1000);
    const cp = start(db, path);
    expect(autocheckpoint(db)).toBe(BACKSTOP_PAGES);
    insert(db, 300);
    const s = await until(cp, (x) => x.passive > 0 && x.log > 0 && x.checkpointed === x.log);
    expect(s.truncate).toBe(0);
    // Fully checkpointed, so the next commit starts the WAL over from its beginning.
    insert(db, 1, 1000);
    await until(cp, (x) => x.log < s.log && x.checkpointed === x.log);
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 301 });
    expect(cp.alive).toBe(true);
  });

  it('does nothing while no connection commits', async () => {
    const { db, path } = fileDb();
    const cp = start(db, path);
    insert(db, 10);
    const s = await until(cp, (x) => x.passive > 0 && x.checkpointed === x.log);
    await sleep(150);
    expect((await cp.stats())?.passive).toBe(s.passive);
  });

  it('looks for commits every 20 ms while there are some, a few times a second once there are none', async () => {
    const { db, path } = fileDb();
    const cp = start(db, path);
    insert(db, 10);
    await until(cp, (x) => x.passive > 0);
    await sleep(400);
    const idle = (await cp.stats())!.rounds;
    await sleep(1000);
    expect((await cp.stats())!.rounds - idle).toBeLessThanOrEqual(5);
    // A commit brings the thread back within its longest wait, and to its short round.
    insert(db, 1, 100);
    const s = await until(cp, (x) => x.passive > 1);
    await sleep(100);
    expect((await cp.stats())!.rounds - s.rounds).toBeGreaterThanOrEqual(2);
  });

  it('a WAL held back past the limit by a reader is started over, then emptied once commits pause', async () => {
    const { db, path } = fileDb();
    // A reader holding an old snapshot keeps the WAL from being copied and reused, so it grows.
    const reader = new SqliteDatabase(path);
    const cp = start(db, path, { truncateBytes: 256 * 1024 });
    reader.exec('begin');
    reader.prepare('select count(*) from t').get();
    insert(db, 300);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(256 * 1024);
    await until(cp, (x) => x.passive > 0 && x.checkpointed < x.log);
    expect((await cp.stats())?.truncate).toBe(0);
    reader.exec('commit');
    reader.close();
    const s = await until(cp, (x) => x.truncate > 0 && statSync(`${path}-wal`).size === 0);
    expect(s.restart).toBeGreaterThan(0);
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 300 });
  });

  it('a reader in the way of RESTART or TRUNCATE makes the thread try them less and less often', async () => {
    const { db, path } = fileDb();
    const cp = start(db, path, { truncateBytes: 256 * 1024 });
    insert(db, 300);
    // A reader on the newest snapshot lets PASSIVE copy everything but keeps RESTART and TRUNCATE waiting.
    const reader = new SqliteDatabase(path);
    reader.exec('begin');
    reader.prepare('select count(*) from t').get();
    await until(cp, (x) => x.busy > 0);
    await sleep(1000);
    // Tried every round (20 ms), that would be about 50 attempts; backing off 100, 200, 400 ms…, about 4.
    const s = (await cp.stats())!;
    expect(s.restart + s.truncate).toBeGreaterThan(1);
    expect(s.restart + s.truncate).toBeLessThan(10);
    reader.exec('commit');
    reader.close();
    await until(cp, (x) => x.truncate > 0 && statSync(`${path}-wal`).size === 0);
  });

  it('commits that keep coming (10 ms bursts, 1 ms apart): the WAL stays far smaller than what was written', async () => {
    const { db, path } = fileDb();
    const cp = start(db, path, { truncateBytes: 512 * 1024 });
    await until(cp, () => true);
    const { rows, largest } = await writeFor(db, path, 1500);
    const s = (await cp.stats())!;
    // Every commit appends at least one 4 KiB page to the WAL: unchecked, it would hold them all (about 1.4 pages
    // a row here). The thread's RESTARTs and, when it falls behind (a loaded machine), the main connection's own
    // checkpoints at the 2 MiB backstop kept it at 0.05–0.09 of that on a 2-core machine, under load as well.
    expect(largest).toBeLessThan(rows * 4096 * 0.25);
    expect(s.passive).toBeGreaterThan(0);
  });

  it('a thread that falls behind leaves the WAL to the main connection\'s backstop', async () => {
    const { db, path } = fileDb();
    // The first look comes after a minute: within the test, the thread never checkpoints.
    const cp = start(db, path, { intervalMs: 60_000, truncateBytes: 256 * 1024 });
    expect(autocheckpoint(db)).toBe(256);
    // 3,000 single-row commits, about 4,200 pages: unchecked, a WAL of some 17 MiB.
    const stmt = db.prepare('insert into t (body) values (?)');
    let largest = 0;
    for (let i = 0; i < 3000; i++) {
      stmt.run('x'.repeat(2000));
      if (i % 10 === 0) largest = Math.max(largest, statSync(`${path}-wal`).size);
    }
    expect((await cp.stats())!.passive).toBe(0);
    expect(largest).toBeGreaterThan(512 * 1024);
    expect(largest).toBeLessThan(2 * 1024 * 1024);
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 3000 });
  });

  it('returns the main connection to wal_autocheckpoint=1000 when the thread dies', async () => {
    const { db, path } = fileDb();
    const cp = start(db, path);
    expect(autocheckpoint(db)).toBe(BACKSTOP_PAGES);
    await until(cp, () => true);
    await cp.thread.terminate();
    await sleep(10);
    expect(cp.alive).toBe(false);
    expect(autocheckpoint(db)).toBe(1000);
    expect(await cp.stats()).toBeUndefined();
    await cp.close(); // no-op once ended
  });

  it('falls back as well when the thread cannot open the database', async () => {
    const { db, path } = fileDb();
    const warned = new Promise<Error>((r) => process.once('warning', r));
    const cp = start(db, `${path}.missing`, { fallbackAutocheckpoint: 500 });
    expect(autocheckpoint(db)).toBe(BACKSTOP_PAGES);
    expect(await cp.stats()).toBeUndefined();
    expect((await warned).message).toMatch(/checkpoint thread of .*\.missing ended \(unable to open database file \(SQLITE_CANTOPEN\)\).*wal_autocheckpoint=500/);
    expect(cp.alive).toBe(false);
    expect(autocheckpoint(db)).toBe(500);
  });

  it('close() ends the thread after closing its connection; the main connection then checkpoints by itself', async () => {
    const { db, path } = fileDb();
    const cp = start(db, path);
    insert(db, 5);
    await cp.close();
    expect(cp.alive).toBe(false);
    expect(autocheckpoint(db)).toBe(1000);
    insert(db, 5, 5);
    db.close();
    // The main connection was the last one: closing it checkpointed and removed the WAL.
    expect(() => statSync(`${path}-wal`)).toThrow();
  });
});
