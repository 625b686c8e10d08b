/** One message the platform sent or tried to send. */
export interface MailOutboxTable {
  id: string;
  to_address: string;
  subject: string;
  body_text: string;
  created_at: number;
  /** When the SMTP server accepted it; null: kept in the outbox only (no mail server, or sending failed). */
  sent_at: number | null;
  /** Why sending failed, when it did. */
  error: string | null;
}

/** A developer's password-reset token (only its sha256), single use and expiring. */
export interface PasswordResetsTable {
  token_hash: string;
  developer_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}
