import { hashPassword, uuid, verifyPassword } from '@opencar/core';
import { AccountsRepo, ConflictError, PlanHistoryRepo, type DeveloperRow } from '@opencar/storage';
import type { WebDeps } from '../deps.js';
import type { Apps } from './apps.js';

/** The Terms of Service version a new developer accepts; bump it when the terms change. */
export const TOS_VERSION = '2026-01';
export const MIN_PASSWORD = 10;
/** The developer the server creates on first start when no seed account is configured. */
export const DEMO_DEVELOPER_EMAIL = 'demo@opencar.local';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type SignUpProblem = 'email' | 'password' | 'tos' | 'taken' | 'name';

export interface SignUpInput { email: string; name: string; password: string; acceptTos: boolean }

/** Developer accounts: sign-up with ToS acceptance, password check, termination. */
export class Developers {
  private readonly repo: AccountsRepo;
  /** A real scrypt hash to verify against when the e-mail is unknown, so timing does not reveal accounts. */
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly deps: WebDeps, private readonly apps: Apps) {
    this.repo = new AccountsRepo(deps.storage.db);
  }

  /** Whether an active developer account has this e-mail. */
  async exists(email: string): Promise<boolean> {
    const d = await this.repo.findDeveloperByEmail(email.toLowerCase());
    return d !== undefined && d !== null && d.status === 'active';
  }

  async signUp(input: SignUpInput): Promise<{ ok: true; developer: DeveloperRow } | { ok: false; problems: SignUpProblem[] }> {
    const email = input.email.toLowerCase();
    const problems: SignUpProblem[] = [];
    if (!EMAIL.test(email) || email.length > 200) problems.push('email');
    if (input.name.length === 0 || input.name.length > 100) problems.push('name');
    if (input.password.length < MIN_PASSWORD || input.password.length > 200) problems.push('password');
    if (!input.acceptTos) problems.push('tos');
    if (problems.length) return { ok: false, problems };
    const now = this.deps.clock.now();
    const developer: DeveloperRow = {
      id: uuid(), email, name: input.name, password_hash: await hashPassword(input.password),
      tos_version: TOS_VERSION, tos_accepted_at: now, plan: this.deps.config.defaultPlan, plan_limits: null, status: 'active', created_at: now,
    };
    try {
      await this.repo.createDeveloper(developer);
      await new PlanHistoryRepo(this.deps.storage.db).record({ id: uuid(), developer_id: developer.id, plan: developer.plan, plan_limits: null, starts_at: now, source: 'signup' });
    } catch (err) {
      if (err instanceof ConflictError) return { ok: false, problems: ['taken'] };
      throw err;
    }
    return { ok: true, developer };
  }

  /** The developer when e-mail and password match an account that is not terminated. */
  async authenticate(emailRaw: string, password: string): Promise<DeveloperRow | undefined> {
    const found = await this.repo.findDeveloperByEmail(emailRaw.trim().toLowerCase());
    if (!found?.password_hash) {
      this.dummyHash ??= hashPassword('not-a-real-password');
      await verifyPassword(password, await this.dummyHash);
      return undefined;
    }
    const ok = await verifyPassword(password, found.password_hash);
    return ok && found.status !== 'terminated' ? found : undefined;
  }

  get(id: string): Promise<DeveloperRow | undefined> {
    return this.repo.getDeveloper(id);
  }

  /**
   * Terminates an account: every app's grants and tokens are revoked (vehicles disconnected), the apps
   * are deleted so their client and management credentials stop working, and the account is marked
   * terminated. Sessions are ended by the caller.
   */
  async terminate(id: string): Promise<{ apps: number }> {
    const apps = await this.repo.listApps(id);
    for (const app of apps) await this.apps.remove(app.id);
    await this.repo.updateDeveloper(id, { status: 'terminated', password_hash: null });
    this.deps.metering?.invalidatePlans();
    return { apps: apps.length };
  }
}
