import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ApiError, safeEqual, type Clock } from '@opencar/core';
import { IntegrationsRepo, type IntegrationFilter, type Storage, type SubscriptionFilter, type WebhookRow } from '@opencar/storage';
import { postSigned } from '../post.js';
import { challengeAnswer } from '../sign.js';
import { SigningKeys } from '../signing-keys.js';
import { checkTarget, type TargetPolicy } from '../target-policy.js';
import { readSignals, readTriggers, type FieldProblem, type SignalCatalogue, type SignalChoice, type Trigger } from './triggers.js';
import { verifyEvent } from './verify-event.js';

/** What an integration is made of; every field of an update is optional. */
export interface IntegrationInput {
  name?: string;
  callbackUri?: string;
  /** Where VEHICLE_ERROR events go; null or absent: the callback URI. */
  errorCallbackUri?: string | null;
  triggers?: unknown;
  signals?: unknown;
  autoSubscribe?: boolean;
  /** Enabling needs a verified integration. */
  isEnabled?: boolean;
}

export interface IntegrationView {
  id: string; name: string; callbackUri: string; errorCallbackUri: string | null; triggers: Trigger[]; signals: string[];
  autoSubscribe: boolean; isEnabled: boolean; isVerified: boolean; verifiedAt: string | null; createdAt: string;
}

export interface SubscriptionView { webhookId: string; vehicleId: string; userId: string; mode: 'live' | 'simulated'; createdAt: string }

export interface IntegrationVerifyResult { verified: boolean; error?: string }

/** Signals (and trigger codes) the app's plan lets it put into webhooks; undefined: every signal. */
export type SignalAllowance = (appId: string) => Promise<ReadonlySet<string> | undefined>;

export interface IntegrationServiceOptions {
  storage: Storage;
  clock: Clock;
  log: Logger;
  secretKey: string;
  /** The v3 signal catalogue: trigger codes and data signals must be in it. */
  catalogue: SignalCatalogue;
  /** Plan gating of webhook signals (metering's plan definitions). */
  allowedSignals?: SignalAllowance;
  /** Where refusals of plan gating send the developer (the dashboard's plan page). */
  planUrl?: string;
  /** Answer time allowed to the VERIFY challenge (default 15 s). */
  timeoutMs?: number;
  targets?: TargetPolicy;
  /** Called after each new subscription is stored (also those made by autoSubscribe): FIRST_DELIVERY goes out from here. */
  onSubscribed?: (webhookId: string, vehicleId: string) => Promise<void>;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const invalid = (problems: FieldProblem[]) => new ApiError('VALIDATION:INVALID_INPUT_FORMAT', {
  description: problems.map((p) => `${p.field.slice(1) || 'body'}: ${p.message}`).join('; ') + '.',
  detail: problems,
});
const notFound = (what = 'webhook') => new ApiError('RESOURCE_NOT_FOUND:PATH', { description: `No such ${what} for this application.` });

/**
 * API v3 integrations ("webhooks" in management v3): create, read, list with filters, update,
 * delete; the VERIFY handshake; enable/disable; vehicle subscriptions, by hand and by autoSubscribe
 * when a new connection of the app appears. Delivery of their events reuses the v2 engine.
 */
export class IntegrationService {
  readonly repo: IntegrationsRepo;
  private readonly keys: SigningKeys;
  private readonly targets: TargetPolicy;
  private readonly timeoutMs: number;
  private onSubscribedHook: ((webhookId: string, vehicleId: string) => Promise<void>) | undefined;

  constructor(private readonly o: IntegrationServiceOptions) {
    this.repo = new IntegrationsRepo(o.storage.db);
    this.keys = new SigningKeys(o.storage.db, o.secretKey);
    this.targets = o.targets ?? { allowPrivate: false };
    this.timeoutMs = o.timeoutMs ?? 15_000;
    this.onSubscribedHook = o.onSubscribed;
  }

  /** Every signal of the catalogue (code, name, group), in catalogue order: what triggers and data signals may name. */
  signalChoices(): SignalChoice[] {
    return [...this.o.catalogue.values()].map(({ code, name, group }) => ({ code, name, group }));
  }

  /** Sets the hook called after each new subscription (replaces the one given in the options). */
  whenSubscribed(hook: (webhookId: string, vehicleId: string) => Promise<void>): void {
    this.onSubscribedHook = hook;
  }

