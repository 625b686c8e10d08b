import { MailRepo } from '@opencar/storage';
import type { OperationsContext } from './context.js';
import { OperationError } from './operation-error.js';

export interface MailView {
  id: string;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
  /** When the SMTP server accepted it; null: only in the outbox. */
  sentAt: string | null;
  error: string | null;
}

/** The newest messages of the mail outbox (password-reset and team-invitation links among them), optionally to one address. */
export async function mailOutbox(ctx: OperationsContext, limit: number, to: string | undefined): Promise<MailView[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new OperationError('invalid', 'limit must be an integer from 1 to 1000');
  const rows = await new MailRepo(ctx.storage.db).list(limit, to);
  return rows.map((r) => ({
    id: r.id, to: r.to_address, subject: r.subject, text: r.body_text, createdAt: new Date(r.created_at).toISOString(),
    sentAt: r.sent_at === null ? null : new Date(r.sent_at).toISOString(), error: r.error,
  }));
}
