import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.js';
import type { DeveloperRow } from './accounts.js';
import type { TeamInvitesTable, TeamMembersTable } from '../tables/team.js';
import { ConflictError, isUniqueViolation } from '../errors.js';

export type TeamMemberRow = TeamMembersTable;
export type TeamInviteRow = TeamInvitesTable;
export type TeamRole = 'owner' | 'developer' | 'viewer';
export const TEAM_ROLES: readonly TeamRole[] = ['owner', 'developer', 'viewer'];
export const isTeamRole = (v: unknown): v is TeamRole => typeof v === 'string' && (TEAM_ROLES as readonly string[]).includes(v);

/** Why an invitation link does not work. */
export type InviteRefusal = 'unknown' | 'used' | 'expired';
/** Why a role change or removal is refused. */
export type TeamRefusal = 'last-owner' | 'holder' | 'not-member';
/** Why accepting a valid invitation is refused: the login already works in (or leads) another team. */
export type JoinRefusal = InviteRefusal | 'elsewhere';

type Db = Kysely<Database> | Transaction<Database>;
const member = (r: TeamMemberRow): TeamMemberRow => ({ ...r, created_at: Number(r.created_at) });
const invite = (r: TeamInviteRow): TeamInviteRow => ({ ...r, created_at: Number(r.created_at), expires_at: Number(r.expires_at), used_at: r.used_at === null ? null : Number(r.used_at) });

/**
 * Team members and invitations of developer accounts. A login with no row works in its own account
 * as its owner; a row puts it in `account_id` with `role` (the account holder gets a row of their own
 * account when their role changes). Every account keeps at least one owner.
 */
