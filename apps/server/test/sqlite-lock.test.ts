import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseInUseError, openStorage, serverHoldsDatabase } from '@opencar/storage';
import { freePort, spawnServer } from '@opencar/e2e';

const dir = mkdtempSync(join(tmpdir(), 'opencar-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the server entry point to its exit (it should not start) and returns its exit code and stderr. */
function startAndFail(env: Record<string, string>): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], { env: { ...process.env, LOG_LEVEL: 'silent', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d) => { err += d; });
    const limit = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`second server did not exit: ${err}`)); }, 60_000);
    child.on('exit', (code) => { clearTimeout(limit); resolve({ code, err }); });
  });
}

describe('one server process per SQLite file', () => {
  it('a second server on the same file fails at start naming the file; the lock ends with the first, even killed', async () => {
    const db = join(dir, 'opencar.db');
    const env = { DATABASE_URL: `sqlite:${db}`, OPENCAR_DATA_DIR: dir, OPENCAR_SECRET_KEY: 'lock-test-secret-0123456789' };
    const first = await spawnServer(env);
    try {
      const second = await startAndFail({ ...env, PORT: String(await freePort()) });
      expect(second.code).toBe(1);
      expect(second.err).toContain(`the SQLite database ${db} is in use by another opencar server process`);
      expect(second.err).not.toMatch(/\n\s+at /); // a message, not a stack trace
      expect(serverHoldsDatabase(`sqlite:${db}`)).toBe(true);
      // A tool that opens the file directly is refused too when it asks for the lock.
      await expect(openStorage(`sqlite:${db}`, { lock: true })).rejects.toBeInstanceOf(DatabaseInUseError);
      expect((await fetch(`${first.base}/healthz`)).status).toBe(200);
    } finally {
      await first.stop('SIGKILL');
    }
    expect(serverHoldsDatabase(`sqlite:${db}`)).toBe(false);
    const again = await spawnServer(env);
    expect((await fetch(`${again.base}/readyz`)).status).toBe(200);
    await again.stop();
  }, 120_000);

  it('in-memory databases and PostgreSQL take no lock; a free file can be opened with or without it', async () => {
    expect(serverHoldsDatabase('sqlite::memory:')).toBe(false);
    expect(serverHoldsDatabase('postgres://postgres@127.0.0.1:5432/test')).toBe(false);
    const db = `sqlite:${join(dir, 'tool.db')}`;
    const plain = await openStorage(db);
    expect(serverHoldsDatabase(db)).toBe(false);
    await plain.close();
    const locked = await openStorage(db, { lock: true });
    expect(serverHoldsDatabase(db)).toBe(true);
    await locked.close();
    expect(serverHoldsDatabase(db)).toBe(false);
  });
});
