import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialThrottle, ManualClock, PASSWORD_POLICY, SECRET_POLICY, type ThrottlePolicy } from '@opencar/core';
import { CredentialFailuresRepo, openStorage, type Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';

const WINDOW = PASSWORD_POLICY.credential.windowMs;
const wrong = async (): Promise<string | undefined> => undefined;
const right = async () => 'ok';

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`credential throttle [${engine.name}]`, () => {
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
    const throttle = (s: Storage, clock: ManualClock) => new CredentialThrottle(new CredentialFailuresRepo(s.db), clock);

    for (const [name, policy] of [['password', PASSWORD_POLICY], ['secret', SECRET_POLICY]] as [string, ThrottlePolicy][]) {
      it(`${name}: locks a credential after its limit of failures from one address until the window passes`, async () => {
        const clock = new ManualClock(1_000_000);
        const t = throttle(storage, clock);
        const a = { kind: `k-${name}`, credential: 'victim', address: '203.0.113.7' };
        for (let i = 0; i < policy.credential.limit; i++) expect(await t.guard(a, policy, wrong)).toEqual({ ok: false, retryAfterMs: 0 });
        expect(await t.guard(a, policy, right)).toEqual({ ok: false, retryAfterMs: policy.credential.windowMs });
        clock.advance(policy.credential.windowMs - 1);
        expect(await t.guard(a, policy, right)).toEqual({ ok: false, retryAfterMs: 1 });
        clock.advance(1);
        expect(await t.guard(a, policy, right)).toEqual({ ok: true, value: 'ok' });
      });

      it(`${name}: the owner who never guessed gets in while the credential is locked; each guessing address gets one try`, async () => {
        const clock = new ManualClock(50_000_000);
        const t = throttle(storage, clock);
        const kind = `own-${name}`;
        for (let i = 0; i < policy.credential.limit; i++) await t.guard({ kind, credential: 'acct', address: `198.51.100.${i}` }, policy, wrong);
        expect(await t.guard({ kind, credential: 'acct', address: '192.0.2.1' }, policy, right)).toEqual({ ok: true, value: 'ok' });
        const fresh = { kind, credential: 'acct', address: '198.51.100.200' };
        expect(await t.guard(fresh, policy, wrong)).toEqual({ ok: false, retryAfterMs: 0 });
        expect((await t.guard(fresh, policy, right)).ok).toBe(false);
      });

      it(`${name}: one address guessing many credentials is locked by its own limit`, async () => {
        const clock = new ManualClock(90_000_000);
        const t = throttle(storage, clock);
        const kind = `spray-${name}`;
        for (let i = 0; i < policy.address.limit; i++) expect((await t.guard({ kind, credential: `user-${i}`, address: '203.0.113.9' }, policy, wrong)).ok).toBe(false);
        const next = await t.guard({ kind, credential: 'someone-else', address: '203.0.113.9' }, policy, right);
        expect(next).toEqual({ ok: false, retryAfterMs: policy.address.windowMs });
        expect(await t.guard({ kind, credential: 'someone-else', address: '203.0.113.10' }, policy, right)).toEqual({ ok: true, value: 'ok' });
      });
    }

    it('a successful check writes nothing; only failures are stored', async () => {
      const clock = new ManualClock(130_000_000);
      const t = throttle(storage, clock);
      const count = async () => Number((await storage.db.selectFrom('credential_failures').select((eb) => eb.fn.countAll().as('n')).where('key', 'like', 'quiet:%').executeTakeFirstOrThrow()).n);
      const before = await count();
      for (let i = 0; i < 20; i++) await t.guard({ kind: 'quiet', credential: 'app', address: '192.0.2.5' }, SECRET_POLICY, right);
      for (let i = 0; i < 20; i++) await t.guard({ kind: 'quiet', credential: 'app', address: '192.0.2.5' }, PASSWORD_POLICY, right);
      expect(await count()).toBe(before);
      await t.guard({ kind: 'quiet', credential: 'app', address: '192.0.2.5' }, SECRET_POLICY, wrong);
      expect(await count()).toBe(before + 3);
    });

    it('a lock recorded by one process holds in another sharing the database', async () => {
      const clock = new ManualClock(170_000_000);
      const a = throttle(storage, clock);
      const b = throttle(other, clock);
      const attempt = { kind: 'shared', credential: 'victim', address: '203.0.113.50' };
      for (let i = 0; i < PASSWORD_POLICY.credential.limit; i++) await (i % 2 ? a : b).guard(attempt, PASSWORD_POLICY, wrong);
      expect(await a.retryAfterMs(attempt, PASSWORD_POLICY)).toBeGreaterThan(0);
      expect(await b.retryAfterMs(attempt, PASSWORD_POLICY)).toBeGreaterThan(0);
      // A secret's lock reaches another process at that process's first failed check.
      const secret = { kind: 'shared-secret', credential: 'app', address: '203.0.113.51' };
      for (let i = 0; i < SECRET_POLICY.credential.limit; i++) await a.guard(secret, SECRET_POLICY, wrong);
      expect(await b.guard(secret, SECRET_POLICY, wrong)).toEqual({ ok: false, retryAfterMs: 0 });
      expect((await b.guard(secret, SECRET_POLICY, right)).ok).toBe(false);
    });

    it('deletes failures once they are older than the longest window', async () => {
      const clock = new ManualClock(9_000_000_000);
      const t = throttle(storage, clock);
      for (let i = 0; i < 3; i++) await t.guard({ kind: 'old', address: `a-${i}` }, PASSWORD_POLICY, wrong);
      clock.advance(WINDOW + 1);
      await t.guard({ kind: 'new', address: 'b' }, PASSWORD_POLICY, wrong);
      const keys = await storage.db.selectFrom('credential_failures').select('key').where('at', '>=', 9_000_000_000).execute();
      expect(keys.map((k) => k.key)).toEqual(['new:addr:b']);
    });
  });
  if (!engine.url) it.skip(`credential throttle on ${engine.name}: skipped, TEST_DATABASE_URL is not set`, () => {});
}
