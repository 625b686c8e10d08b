import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@opencar/core';
import { openStorage, type Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';
import { MAX_FAILURES, SignInThrottle, WINDOW_MS } from '../src/sign-in-throttle.js';

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`sign-in throttle [${engine.name}]`, () => {
    let storage: Storage;
    /** On PostgreSQL a second connection pool on the same schema, standing in for another server process. */
    let other: Storage;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      other = engine.name === 'postgres' ? await openStorage(engine.url!, { schema: storage.schema }) : storage;
    });
    afterAll(async () => {
      if (other !== storage) await other?.close();
      await dispose?.();
    });

    it('locks a key after MAX_FAILURES within the window and frees it when the window passes', async () => {
      const clock = new ManualClock(1_000_000);
      const t = new SignInThrottle(storage, clock);
      for (let i = 0; i < MAX_FAILURES - 1; i++) await t.recordFailure('a');
      expect(await t.retryAfterMs('a')).toBe(0);
      await t.recordFailure('a');
      expect(await t.retryAfterMs('a')).toBe(WINDOW_MS);
      clock.advance(WINDOW_MS - 1);
      expect(await t.retryAfterMs('a')).toBe(1);
      clock.advance(1);
      expect(await t.retryAfterMs('a')).toBe(0);
    });

    it('a lockout recorded by one process holds in another sharing the database, and a reset lifts it for both', async () => {
      const clock = new ManualClock(5_000_000);
      const a = new SignInThrottle(storage, clock);
      const b = new SignInThrottle(other, clock);
      for (let i = 0; i < MAX_FAILURES; i++) await (i % 2 ? a : b).recordFailure('shared');
      expect(await a.retryAfterMs('shared')).toBeGreaterThan(0);
      expect(await b.retryAfterMs('shared')).toBeGreaterThan(0);
      expect(await b.retryAfterMs('someone-else')).toBe(0);
      await b.reset('shared');
      expect(await a.retryAfterMs('shared')).toBe(0);
    });

    it('deletes failures once they are older than the window', async () => {
      const clock = new ManualClock(9_000_000);
      const t = new SignInThrottle(storage, clock);
      for (let i = 0; i < 3; i++) await t.recordFailure(`old-${i}`);
      clock.advance(WINDOW_MS + 1);
      await t.recordFailure('new');
      const keys = await storage.db.selectFrom('sign_in_failures').select('key').where('at', '>=', 9_000_000).execute();
      expect(keys.map((k) => k.key)).toEqual(['new']);
    });
  });
  if (!engine.url) it.skip(`sign-in throttle on ${engine.name}: skipped, TEST_DATABASE_URL is not set`, () => {});
}
