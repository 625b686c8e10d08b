import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { PasswordResetsTable } from '../tables/mail.js';

export type PasswordResetRow = PasswordResetsTable;

/** Why a reset token does not work. */
export type ResetRefusal = 'unknown' | 'used' | 'expired';

/** Developers' password-reset tokens (sha256 only). */
export class PasswordResetsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(row: PasswordResetRow): Promise<void> {
    await this.db.insertInto('password_resets').values(row).execute();
  }

  /** Whether the token can set a password now, and whose it is. */
  async check(tokenHash: string, now: number): Promise<{ ok: true; developerId: string } | { ok: false; reason: ResetRefusal }> {
    const row = await this.db.selectFrom('password_resets').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.used_at !== null) return { ok: false, reason: 'used' };
    if (Number(row.expires_at) <= now) return { ok: false, reason: 'expired' };
    return { ok: true, developerId: row.developer_id };
  }

  /**
   * Spends the token and sets the developer's password in one transaction: the token and every
   * other open token of the developer are marked used, and the developer's dashboard sessions end.
   * A token spent concurrently by another request is refused ('used').
   */
  async redeem(tokenHash: string, now: number, passwordHash: string): Promise<{ ok: true; developerId: string } | { ok: false; reason: ResetRefusal }> {
    return this.db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('password_resets').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      if (!row) return { ok: false as const, reason: 'unknown' as const };
      if (row.used_at !== null) return { ok: false as const, reason: 'used' as const };
      if (Number(row.expires_at) <= now) return { ok: false as const, reason: 'expired' as const };
      const spent = await tx.updateTable('password_resets').set({ used_at: now }).where('token_hash', '=', tokenHash).where('used_at', 'is', null).executeTakeFirst();
      if (Number(spent.numUpdatedRows) !== 1) return { ok: false as const, reason: 'used' as const };
      await tx.updateTable('password_resets').set({ used_at: now }).where('developer_id', '=', row.developer_id).where('used_at', 'is', null).execute();
      await tx.updateTable('developers').set({ password_hash: passwordHash }).where('id', '=', row.developer_id).where('status', '!=', 'terminated').execute();
      await tx.deleteFrom('web_sessions').where('kind', '=', 'developer').where('subject_id', '=', row.developer_id).execute();
      return { ok: true as const, developerId: row.developer_id };
    });
  }

  /** Deletes tokens that expired before `before`. */
  async prune(before: number): Promise<void> {
    await this.db.deleteFrom('password_resets').where('expires_at', '<', before).execute();
  }
}
