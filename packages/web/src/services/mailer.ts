import { createTransport, type Transporter } from 'nodemailer';
import { uuid } from '@opencar/core';
import { MailRepo } from '@opencar/storage';
import type { WebDeps } from '../deps.js';

export interface Mail { to: string; subject: string; text: string }

/**
 * Outgoing mail. Every message is written to the outbox table first (the operator's record, and
 * the only copy when no mail server is configured: `opencar mail outbox` lists it); with
 * OPENCAR_SMTP_URL it is then handed to the SMTP server through nodemailer, after the request that
 * caused it has been answered, so a slow mail server neither delays pages nor reveals by timing
 * whether a message was sent. The outcome (sent time or error) is written back to the outbox row.
 */
export class Mailer {
  private readonly repo: MailRepo;
  private readonly transport: Transporter | undefined;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly deps: WebDeps) {
    this.repo = new MailRepo(deps.storage.db);
    const url = deps.config.mail.smtpUrl;
    this.transport = url ? createTransport(url) : undefined;
  }

  /** Whether messages go out over SMTP (otherwise they stay in the outbox). */
  get smtp(): boolean { return this.transport !== undefined; }

  /** Keeps the message in the outbox and starts sending it; resolves with the outbox id once it is kept. */
  async send(mail: Mail): Promise<string> {
    const id = uuid();
    await this.repo.add({ id, to_address: mail.to.toLowerCase(), subject: mail.subject, body_text: mail.text, created_at: this.deps.clock.now(), sent_at: null, error: null });
    if (!this.transport) {
      this.deps.log.info({ mailId: id, to: mail.to, subject: mail.subject }, 'mail kept in the outbox (no OPENCAR_SMTP_URL); read it with `opencar mail outbox`');
      return id;
    }
    const transport = this.transport;
    const job = (async () => {
      try {
        await transport.sendMail({ from: this.deps.config.mail.from, to: mail.to, subject: mail.subject, text: mail.text });
        await this.repo.markSent(id, this.deps.clock.now());
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.deps.log.warn({ mailId: id, to: mail.to, err: message }, 'sending mail failed; the message is in the outbox');
        await this.repo.markFailed(id, message).catch(() => undefined);
      }
    })();
    this.pending.add(job);
    void job.finally(() => this.pending.delete(job));
    return id;
  }

  /** Waits for every message being sent (shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  close(): void {
    this.transport?.close();
  }
}