export class TeamRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async membership(developerId: string): Promise<TeamMemberRow | undefined> {
    const r = await this.db.selectFrom('team_members').selectAll().where('developer_id', '=', developerId).executeTakeFirst();
    return r && member(r);
  }

  /** The rows of the account (members, and the holder's own row when their role changed), oldest first. */
  async members(accountId: string): Promise<TeamMemberRow[]> {
    const rows = await this.db.selectFrom('team_members').selectAll().where('account_id', '=', accountId).orderBy('created_at').orderBy('developer_id').execute();
    return rows.map(member);
  }

  /** Sets the role of the holder or a member; refused when the account would be left without an owner. */
  async setRole(accountId: string, developerId: string, role: TeamRole, now: number): Promise<{ ok: true } | { ok: false; reason: TeamRefusal }> {
    return this.db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('team_members').selectAll().where('developer_id', '=', developerId).executeTakeFirst();
      const holder = developerId === accountId;
      if (holder ? row !== undefined && row.account_id !== accountId : row?.account_id !== accountId) return { ok: false as const, reason: 'not-member' as const };
      const wasOwner = row ? row.role === 'owner' : holder;
      if (wasOwner && role !== 'owner' && (await this.owners(tx, accountId)) <= 1) return { ok: false as const, reason: 'last-owner' as const };
      if (row) await tx.updateTable('team_members').set({ role }).where('developer_id', '=', developerId).execute();
      else await tx.insertInto('team_members').values({ developer_id: developerId, account_id: accountId, role, created_at: now }).execute();
      return { ok: true as const };
    });
  }

  /** Removes a member (never the holder, never the last owner); the login then works in its own account again. */
  async remove(accountId: string, developerId: string): Promise<{ ok: true } | { ok: false; reason: TeamRefusal }> {
    if (developerId === accountId) return { ok: false, reason: 'holder' };
    return this.db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('team_members').selectAll().where('developer_id', '=', developerId).where('account_id', '=', accountId).executeTakeFirst();
      if (!row) return { ok: false as const, reason: 'not-member' as const };
      if (row.role === 'owner' && (await this.owners(tx, accountId)) <= 1) return { ok: false as const, reason: 'last-owner' as const };
      await tx.deleteFrom('team_members').where('developer_id', '=', developerId).execute();
      await tx.deleteFrom('web_sessions').where('kind', '=', 'developer').where('subject_id', '=', developerId).execute();
      return { ok: true as const };
    });
  }

  /** Ends the team of a terminated account: members and invitations go; returns the logins that were members. */
  async dissolve(accountId: string): Promise<string[]> {
    return this.db.transaction().execute(async (tx) => {
      const rows = await tx.selectFrom('team_members').select('developer_id').where('account_id', '=', accountId).execute();
      await tx.deleteFrom('team_members').where('account_id', '=', accountId).execute();
      await tx.deleteFrom('team_invites').where('account_id', '=', accountId).execute();
      return rows.map((r) => r.developer_id).filter((id) => id !== accountId);
    });
  }

  /** Owners of the account: owner rows, plus the holder while they have no row. */
  private async owners(db: Db, accountId: string): Promise<number> {
    const own = await db.selectFrom('team_members').select('developer_id').where('account_id', '=', accountId).where('role', '=', 'owner').execute();
    const holderRow = await db.selectFrom('team_members').select('developer_id').where('developer_id', '=', accountId).executeTakeFirst();
    return own.length + (holderRow ? 0 : 1);
  }

  /** Stores an invitation, replacing open ones to the same address. */
  async createInvite(row: TeamInviteRow): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('team_invites').where('account_id', '=', row.account_id).where('email', '=', row.email).where('used_at', 'is', null).execute();
      await tx.insertInto('team_invites').values(row).execute();
    });
  }

  /** Deletes invitations that expired before `before` (used or not). */
  async pruneInvites(before: number): Promise<void> {
    await this.db.deleteFrom('team_invites').where('expires_at', '<', before).execute();
  }

  /** Invitations of the account not used and not expired, newest first. */
  async pendingInvites(accountId: string, now: number): Promise<TeamInviteRow[]> {
    const rows = await this.db.selectFrom('team_invites').selectAll().where('account_id', '=', accountId).where('used_at', 'is', null).where('expires_at', '>', now)
      .orderBy('created_at', 'desc').orderBy('id').execute();
    return rows.map(invite);
  }

  /** Withdraws an open invitation of the account; false when the account has no such invitation. */
  async revokeInvite(accountId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('team_invites').where('id', '=', id).where('account_id', '=', accountId).where('used_at', 'is', null).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  async checkInvite(tokenHash: string, now: number): Promise<{ ok: true; invite: TeamInviteRow } | { ok: false; reason: InviteRefusal }> {
    return this.check(this.db, tokenHash, now);
  }

  private async check(db: Db, tokenHash: string, now: number): Promise<{ ok: true; invite: TeamInviteRow } | { ok: false; reason: InviteRefusal }> {
    const r = await db.selectFrom('team_invites').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    if (!r) return { ok: false, reason: 'unknown' };
    if (r.used_at !== null) return { ok: false, reason: 'used' };
    if (Number(r.expires_at) <= now) return { ok: false, reason: 'expired' };
    return { ok: true, invite: invite(r) };
  }

  /**
   * Spends the invitation and puts the login in the account with the invited role, in one transaction:
   * `create` is a new login to insert first (its e-mail taken: ConflictError). A login that already
   * works in another account, or whose own account has members, is refused ('elsewhere').
   */
  async acceptInvite(tokenHash: string, now: number, developerId: string, create?: DeveloperRow): Promise<{ ok: true; invite: TeamInviteRow } | { ok: false; reason: JoinRefusal }> {
    return this.db.transaction().execute(async (tx) => {
      const valid = await this.check(tx, tokenHash, now);
      if (!valid.ok) return valid;
      const busy = await tx.selectFrom('team_members').select('developer_id').where((eb) => eb.or([eb('developer_id', '=', developerId), eb('account_id', '=', developerId)])).limit(1).executeTakeFirst();
      if (busy) return { ok: false as const, reason: 'elsewhere' as const };
      const spent = await tx.updateTable('team_invites').set({ used_at: now }).where('token_hash', '=', tokenHash).where('used_at', 'is', null).executeTakeFirst();
      if (Number(spent.numUpdatedRows) !== 1) return { ok: false as const, reason: 'used' as const };
      if (create) {
        try {
          await tx.insertInto('developers').values(create).execute();
        } catch (err) {
          if (isUniqueViolation(err)) throw new ConflictError(`developer ${create.email} exists`);
          throw err;
        }
      }
      await tx.insertInto('team_members').values({ developer_id: developerId, account_id: valid.invite.account_id, role: valid.invite.role, created_at: now }).execute();
      return { ok: true as const, invite: { ...valid.invite, used_at: now } };
    });
  }
}
