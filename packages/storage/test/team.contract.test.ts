import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountsRepo, ConflictError, TeamRepo, WebRepo, type DeveloperRow, type Storage } from '../src/index.js';
import { openTestStorage, testEngines } from '../src/testing.js';

const dev = (id: string): DeveloperRow => ({ id, email: `${id}@example.com`, name: id, password_hash: 'x', tos_version: null, tos_accepted_at: null, plan: 'free', plan_limits: null, status: 'active', created_at: 0 });
const inviteRow = (id: string, account: string, email: string, role = 'viewer', expires = 10_000) =>
  ({ id, token_hash: `hash-${id}`, account_id: account, email, role, invited_by: account, created_at: 100, expires_at: expires, used_at: null });

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`storage contract: team members and invitations [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    let repo: TeamRepo;
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      repo = new TeamRepo(storage.db);
      const accounts = new AccountsRepo(storage.db);
      for (const id of ['a', 'b', 'c', 'lead']) await accounts.createDeveloper(dev(id));
    });
    afterAll(async () => dispose?.());

    it('an invitation is checked, spent once into a membership, and refused when unknown, used or expired', async () => {
      await repo.createInvite(inviteRow('i1', 'a', 'b@example.com', 'developer'));
      expect(await repo.checkInvite('hash-i1', 9_999)).toMatchObject({ ok: true, invite: { id: 'i1', account_id: 'a', role: 'developer' } });
      expect(await repo.checkInvite('hash-i1', 10_000)).toEqual({ ok: false, reason: 'expired' });
      expect(await repo.checkInvite('nope', 0)).toEqual({ ok: false, reason: 'unknown' });
      expect(await repo.pendingInvites('a', 500)).toHaveLength(1);
      expect(await repo.acceptInvite('hash-i1', 10_000, 'b')).toEqual({ ok: false, reason: 'expired' });
      const joined = await repo.acceptInvite('hash-i1', 600, 'b');
      expect(joined).toMatchObject({ ok: true, invite: { used_at: 600 } });
      expect(await repo.membership('b')).toEqual({ developer_id: 'b', account_id: 'a', role: 'developer', created_at: 600 });
      expect(await repo.acceptInvite('hash-i1', 700, 'c')).toEqual({ ok: false, reason: 'used' });
      expect(await repo.membership('c')).toBeUndefined();
      expect(await repo.pendingInvites('a', 700)).toEqual([]);
    });

    it('a login in another team, or leading one, cannot join; a new login is created with the membership', async () => {
      await repo.createInvite(inviteRow('i2', 'c', 'b@example.com'));
      expect(await repo.acceptInvite('hash-i2', 200, 'b')).toEqual({ ok: false, reason: 'elsewhere' });
      expect(await repo.acceptInvite('hash-i2', 200, 'a')).toEqual({ ok: false, reason: 'elsewhere' }); // a has members
      expect(await repo.checkInvite('hash-i2', 200)).toMatchObject({ ok: true }); // refusals spend nothing
      expect(await repo.acceptInvite('hash-i2', 200, 'n1', dev('n1'))).toMatchObject({ ok: true });
      expect((await new AccountsRepo(storage.db).getDeveloper('n1'))?.email).toBe('n1@example.com');
      expect((await repo.membership('n1'))?.account_id).toBe('c');
      await repo.createInvite(inviteRow('i3', 'c', 'taken@example.com'));
      await expect(repo.acceptInvite('hash-i3', 200, 'n2', { ...dev('n2'), email: 'a@example.com' })).rejects.toBeInstanceOf(ConflictError);
      expect(await repo.checkInvite('hash-i3', 200)).toMatchObject({ ok: true }); // rolled back
      expect(await repo.membership('n2')).toBeUndefined();
    });

    it('a new invitation to the same address replaces the open one; revoking works only in its own account', async () => {
      await repo.createInvite(inviteRow('i4', 'lead', 'x@example.com'));
      await repo.createInvite({ ...inviteRow('i5', 'lead', 'x@example.com', 'owner'), created_at: 200 });
      expect((await repo.pendingInvites('lead', 300)).map((i) => i.id)).toEqual(['i5']);
      expect(await repo.revokeInvite('a', 'i5')).toBe(false);
      expect(await repo.revokeInvite('lead', 'i5')).toBe(true);
      expect(await repo.checkInvite('hash-i5', 300)).toEqual({ ok: false, reason: 'unknown' });
      await repo.createInvite(inviteRow('i7', 'lead', 'z@example.com', 'viewer', 5_000));
      await repo.pruneInvites(5_000);
      expect(await repo.checkInvite('hash-i7', 0)).toMatchObject({ ok: true });
      await repo.pruneInvites(5_001);
      expect(await repo.checkInvite('hash-i7', 0)).toEqual({ ok: false, reason: 'unknown' });
    });

    it('keeps at least one owner: the holder is demoted only after another owner exists; the last owner is neither demoted nor removed', async () => {
      expect(await repo.setRole('a', 'a', 'viewer', 1)).toEqual({ ok: false, reason: 'last-owner' });
      expect(await repo.setRole('a', 'c', 'viewer', 1)).toEqual({ ok: false, reason: 'not-member' });
      expect(await repo.remove('a', 'a')).toEqual({ ok: false, reason: 'holder' });
      expect(await repo.setRole('a', 'b', 'owner', 1)).toEqual({ ok: true });
      expect(await repo.setRole('a', 'a', 'developer', 2)).toEqual({ ok: true });
      expect(await repo.membership('a')).toMatchObject({ account_id: 'a', role: 'developer' });
      expect(await repo.setRole('a', 'b', 'viewer', 3)).toEqual({ ok: false, reason: 'last-owner' });
      expect(await repo.remove('a', 'b')).toEqual({ ok: false, reason: 'last-owner' });
      expect(await repo.setRole('a', 'a', 'owner', 4)).toEqual({ ok: true });
      expect((await repo.members('a')).map((m) => [m.developer_id, m.role])).toEqual([['a', 'owner'], ['b', 'owner']]);
    });

    it('removing a member ends its sessions; dissolving a team drops members and invitations', async () => {
      const web = new WebRepo(storage.db);
      await web.createSession({ id_hash: 'sb', kind: 'developer', subject_id: 'b', data: '{}', created_at: 1, last_seen_at: 1, expires_at: 99_999 });
      expect(await repo.remove('c', 'b')).toEqual({ ok: false, reason: 'not-member' });
      expect(await repo.remove('a', 'b')).toEqual({ ok: true });
      expect(await web.findSession('sb', 'developer', 2)).toBeUndefined();
      expect(await repo.membership('b')).toBeUndefined();
      await repo.createInvite(inviteRow('i6', 'c', 'y@example.com'));
      expect(await repo.dissolve('c')).toEqual(['n1']);
      expect(await repo.membership('n1')).toBeUndefined();
      expect(await repo.pendingInvites('c', 0)).toEqual([]);
    });
  });
  if (!engine.url) {
    it.skip(`storage contract team on ${engine.name}: skipped, TEST_DATABASE_URL is not set`, () => {});
  }
}
