import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@opencar/core';
import { OemRepo, openStorage, type Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';
import { OemAuthRejected, OemQuota, OemTokens, VehicleError, type TokenSet } from '../../src/index.js';

/**
 * The framework's shared state on both engines: quota counters and token rotations hold across
 * server processes (on PostgreSQL two separate connections stand for two processes).
 */
const T0 = Date.UTC(2026, 5, 1, 8, 0, 0);
const KEY = 'framework-test-secret-key';

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`OEM framework storage (${engine.name})`, () => {
    let storage: Storage;
    let second: Storage;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      second = engine.name === 'postgres' ? await openStorage(engine.url!, { schema: storage.schema, migrate: false }) : storage;
    });
    afterAll(async () => {
      if (second !== storage) await second.close();
      await dispose();
    });

    it('quota: 30 concurrent reservations from two processes against a budget of 10 admit exactly 10', async () => {
      const clock = new ManualClock(T0);
      const profile = { data: 10, commands: 0, wakes: 0, chargingCommands: 0 };
      const a = new OemQuota(new OemRepo(storage.db), clock, 'q1', profile);
      const b = new OemQuota(new OemRepo(second.db), clock, 'q1', profile);
      const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).reserve('VIN1', ['data'])));
      expect(results.filter((r) => r.status === 'fulfilled').length).toBe(10);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(VehicleError);
      expect(refused.reason.failure).toEqual({ kind: 'upstream_rate_limit', retryAfter: 16 * 3600 });
      expect(await a.usedToday('VIN1', 'data')).toBe(10);
      clock.advance(16 * 3_600_000);
      await a.reserve('VIN1', ['data']);
      expect(await b.usedToday('VIN1', 'data')).toBe(1);
    });

    it('quota: a refund gives the call back; a lock-out refuses everything until it ends', async () => {
      const clock = new ManualClock(T0);
      const q = new OemQuota(new OemRepo(storage.db), clock, 'q2', { data: 2, commands: 0, wakes: 0, chargingCommands: 0 });
      const t = await q.reserve('VIN', ['data']);
      await q.refund(t);
      expect(await q.remaining('VIN', 'data')).toBe(2);
      await q.lockOut('VIN', 120);
      await expect(q.reserve('VIN', ['data'])).rejects.toMatchObject({ failure: { kind: 'upstream_rate_limit', retryAfter: 120 } });
      clock.advance(120_001);
      await q.reserve('VIN', ['data']);
    });

    it('tokens: an expiring token is refreshed exactly once by two processes at the same time, and both use the new one', async () => {
      const clock = new ManualClock(T0);
      let refreshes = 0;
      const refresh = async (rt: string): Promise<TokenSet> => {
        refreshes++;
        await new Promise((r) => setTimeout(r, 50));
        return { accessToken: `access-after-${rt}`, refreshToken: `${rt}+1`, expiresAt: clock.now() + 8 * 3_600_000, scopes: ['openid'] };
      };
      const a = new OemTokens({ repo: new OemRepo(storage.db), clock, secretKey: KEY, refresh, pollMs: 10 });
      const b = new OemTokens({ repo: new OemRepo(second.db), clock, secretKey: KEY, refresh, pollMs: 10 });
      await a.store('acct-1', 'app-1', { accessToken: 'access-0', refreshToken: 'rt-0', expiresAt: T0 + 60_000, scopes: ['openid'] });
      const sessions = await Promise.all([a.session('acct-1', 'app-1'), b.session('acct-1', 'app-1'), a.session('acct-1', 'app-1'), b.session('acct-1', 'app-1')]);
      expect(refreshes).toBe(1);
      expect(new Set(sessions.map((s) => s.accessToken))).toEqual(new Set(['access-after-rt-0']));
      const row = await new OemRepo(storage.db).tokens('acct-1', 'app-1');
      expect(row!.version).toBe(2);
      // Sealed at rest: neither token appears in the stored row.
      expect(JSON.stringify(row)).not.toContain('access-after');
      expect(JSON.stringify(row)).not.toContain('rt-0+1');
      // The next refresh uses the rotated refresh token.
      clock.advance(8 * 3_600_000);
      expect((await b.session('acct-1', 'app-1')).accessToken).toBe('access-after-rt-0+1');
    });

    it('tokens: a refresh token the OEM refuses ends the family: AUTHENTICATION_FAILED until a new sign-in', async () => {
      const clock = new ManualClock(T0);
      let calls = 0;
      const t = new OemTokens({ repo: new OemRepo(storage.db), clock, secretKey: KEY, refresh: async () => { calls++; throw new OemAuthRejected('used'); } });
      await t.store('acct-2', 'app-1', { accessToken: 'a', refreshToken: 'r', expiresAt: T0, scopes: [] });
      await expect(t.session('acct-2', 'app-1')).rejects.toMatchObject({ failure: { kind: 'oem_auth_failed' } });
      await expect(t.session('acct-2', 'app-1')).rejects.toMatchObject({ failure: { kind: 'oem_auth_failed' } });
      expect(calls).toBe(1);
      await t.store('acct-2', 'app-1', { accessToken: 'b', refreshToken: 'r2', expiresAt: T0 + 3_600_000 * 8, scopes: [] });
      expect((await t.session('acct-2', 'app-1')).accessToken).toBe('b');
    });

    it('tokens: a refresh that fails for a transient reason keeps the family and lets the next call retry', async () => {
      const clock = new ManualClock(T0);
      let fail = true;
      const t = new OemTokens({
        repo: new OemRepo(storage.db), clock, secretKey: KEY,
        refresh: async () => { if (fail) throw new VehicleError({ kind: 'timeout' }); return { accessToken: 'ok', refreshToken: 'r2', expiresAt: T0 + 3_600_000, scopes: [] }; },
      });
      await t.store('acct-3', 'app-1', { accessToken: 'a', refreshToken: 'r', expiresAt: T0, scopes: [] });
      await expect(t.session('acct-3', 'app-1')).rejects.toMatchObject({ failure: { kind: 'timeout' } });
      fail = false;
      expect((await t.session('acct-3', 'app-1')).accessToken).toBe('ok');
    });

    it('tokens: each app holds its own family; removing one leaves the other', async () => {
      const clock = new ManualClock(T0);
      const t = new OemTokens({ repo: new OemRepo(storage.db), clock, secretKey: KEY, refresh: async () => { throw new Error('unused'); } });
      await t.store('acct-4', 'app-a', { accessToken: 'A', refreshToken: 'ra', expiresAt: T0 + 3_600_000, scopes: [] });
      await t.store('acct-4', 'app-b', { accessToken: 'B', refreshToken: 'rb', expiresAt: T0 + 3_600_000, scopes: [] });
      await t.remove('acct-4', 'app-a');
      await expect(t.session('acct-4', 'app-a')).rejects.toMatchObject({ failure: { kind: 'oem_auth_failed' } });
      expect((await t.session('acct-4', 'app-b')).accessToken).toBe('B');
    });
  });
}
