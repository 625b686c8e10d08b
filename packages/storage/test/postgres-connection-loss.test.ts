import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../src/index.js';
import { openTestStorage, testEngines } from '../src/testing.js';

const engine = testEngines(process.env).find((e) => e.name === 'postgres')!;

/**
 * PostgreSQL may end an idle session at any time (a restart, a failover, an administrator, a
 * DROP DATABASE … WITH (FORCE)). The pool must drop that connection and carry on, not take the
 * process down with an unhandled 'error' event.
 */
describe.skipIf(!engine.url)('storage survives PostgreSQL ending its idle connections', () => {
  let storage: Storage;
  let dispose: () => Promise<void>;
  beforeAll(async () => ({ storage, dispose } = await openTestStorage(engine)));
  afterAll(async () => dispose?.());

  it('answers the next query after every idle session was terminated', async () => {
    // Hold a few connections at once so the pool keeps several idle ones afterwards.
    const pids = await Promise.all([1, 2, 3].map(async () => (await sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.05)`.execute(storage.db)).rows[0]!.pid));
    const unhandled: unknown[] = [];
    const onUncaught = (err: unknown) => { unhandled.push(err); };
    process.on('uncaughtException', onUncaught);
    try {
      const admin = new pg.Client({ connectionString: engine.url });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ ok: boolean }>('select pg_terminate_backend(pid) as ok from unnest($1::int[]) as pid', [[...new Set(pids)]]);
        expect(rows.length).toBeGreaterThan(0);
      } finally { await admin.end(); }
      // Give the pool's sockets time to see the termination notice.
      await new Promise((r) => setTimeout(r, 300));
      expect(unhandled).toEqual([]);
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(storage.db);
      expect(rows[0]!.one).toBe(1);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