  /** Stores a new integration, then sends VERIFY; with isEnabled it is enabled once verified. */
  async create(appId: string, input: IntegrationInput): Promise<IntegrationView & { verification: IntegrationVerifyResult }> {
    const problems: FieldProblem[] = [];
    if (typeof input.name !== 'string' || !input.name.trim()) problems.push({ field: '/name', message: 'is required' });
    if (input.callbackUri === undefined) problems.push({ field: '/callbackUri', message: 'is required' });
    if (problems.length) throw invalid(problems);
    const fields = await this.fields(appId, { triggers: [], signals: [], ...input });
    const now = this.o.clock.now();
    const id = randomUUID();
    await this.repo.create({
      id, app_id: appId, name: fields.name!, url: fields.url!, kind: 'integration', cadence: null, topics: '[]', status: 'unverified',
      verified_at: null, next_run_at: null, created_at: now, deleted_at: null, anchor_at: null,
      triggers: fields.triggers!, signals: fields.signals!, error_url: fields.error_url ?? null, auto_subscribe: fields.auto_subscribe ?? 0,
    });
    const verification = await this.verify(appId, id);
    if (verification.verified && input.isEnabled) await this.setEnabled(appId, id, true);
    return { ...(await this.get(appId, id)), verification };
  }

  /**
   * Changes the given fields. A new callback URI must be verified again (the integration is
   * unverified and disabled until then, and VERIFY is sent); isEnabled true needs a verified one.
   */
  async update(appId: string, id: string, input: IntegrationInput): Promise<IntegrationView & { verification?: IntegrationVerifyResult }> {
    const hook = await this.own(appId, id);
    const fields = await this.fields(appId, input);
    const moved = fields.url !== undefined && fields.url !== hook.url;
    if (input.isEnabled === true && (moved || hook.verified_at === null)) {
      throw new ApiError('VALIDATION:PARAMETER', { description: 'isEnabled: an integration must pass VERIFY before it can be enabled.', detail: [{ field: '/isEnabled', message: 'verify the integration first' }] });
    }
    await this.repo.update(id, {
      ...fields,
      ...(moved ? { status: 'unverified', verified_at: null } : {}),
      ...(input.isEnabled === undefined || moved ? {} : { status: input.isEnabled ? 'active' : 'disabled' }),
    });
    const verification = moved ? await this.verify(appId, id) : undefined;
    return { ...(await this.get(appId, id)), ...(verification ? { verification } : {}) };
  }

  /** Posts VERIFY (unsigned) and records the integration as verified when the answer is right. */
  async verify(appId: string, id: string): Promise<IntegrationVerifyResult> {
    const hook = await this.own(appId, id);
    const key = await this.keys.get(appId);
    if (!key) throw new ApiError('AUTHENTICATION');
    const { challenge, body } = verifyEvent(hook.id, hook.name, this.o.clock.now());
    const res = await postSigned(hook.url, body, {}, this.timeoutMs, this.targets);
    let answer: unknown;
    try { answer = res.body ? (JSON.parse(res.body) as { challenge?: unknown }).challenge : undefined; } catch { answer = undefined; }
    const ok = res.status !== null && res.status >= 200 && res.status < 300 && typeof answer === 'string' && safeEqual(answer, challengeAnswer(key.amt, challenge));
    if (!ok) return { verified: false, error: res.error ?? (res.status !== null && (res.status < 200 || res.status >= 300) ? `HTTP ${res.status}` : 'wrong challenge answer') };
    // Still the same address (an update may have moved it meanwhile): then it is verified; a new one stays disabled until enabled.
    const now = this.o.clock.now();
    await this.o.storage.db.updateTable('webhooks')
      .set((eb) => ({ verified_at: now, status: eb.case().when('status', '=', 'unverified').then('disabled').else(eb.ref('status')).end() }))
      .where('id', '=', hook.id).where('url', '=', hook.url).where('deleted_at', 'is', null).execute();
    return { verified: true };
  }

