import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../src/open.js';

const dirs: string[] = [];
const opened: Storage[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'opencar-open-sqlite-'));
  dirs.push(dir);
  return dir;
};
const open = async (url: string) => {
  const s = await openStorage(url);
  opened.push(s);
  return s;
};

describe('openStorage on SQLite: statement cache and checkpoint thread', () => {
  it('a file gets a checkpoint thread and a main connection that checkpoints by itself only past the 256 MiB backstop', async () => {
    const s = await open(`sqlite:${join(tempDir(), 'a.db')}`);
    expect(s.checkpointer?.alive).toBe(true);
    expect(s.sqlite?.pragma('wal_autocheckpoint', { simple: true })).toBe((256 * 1024 * 1024) / 4096);
    await sql`create table scratch (x integer)`.execute(s.db);
    for (let i = 0; i < 50; i++) await sql`insert into scratch (x) values (${i})`.execute(s.db);
    expect((await sql<{ n: number }>`select count(*) as n from scratch`.execute(s.db)).rows).toEqual([{ n: 50 }]);
    const stats = await s.checkpointer?.stats();
    expect(stats?.truncate).toBe(0);
  });

  it('an in-memory database has no checkpoint thread', async () => {
    const s = await open('sqlite::memory:');
    expect(s.checkpointer).toBeUndefined();
    await s.ping();
  });

  it('transactions on a file begin immediate (through the statement cache)', async () => {
    const s = await open(`sqlite:${join(tempDir(), 'b.db')}`);
    const sqlite = s.sqlite!;
    // A second connection holding the write lock makes an IMMEDIATE begin wait: busy at once with a 0 timeout.
    sqlite.pragma('busy_timeout = 0');
    const { default: SqliteDatabase } = await import('better-sqlite3');
    const other = new SqliteDatabase(sqlite.name);
    other.exec('begin immediate');
    try {
      await expect(s.db.transaction().execute(async () => undefined)).rejects.toThrow(/SQLITE_BUSY|locked/);
    } finally {
      other.exec('rollback');
      other.close();
    }
    await s.db.transaction().execute(async (trx) => { await trx.selectFrom('operators').selectAll().execute(); });
  });

  for (const close of [true, false]) {
    it(`a process that opens a file ${close ? 'and closes it' : 'and never closes it'} exits 0 at once`, () => {
      const dir = tempDir();
      const script = join(dir, 'run.mts');
      const openTs = pathToFileURL(resolve(import.meta.dirname, '../src/open.ts')).href;
      writeFileSync(script, [
        `import { openStorage } from ${JSON.stringify(openTs)};`,
        `const s = await openStorage(${JSON.stringify(`sqlite:${join(dir, 'c.db')}`)});`,
        'await s.ping();',
        close ? 'await s.close();' : '',
        `process.stdout.write(s.checkpointer?.alive === ${!close} ? 'ok' : 'thread state wrong');`,
      ].join('\n'));
      const started = Date.now();
      const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: resolve(import.meta.dirname, '../../..'), encoding: 'utf8', timeout: 20_000 });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('ok');
      expect(r.status).toBe(0);
      expect(Date.now() - started).toBeLessThan(15_000);
    });
  }
});
