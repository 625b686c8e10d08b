import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { MailOutboxTable } from '../tables/mail.js';

export type MailRow = MailOutboxTable;

const num = (v: number | null) => (v === null ? null : Number(v));

/** The mail outbox: every message, newest first to read, with its SMTP outcome. */
export class MailRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async add(row: MailRow): Promise<void> {
    await this.db.insertInto('mail_outbox').values(row).execute();
  }

  async markSent(id: string, at: number): Promise<void> {
    await this.db.updateTable('mail_outbox').set({ sent_at: at, error: null }).where('id', '=', id).execute();
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.db.updateTable('mail_outbox').set({ error: error.slice(0, 500) }).where('id', '=', id).execute();
  }

  /** The newest `limit` messages, optionally to one address. */
  async list(limit: number, to?: string): Promise<MailRow[]> {
    let q = this.db.selectFrom('mail_outbox').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
    if (to !== undefined) q = q.where('to_address', '=', to.toLowerCase());
    const rows = await q.execute();
    return rows.map((r) => ({ ...r, created_at: Number(r.created_at), sent_at: num(r.sent_at) }));
  }
}