  /** Enables (needs a verified integration) or disables it; a disabled integration neither monitors nor queues. */
  async setEnabled(appId: string, id: string, enabled: boolean): Promise<IntegrationView> {
    const hook = await this.own(appId, id);
    if (enabled && hook.verified_at === null) {
      throw new ApiError('VALIDATION:PARAMETER', { description: 'isEnabled: an integration must pass VERIFY before it can be enabled.', detail: [{ field: '/isEnabled', message: 'verify the integration first' }] });
    }
    await this.repo.update(id, { status: enabled ? 'active' : hook.verified_at === null ? 'unverified' : 'disabled' });
    return this.get(appId, id);
  }

  async get(appId: string, id: string): Promise<IntegrationView> {
    return view(await this.own(appId, id));
  }

  async list(appId: string, filter: IntegrationFilter, page: { offset: number; limit: number }): Promise<{ items: IntegrationView[]; total: number }> {
    const { rows, total } = await this.repo.page(appId, filter, page.offset, page.limit);
    return { items: rows.map(view), total };
  }

  async remove(appId: string, id: string): Promise<void> {
    await this.own(appId, id);
    await this.repo.remove(id, this.o.clock.now());
  }

  /**
   * Subscribes a connected vehicle to the integration; `userId` names the owner whose connection it
   * serves (optional when only one owner connected the vehicle). `created` is false when the vehicle
   * was already subscribed.
   */
  async subscribe(appId: string, webhookId: string, vehicleId: string, userId?: string): Promise<{ created: boolean; subscription: SubscriptionView }> {
    await this.own(appId, webhookId);
    const conns = await this.o.storage.db.selectFrom('oauth_connections').select(['user_id', 'mode']).where('app_id', '=', appId).where('vehicle_id', '=', vehicleId)
      .$if(userId !== undefined, (q) => q.where('user_id', '=', userId!)).orderBy('connected_at', 'desc').execute();
    if (conns.length === 0) throw notFound(userId === undefined ? 'connected vehicle' : 'connection of this user and vehicle');
    if (conns.length > 1) throw new ApiError('VALIDATION:MISSING_PARAMETER', { description: 'userId: several owners connected this vehicle; name the one the subscription serves.', detail: [{ field: '/userId', message: 'is required for this vehicle' }] });
    const conn = conns[0]!;
    const now = this.o.clock.now();
    const created = await this.repo.subscribe(appId, webhookId, vehicleId, conn.user_id, now);
    if (created) await this.subscribed(webhookId, vehicleId);
    const stored = await this.o.storage.db.selectFrom('webhook_subscriptions').select(['user_id', 'created_at']).where('webhook_id', '=', webhookId).where('vehicle_id', '=', vehicleId).executeTakeFirst();
    return { created, subscription: { webhookId, vehicleId, userId: stored?.user_id ?? conn.user_id, mode: conn.mode === 'live' ? 'live' : 'simulated', createdAt: new Date(Number(stored?.created_at ?? now)).toISOString() } };
  }

  /** False when the vehicle was not subscribed. */
  async unsubscribe(appId: string, webhookId: string, vehicleId: string): Promise<boolean> {
    await this.own(appId, webhookId);
    return this.repo.unsubscribe(webhookId, vehicleId);
  }

  async subscriptions(appId: string, filter: SubscriptionFilter, page: { offset: number; limit: number }): Promise<{ items: SubscriptionView[]; total: number }> {
    const { rows, total } = await this.repo.subscriptions(appId, filter, page.offset, page.limit);
    return {
      items: rows.map((r) => ({ webhookId: r.webhookId, vehicleId: r.vehicleId, userId: r.userId, mode: r.mode === 'live' ? 'live' : 'simulated', createdAt: new Date(r.createdAt).toISOString() })),
      total,
    };
  }

  /** A new connection of the app: its vehicles subscribe to every integration with autoSubscribe. */
  async connected(appId: string, userId: string, vehicleIds: string[]): Promise<void> {
    const hooks = await this.repo.autoSubscribing(appId);
    const now = this.o.clock.now();
    for (const hook of hooks) {
      for (const vehicleId of vehicleIds) {
        if (await this.repo.subscribe(appId, hook.id, vehicleId, userId, now)) await this.subscribed(hook.id, vehicleId);
      }
    }
  }

  private async subscribed(webhookId: string, vehicleId: string): Promise<void> {
    if (!this.onSubscribedHook) return;
    try { await this.onSubscribedHook(webhookId, vehicleId); } catch (err) { this.o.log.error({ err, webhookId, vehicleId }, 'after-subscription hook failed'); }
  }

