import { hashPassword, randomToken, sha256, type ThrottlePolicy } from '@opencar/core';
import { AccountsRepo, PasswordResetsRepo, type ResetRefusal } from '@opencar/storage';
import type { WebDeps } from '../deps.js';
import type { Mailer } from './mailer.js';
import { MIN_PASSWORD } from './developers.js';

/** How long a reset link works. */
export const RESET_TTL_MS = 30 * 60_000;
/** Reset requests: 3 per e-mail address and 10 per client address in 15 minutes. */
export const RESET_REQUEST_POLICY: ThrottlePolicy = { credential: { limit: 3, windowMs: 15 * 60_000 }, address: { limit: 10, windowMs: 15 * 60_000 }, stored: true };

/** The text of the reset mail, in the language of the page that asked for it. */
export type ComposeResetMail = (link: string, minutes: number) => { subject: string; text: string };

export type NewPasswordProblem = 'password' | ResetRefusal;

/**
 * Developer password resets: a request mails a single-use link (a random token, only its sha256
 * stored) that works for RESET_TTL_MS; using it sets a new password under the sign-up rules, spends
 * every open token of the developer and ends the developer's sessions. Requests answer the same
 * whether or not the address has an account.
 */
export class PasswordResets {
  private readonly repo: PasswordResetsRepo;
  private readonly accounts: AccountsRepo;

  constructor(private readonly deps: WebDeps, private readonly mailer: Mailer) {
    this.repo = new PasswordResetsRepo(deps.storage.db);
    this.accounts = new AccountsRepo(deps.storage.db);
  }

  /** Counts the request against the throttle and mails a link when the address has an account; `retryAfterMs` > 0: throttled, nothing done. */
  async request(emailRaw: string, address: string, compose: ComposeResetMail): Promise<{ retryAfterMs: number }> {
    const email = emailRaw.trim().toLowerCase();
    const attempt = { kind: 'password-reset', credential: email, address };
    const wait = await this.deps.throttle.retryAfterMs(attempt, RESET_REQUEST_POLICY);
    if (wait > 0) return { retryAfterMs: wait };
    await this.deps.throttle.fail(attempt, RESET_REQUEST_POLICY);
    const dev = email ? await this.accounts.findDeveloperByEmail(email) : undefined;
    if (!dev || dev.status === 'terminated') return { retryAfterMs: 0 };
    const token = randomToken(32);
    const now = this.deps.clock.now();
    await this.repo.prune(now - RESET_TTL_MS);
    await this.repo.create({ token_hash: sha256(token), developer_id: dev.id, created_at: now, expires_at: now + RESET_TTL_MS, used_at: null });
    const link = `${this.deps.config.publicUrl}/dashboard/reset?token=${encodeURIComponent(token)}`;
    await this.mailer.send({ to: dev.email, ...compose(link, RESET_TTL_MS / 60_000) });
    return { retryAfterMs: 0 };
  }

  /** Whether the token can still set a password. */
  async check(token: string): Promise<{ ok: true } | { ok: false; reason: ResetRefusal }> {
    if (!token) return { ok: false, reason: 'unknown' };
    const r = await this.repo.check(sha256(token), this.deps.clock.now());
    return r.ok ? { ok: true } : r;
  }

  /** Sets the new password with the token (spending it and ending the developer's sessions). */
  async reset(token: string, password: string): Promise<{ ok: true; developerId: string } | { ok: false; problem: NewPasswordProblem }> {
    const valid = await this.check(token);
    if (!valid.ok) return { ok: false, problem: valid.reason };
    if (password.length < MIN_PASSWORD || password.length > 200) return { ok: false, problem: 'password' };
    const r = await this.repo.redeem(sha256(token), this.deps.clock.now(), await hashPassword(password));
    return r.ok ? r : { ok: false, problem: r.reason };
  }
}
