import { hashPassword, randomToken, sha256, uuid } from '@opencar/core';
import { AccountsRepo, ConflictError, TeamRepo, isTeamRole, type DeveloperRow, type InviteRefusal, type JoinRefusal, type TeamInviteRow, type TeamRefusal, type TeamRole } from '@opencar/storage';
import type { WebDeps } from '../deps.js';
import type { Mailer } from './mailer.js';
import { MIN_PASSWORD, TOS_VERSION } from './developers.js';

/** How long an invitation link works. */
export const INVITE_TTL_MS = 7 * 24 * 3_600_000;
/** Open invitations an account may have at once. */
export const MAX_PENDING_INVITES = 50;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What a role may do, lowest first: a role may do everything a lower one may. */
const RANK: Record<TeamRole, number> = { viewer: 0, developer: 1, owner: 2 };
export const roleAllows = (role: TeamRole, needed: TeamRole) => RANK[role] >= RANK[needed];

/** Who is signed in, the account whose data they work on, and their role there. */
export interface Access { actor: DeveloperRow; account: DeveloperRow; role: TeamRole }

export interface TeamMember { developer: DeveloperRow; role: TeamRole; holder: boolean; since: number }

export type InviteProblem = 'email' | 'role' | 'member' | 'limit';
export type ComposeInviteMail = (link: string, days: number) => { subject: string; text: string };
/** What the invitation page offers: a new login (set a password) or accepting with the existing one. */
export type InviteView = { ok: true; invite: TeamInviteRow; account: DeveloperRow; existing: boolean } | { ok: false; reason: InviteRefusal };
export type AcceptProblem = JoinRefusal | 'password' | 'name' | 'tos' | 'credentials';
/** Checks an existing login's password (the route wraps it in the sign-in throttle). */
export type VerifyLogin = (email: string, password: string) => Promise<DeveloperRow | undefined>;

/**
 * Team members of developer accounts. The owner invites by e-mail with a role: the mail (through the
 * outbox and SMTP) carries a single-use link valid INVITE_TTL_MS whose token is stored as sha256 only.
 * The invitee sets a password (a new login) or confirms the password of their existing login; the
 * login then works in the account with that role. Owners change roles and remove members; an account
 * always keeps an owner.
 */
export class Team {
  private readonly repo: TeamRepo;
  private readonly accounts: AccountsRepo;

  constructor(private readonly deps: WebDeps, private readonly mailer: Mailer) {
    this.repo = new TeamRepo(deps.storage.db);
    this.accounts = new AccountsRepo(deps.storage.db);
  }

  /** The access of a signed-in login; undefined when the login or the account it works in cannot be used. */
  async access(actor: DeveloperRow): Promise<Access | undefined> {
    const m = await this.repo.membership(actor.id);
    if (!m) return { actor, account: actor, role: 'owner' };
    const account = m.account_id === actor.id ? actor : await this.accounts.getDeveloper(m.account_id);
    if (!account || account.status === 'terminated' || !isTeamRole(m.role)) return undefined;
    return { actor, account, role: m.role };
  }

  /** The holder (first) and every member of the account with their roles. */
  async members(account: DeveloperRow): Promise<TeamMember[]> {
    const rows = await this.repo.members(account.id);
    const holderRow = rows.find((r) => r.developer_id === account.id);
    const out: TeamMember[] = [{ developer: account, role: holderRow && isTeamRole(holderRow.role) ? holderRow.role : 'owner', holder: true, since: account.created_at }];
    for (const r of rows) {
      if (r.developer_id === account.id || !isTeamRole(r.role)) continue;
      const d = await this.accounts.getDeveloper(r.developer_id);
      if (d) out.push({ developer: d, role: r.role, holder: false, since: r.created_at });
    }
    return out;
  }

  pending(accountId: string): Promise<TeamInviteRow[]> {
    return this.repo.pendingInvites(accountId, this.deps.clock.now());
  }