  private async own(appId: string, id: string): Promise<WebhookRow> {
    const hook = await this.repo.get(appId, id);
    if (!hook) throw notFound();
    return hook;
  }

  /** Validates the given fields into column values; VALIDATION lists every problem, BILLING the signals the plan excludes. */
  private async fields(appId: string, input: IntegrationInput): Promise<Partial<Pick<WebhookRow, 'name' | 'url' | 'error_url' | 'triggers' | 'signals' | 'auto_subscribe'>>> {
    const problems: FieldProblem[] = [];
    const out: Partial<Pick<WebhookRow, 'name' | 'url' | 'error_url' | 'triggers' | 'signals' | 'auto_subscribe'>> = {};
    if (input.name !== undefined) {
      if (typeof input.name !== 'string' || !input.name.trim() || input.name.trim().length > 100) problems.push({ field: '/name', message: 'must be 1 to 100 characters' });
      else out.name = input.name.trim();
    }
    const readUrl = async (field: string, raw: unknown): Promise<string | undefined> => {
      let url: URL;
      try { url = new URL(String(raw)); } catch { problems.push({ field, message: 'must be an absolute http(s) URL' }); return undefined; }
      if (typeof raw !== 'string' || (url.protocol !== 'http:' && url.protocol !== 'https:')) { problems.push({ field, message: 'must be an absolute http(s) URL' }); return undefined; }
      if (url.username || url.password) { problems.push({ field, message: 'must not carry credentials' }); return undefined; }
      const checked = await checkTarget(url, this.targets);
      if (!checked.ok) { problems.push({ field, message: `is not an allowed webhook target: ${checked.reason}` }); return undefined; }
      return url.toString();
    };
    if (input.callbackUri !== undefined) out.url = await readUrl('/callbackUri', input.callbackUri);
    if (input.errorCallbackUri !== undefined) out.error_url = input.errorCallbackUri === null || input.errorCallbackUri === '' ? null : await readUrl('/errorCallbackUri', input.errorCallbackUri);
    let codes: string[] = [];
    if (input.triggers !== undefined) {
      const t = readTriggers(input.triggers, this.o.catalogue);
      if ('problems' in t) problems.push(...t.problems);
      else { out.triggers = JSON.stringify(t.triggers); codes = codes.concat(t.triggers.map((x) => x.code)); }
    }
    if (input.signals !== undefined) {
      const s = readSignals(input.signals, this.o.catalogue);
      if ('problems' in s) problems.push(...s.problems);
      else { out.signals = JSON.stringify(s.signals); codes = codes.concat(s.signals); }
    }
    if (input.autoSubscribe !== undefined) {
      if (typeof input.autoSubscribe !== 'boolean') problems.push({ field: '/autoSubscribe', message: 'must be true or false' });
      else out.auto_subscribe = input.autoSubscribe ? 1 : 0;
    }
    if (input.isEnabled !== undefined && typeof input.isEnabled !== 'boolean') problems.push({ field: '/isEnabled', message: 'must be true or false' });
    if (problems.length) throw invalid(problems);
    const allowed = this.o.allowedSignals ? await this.o.allowedSignals(appId) : undefined;
    const locked = allowed ? [...new Set(codes)].filter((c) => !allowed.has(c)) : [];
    if (locked.length) {
      throw new ApiError('BILLING:INVALID_PLAN', {
        description: `The plan of this application does not include these signals in webhooks: ${locked.join(', ')}.${this.o.planUrl ? ` Plans and what they include: ${this.o.planUrl}` : ''}`,
        detail: locked.map((code) => ({ field: '/signals', message: `${code} is not included in the plan` })),
        ...(this.o.planUrl ? { resolutionUrl: this.o.planUrl } : {}),
      });
    }
    return out;
  }
}

function view(r: WebhookRow): IntegrationView {
  return {
    id: r.id, name: r.name, callbackUri: r.url, errorCallbackUri: r.error_url,
    triggers: JSON.parse(r.triggers ?? '[]') as Trigger[], signals: JSON.parse(r.signals ?? '[]') as string[],
    autoSubscribe: r.auto_subscribe === 1, isEnabled: r.status === 'active', isVerified: r.verified_at !== null,
    verifiedAt: iso(r.verified_at), createdAt: new Date(Number(r.created_at)).toISOString(),
  };
}
