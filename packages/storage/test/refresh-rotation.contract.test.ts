import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountsRepo, clientApps, OAuthRepo, openStorage, refreshRotation, ROTATION_BATCH_MAX, type RefreshRotation, type RotationRequest, type Storage } from '../src/index.js';
import { openTestStorage, testEngines } from '../src/testing.js';

const GRACE = 60_000;
let seq = 0;

/** A rotation request presenting `hash` for `appId`, replacing it with a fresh pair. */
function request(hash: string, now: number, over: Partial<RotationRequest> = {}): RotationRequest {
  const n = ++seq;
  return {
    hash, appId: 'app1', now, graceMs: GRACE,
    next: { access: { id: `a-${n}`, hash: `ha-${n}`, expiresAt: now + 7200_000 }, refresh: { id: `r-${n}`, hash: `hr-${n}`, expiresAt: now + 1e9 } },
    ...over,
  };
}

const refreshRow = (id: string, over: Record<string, unknown> = {}) => ({
  id, token_hash: `h-${id}`, kind: 'refresh', grant_id: 'g1', app_id: 'app1', family_id: `f-${id}`,
  created_at: 1000, expires_at: 1e12, used_at: null, revoked_at: null, ...over,
});

async function seed(storage: Storage): Promise<OAuthRepo> {
  const repo = new OAuthRepo(storage.db);
  await repo.createGrant({ id: 'g1', appId: 'app1', userId: 'u1', mode: 'live', permissions: ['read_vin'], vehicleIds: ['v1'] }, 1000);
  await repo.createGrant({ id: 'g2', appId: 'app1', userId: 'u2', mode: 'live', permissions: ['read_vin'], vehicleIds: ['v2'] }, 1000);
  return repo;
}

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`storage contract: refresh-token rotation [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    let repo: OAuthRepo;
    let rotation: RefreshRotation;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      repo = await seed(storage);
      rotation = refreshRotation(storage);
    });
    afterAll(async () => dispose?.());

    it('rotates: marks the first use and stores the replacement pair in the same grant and family', async () => {
      await repo.insertTokens([refreshRow('t1')]);
      const req = request('h-t1', 5000);
      expect(await rotation.rotate(req)).toEqual({ kind: 'rotated', grantId: 'g1', familyId: 'f-t1' });
      expect((await repo.findTokenWithGrant('h-t1'))?.token.used_at).toBe(5000);
      const access = (await repo.findTokenWithGrant(req.next.access.hash))?.token;
      const refresh = (await repo.findTokenWithGrant(req.next.refresh.hash))?.token;
      expect(access).toMatchObject({ id: req.next.access.id, kind: 'access', grant_id: 'g1', app_id: 'app1', family_id: 'f-t1', created_at: 5000, expires_at: req.next.access.expiresAt, used_at: null, revoked_at: null });
      expect(refresh).toMatchObject({ id: req.next.refresh.id, kind: 'refresh', family_id: 'f-t1', expires_at: req.next.refresh.expiresAt, used_at: null });
    });

    it('knows no token of another client, no access token and no unknown hash; stores nothing for them', async () => {
      await repo.insertTokens([refreshRow('t2'), refreshRow('t2a', { kind: 'access' })]);
      const reqs = [request('h-t2', 5000, { appId: 'app2' }), request('h-t2a', 5000), request('h-none', 5000)];
      expect(await Promise.all(reqs.map((r) => rotation.rotate(r)))).toEqual([{ kind: 'unknown' }, { kind: 'unknown' }, { kind: 'unknown' }]);
      for (const r of reqs) expect(await repo.findTokenWithGrant(r.next.refresh.hash)).toBeUndefined();
      expect((await repo.findTokenWithGrant('h-t2'))?.token.used_at).toBeNull();
    });

    it('refuses a revoked token, a token of a revoked grant and an expired token, without marking them used', async () => {
      await repo.insertTokens([refreshRow('t3', { revoked_at: 10 }), refreshRow('t4', { grant_id: 'g2' }), refreshRow('t5', { expires_at: 5000 })]);
      await repo.revokeGrant('g2', 20);
      expect(await rotation.rotate(request('h-t3', 5000))).toEqual({ kind: 'revoked' });
      expect(await rotation.rotate(request('h-t4', 5000))).toEqual({ kind: 'revoked' });
      expect(await rotation.rotate(request('h-t5', 5000))).toEqual({ kind: 'expired' });
      expect((await repo.findTokenWithGrant('h-t5'))?.token.used_at).toBeNull();
    });

    it('honours a used token during the grace period; past it, revokes the whole family', async () => {
      await repo.insertTokens([refreshRow('t6')]);
      const first = request('h-t6', 10_000);
      expect((await rotation.rotate(first)).kind).toBe('rotated');
      const retry = request('h-t6', 10_000 + GRACE);
      expect((await rotation.rotate(retry)).kind).toBe('rotated');
      expect((await repo.findTokenWithGrant('h-t6'))?.token.used_at).toBe(10_000);
      const late = request('h-t6', 10_001 + GRACE);
      expect(await rotation.rotate(late)).toEqual({ kind: 'reused', revoked: 1 });
      for (const h of ['h-t6', first.next.access.hash, first.next.refresh.hash, retry.next.refresh.hash]) {
        expect((await repo.findTokenWithGrant(h))?.token.revoked_at).toBe(10_001 + GRACE);
      }
      expect(await repo.findTokenWithGrant(late.next.refresh.hash)).toBeUndefined();
      expect(await rotation.rotate(request(retry.next.refresh.hash, 10_002 + GRACE))).toEqual({ kind: 'revoked' });
    });

    it('decides concurrent uses of one token one after another: one first use, the others inside the grace period', async () => {
      await repo.insertTokens([refreshRow('t7')]);
      const reqs = Array.from({ length: 20 }, (_, i) => request('h-t7', 20_000 + i));
      const outcomes = await Promise.all(reqs.map((r) => rotation.rotate(r)));
      expect(outcomes.every((o) => o.kind === 'rotated')).toBe(true);
      // On SQLite they are decided in order (the first asked is the first use); on PostgreSQL whichever commits first.
      const usedAt = (await repo.findTokenWithGrant('h-t7'))?.token.used_at;
      if (engine.name === 'sqlite') expect(usedAt).toBe(20_000); else expect(usedAt).toBeGreaterThanOrEqual(20_000);
      expect(await storage.db.selectFrom('oauth_tokens').select('id').where('family_id', '=', 'f-t7').execute()).toHaveLength(41);
      // Past the grace period the token revokes the family; then it is simply revoked.
      expect(await rotation.rotate(request('h-t7', 20_100 + GRACE))).toEqual({ kind: 'reused', revoked: 1 });
      for (const t of await storage.db.selectFrom('oauth_tokens').select('token_hash').where('family_id', '=', 'f-t7').execute()) {
        expect((await repo.findTokenWithGrant(t.token_hash))?.token.revoked_at).toBe(20_100 + GRACE);
      }
      expect(await rotation.rotate(request('h-t7', 20_101 + GRACE))).toEqual({ kind: 'revoked' });
    });

    it(`commits more concurrent rotations than one batch holds (${ROTATION_BATCH_MAX}), each exactly once`, async () => {
      const n = ROTATION_BATCH_MAX * 2 + 7;
      await repo.insertTokens(Array.from({ length: n }, (_, i) => refreshRow(`many-${i}`)));
      const reqs = Array.from({ length: n }, (_, i) => request(`h-many-${i}`, 30_000));
      const outcomes = await Promise.all(reqs.map((r) => rotation.rotate(r)));
      expect(outcomes.filter((o) => o.kind === 'rotated')).toHaveLength(n);
      const stored = await storage.db.selectFrom('oauth_tokens').select((eb) => eb.fn.countAll().as('n')).where('family_id', 'like', 'f-many-%').where('created_at', '=', 30_000).executeTakeFirstOrThrow();
      expect(Number(stored.n)).toBe(2 * n);
    });

    it('one rotation that cannot be stored fails alone; the others asked at the same time commit', async () => {
      await repo.insertTokens([refreshRow('t8'), refreshRow('t9'), refreshRow('t10')]);
      const clash = request('h-t9', 40_000);
      clash.next.refresh.hash = 'h-t1'; // already stored: the unique index refuses it
      const reqs = [request('h-t8', 40_000), clash, request('h-t10', 40_000)];
      const settled = await Promise.allSettled(reqs.map((r) => rotation.rotate(r)));
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await repo.findTokenWithGrant(reqs[0]!.next.refresh.hash))?.token.kind).toBe('refresh');
      expect((await repo.findTokenWithGrant(reqs[2]!.next.refresh.hash))?.token.kind).toBe('refresh');
      // On SQLite the failed one left nothing behind; on PostgreSQL its first use stays marked (a retry gets a pair).
      if (engine.name === 'sqlite') {
        expect((await repo.findTokenWithGrant('h-t9'))?.token.used_at).toBeNull();
        expect(await repo.findTokenWithGrant(clash.next.access.hash)).toBeUndefined();
      }
      expect((await rotation.rotate(request('h-t9', 40_001))).kind).toBe('rotated');
    });

    it('client lookup reads the current app: a new secret and a deletion show at once', async () => {
      const accounts = new AccountsRepo(storage.db);
      await accounts.createDeveloper({ id: 'dev1', email: 'dev1@example.com', password_hash: null, name: 'dev', tos_version: null, tos_accepted_at: null, plan: 'free', plan_limits: null, status: 'active', created_at: 0 });
      await accounts.createApp({ id: 'app-c', developerId: 'dev1', name: 'c', logoUrl: null, clientSecretHash: 's1', amtHash: 'amt-c', amtEnc: 'x', redirectUris: ['https://a.example/cb'], defaultScope: ['read_vin'], mode: 'live', simLatency: null }, 0);
      const lookup = clientApps(storage);
      expect(await lookup.getApp('app-c')).toEqual(await accounts.getApp('app-c'));
      await accounts.updateApp('app-c', { clientSecretHash: 's2' }, 1);
      expect((await lookup.getApp('app-c'))?.clientSecretHash).toBe('s2');
      await accounts.deleteApp('app-c', 2);
      expect(await lookup.getApp('app-c')).toBeUndefined();
      expect(await lookup.getApp('app-none')).toBeUndefined();
    });
  });
}

describe('refresh-token rotation on a SQLite file', () => {
  let dir: string;
  let storage: Storage;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opencar-rotation-'));
    storage = await openStorage(`sqlite:${join(dir, 'db.sqlite')}`);
  });
  afterAll(async () => { await storage?.close(); rmSync(dir, { recursive: true, force: true }); });

  it('waits for a transaction open on the connection and is not part of it: its rollback keeps the rotation', async () => {
    const repo = await seed(storage);
    await repo.insertTokens([refreshRow('f1')]);
    const rotation = refreshRotation(storage);
    let rotated: Promise<unknown> | undefined;
    await expect(storage.db.transaction().execute(async (trx) => {
      await trx.updateTable('oauth_grants').set({ revoked_at: 1 }).where('id', '=', 'g1').execute();
      rotated = rotation.rotate(request('h-f1', 5000));
      await new Promise((r) => setTimeout(r, 20));
      throw new Error('roll back');
    })).rejects.toThrow('roll back');
    // Decided after the rollback: the grant's revocation never happened, so the token rotates.
    expect(await rotated).toMatchObject({ kind: 'rotated' });
    expect((await repo.findTokenWithGrant('h-f1'))?.token.used_at).toBe(5000);
    expect((await repo.getGrant('g1'))?.revokedAt).toBeNull();
  });
});

const postgres = testEngines(process.env).find((e) => e.name === 'postgres')!;

describe.skipIf(!postgres.url)('refresh-token rotation across two processes on PostgreSQL', () => {
  let a: Storage;
  let b: Storage;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ storage: a, dispose } = await openTestStorage(postgres));
    // A second server process: its own pool on the same schema.
    b = await openStorage(postgres.url!, { schema: a.schema!, migrate: false });
  });
  afterAll(async () => { await b?.close(); await dispose?.(); });

  it('a revocation or a new client secret made by one process holds at once in the other', async () => {
    const repoA = await seed(a);
    const repoB = new OAuthRepo(b.db);
    await repoA.insertTokens([refreshRow('p1'), refreshRow('p2', { grant_id: 'g2' })]);
    const rotationA = refreshRotation(a);
    const first = request('h-p1', 5000);
    expect((await rotationA.rotate(first)).kind).toBe('rotated');
    // Process B sees process A's rotation, and its reuse past the grace period revokes the family for both.
    expect(await refreshRotation(b).rotate(request('h-p1', 5001 + GRACE))).toEqual({ kind: 'reused', revoked: 1 });
    expect(await rotationA.rotate(request(first.next.refresh.hash, 5002 + GRACE))).toEqual({ kind: 'revoked' });
    // B revokes a grant: A refuses its refresh token on the very next request.
    await repoB.revokeGrant('g2', 6000);
    expect(await rotationA.rotate(request('h-p2', 6001))).toEqual({ kind: 'revoked' });

    const accountsB = new AccountsRepo(b.db);
    await accountsB.createDeveloper({ id: 'dev-p', email: 'dev-p@example.com', password_hash: null, name: 'dev', tos_version: null, tos_accepted_at: null, plan: 'free', plan_limits: null, status: 'active', created_at: 0 });
    await accountsB.createApp({ id: 'app-p', developerId: 'dev-p', name: 'p', logoUrl: null, clientSecretHash: 's1', amtHash: 'amt-p', amtEnc: 'x', redirectUris: ['https://a.example/cb'], defaultScope: [], mode: 'live', simLatency: null }, 0);
    const lookupA = clientApps(a);
    expect((await lookupA.getApp('app-p'))?.clientSecretHash).toBe('s1');
    await accountsB.updateApp('app-p', { clientSecretHash: 's2' }, 1);
    expect((await lookupA.getApp('app-p'))?.clientSecretHash).toBe('s2');
    await accountsB.deleteApp('app-p', 2);
    expect(await lookupA.getApp('app-p')).toBeUndefined();
  });
});