  /** Invites `email` with `role` and mails the link; refused for a bad address or role, an existing member, or too many open invitations. */
  async invite(a: Access, emailRaw: string, role: unknown, compose: ComposeInviteMail): Promise<{ ok: true } | { ok: false; problem: InviteProblem }> {
    const email = emailRaw.trim().toLowerCase();
    if (!EMAIL.test(email) || email.length > 200) return { ok: false, problem: 'email' };
    if (!isTeamRole(role)) return { ok: false, problem: 'role' };
    if ((await this.members(a.account)).some((m) => m.developer.email === email)) return { ok: false, problem: 'member' };
    const open = await this.pending(a.account.id);
    if (open.length >= MAX_PENDING_INVITES && !open.some((i) => i.email === email)) return { ok: false, problem: 'limit' };
    const token = randomToken(32);
    const now = this.deps.clock.now();
    await this.repo.pruneInvites(now - INVITE_TTL_MS);
    await this.repo.createInvite({ id: uuid(), token_hash: sha256(token), account_id: a.account.id, email, role, invited_by: a.actor.id, created_at: now, expires_at: now + INVITE_TTL_MS, used_at: null });
    const link = `${this.deps.config.publicUrl}/dashboard/invite?token=${encodeURIComponent(token)}`;
    await this.mailer.send({ to: email, ...compose(link, INVITE_TTL_MS / 86_400_000) });
    return { ok: true };
  }

  revoke(a: Access, inviteId: string): Promise<boolean> {
    return this.repo.revokeInvite(a.account.id, inviteId);
  }

  setRole(a: Access, developerId: string, role: unknown): Promise<{ ok: true } | { ok: false; reason: TeamRefusal | 'role' }> {
    if (!isTeamRole(role)) return Promise.resolve({ ok: false, reason: 'role' });
    return this.repo.setRole(a.account.id, developerId, role, this.deps.clock.now());
  }

  remove(a: Access, developerId: string): Promise<{ ok: true } | { ok: false; reason: TeamRefusal }> {
    return this.repo.remove(a.account.id, developerId);
  }

  /** Ends the team of a terminated account and returns the members' logins (their sessions are ended by the caller). */
  dissolve(accountId: string): Promise<string[]> {
    return this.repo.dissolve(accountId);
  }

  /** What the invitation link opens. */
  async view(token: string): Promise<InviteView> {
    if (!token) return { ok: false, reason: 'unknown' };
    const r = await this.repo.checkInvite(sha256(token), this.deps.clock.now());
    if (!r.ok) return r;
    const account = await this.accounts.getDeveloper(r.invite.account_id);
    if (!account || account.status === 'terminated') return { ok: false, reason: 'unknown' };
    const login = await this.accounts.findDeveloperByEmail(r.invite.email);
    return { ok: true, invite: r.invite, account, existing: login !== undefined };
  }

  /**
   * Accepts the invitation: with an existing login, `password` must be that login's; otherwise a new
   * login is made with `name` and `password` under the sign-up rules and the Terms accepted.
   */
  async accept(token: string, input: { name: string; password: string; acceptTos: boolean }, verify: VerifyLogin): Promise<{ ok: true; developerId: string } | { ok: false; problem: AcceptProblem }> {
    const v = await this.view(token);
    if (!v.ok) return { ok: false, problem: v.reason };
    const hash = sha256(token);
    const now = this.deps.clock.now();
    if (v.existing) {
      const login = await verify(v.invite.email, input.password);
      if (!login) return { ok: false, problem: 'credentials' };
      const r = await this.repo.acceptInvite(hash, now, login.id);
      return r.ok ? { ok: true, developerId: login.id } : { ok: false, problem: r.reason };
    }
    if (input.name.length === 0 || input.name.length > 100) return { ok: false, problem: 'name' };
    if (input.password.length < MIN_PASSWORD || input.password.length > 200) return { ok: false, problem: 'password' };
    if (!input.acceptTos) return { ok: false, problem: 'tos' };
    const created: DeveloperRow = {
      id: uuid(), email: v.invite.email, name: input.name, password_hash: await hashPassword(input.password), tos_version: TOS_VERSION, tos_accepted_at: now,
      plan: this.deps.config.defaultPlan, plan_limits: null, status: 'active', created_at: now,
    };
    try {
      const r = await this.repo.acceptInvite(hash, now, created.id, created);
      return r.ok ? { ok: true, developerId: created.id } : { ok: false, problem: r.reason };
    } catch (err) {
      // The address got a login between showing the form and accepting it: accept with that login instead.
      if (err instanceof ConflictError) return { ok: false, problem: 'credentials' };
      throw err;
    }
  }
}
