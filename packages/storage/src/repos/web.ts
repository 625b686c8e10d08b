import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { WebSessionsTable } from '../tables/web.js';

export type WebSessionRow = Selectable<WebSessionsTable>;
export type SessionKind = 'developer' | 'owner';

/**
 * Storage of the two web UIs: sessions (only hashes of session ids) and owner deletions. Read-only
 * queries the dashboard needs against other areas' tables live here too, so their repos stay theirs.
 */
export class WebRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async createSession(row: WebSessionRow): Promise<void> {
    await this.db.insertInto('web_sessions').values(row).execute();
  }

  /** The live session with this id hash, or undefined when missing or expired at `now`. */
  async findSession(idHash: string, kind: SessionKind, now: number): Promise<WebSessionRow | undefined> {
    return this.db.selectFrom('web_sessions').selectAll()
      .where('id_hash', '=', idHash).where('kind', '=', kind).where('expires_at', '>', now)
      .executeTakeFirst();
  }

  async touchSession(idHash: string, now: number, expiresAt: number): Promise<void> {
    await this.db.updateTable('web_sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id_hash', '=', idHash).execute();
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('web_sessions').where('id_hash', '=', idHash).execute();
  }

  /** Signs a subject out everywhere (termination, password change, owner deletion). */
  async deleteSessionsOf(kind: SessionKind, subjectId: string): Promise<number> {
    const r = await this.db.deleteFrom('web_sessions').where('kind', '=', kind).where('subject_id', '=', subjectId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async deleteExpiredSessions(now: number): Promise<void> {
    await this.db.deleteFrom('web_sessions').where('expires_at', '<=', now).execute();
  }

  async recordOwnerDeletion(userId: string, now: number): Promise<void> {
    const found = await this.db.selectFrom('owner_deletions').select('user_id').where('user_id', '=', userId).executeTakeFirst();
    if (!found) await this.db.insertInto('owner_deletions').values({ user_id: userId, deleted_at: now }).execute();
  }

  async ownerDeletedAt(userId: string): Promise<number | undefined> {
    const r = await this.db.selectFrom('owner_deletions').select('deleted_at').where('user_id', '=', userId).executeTakeFirst();
    return r?.deleted_at;
  }
}
