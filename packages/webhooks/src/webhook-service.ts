import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { ApiError, safeEqual, type Clock } from '@opencar/core';
import type { EventSink, VehicleBackend } from '@opencar/connectors';
import { WebhooksRepo, type AttemptRow, type DeliveryRow, type Storage, type WebhookRow } from '@opencar/storage';
import type { RetryPolicy } from './backoff.js';
import { isCadence, nextRun } from './cadence.js';
import type { WebhookSubscriptions } from './contract.js';
import { Deliverer } from './deliverer.js';
import { newDelivery, outboxSink } from './outbox.js';
import { postSigned } from './post.js';
import { challengeAnswer, envelope, signBody, stableId } from './sign.js';
import { SigningKeys } from './signing-keys.js';
import { Scheduler, type AccessLog, type ConnectionLookup } from './scheduler.js';
import { SCHEDULABLE_PATHS } from './vehicle-data.js';
import { checkTarget, type TargetPolicy } from './target-policy.js';

export const EVENT_TYPES = ['CHARGING_STARTED', 'CHARGING_STOPPED', 'CHARGING_COMPLETED'] as const;

export interface NewWebhook {
  name?: string;
  url: string;
  type: 'scheduled' | 'eventBased';
  /** Scheduled only: hourly | daily | weekly | monthly | <n>m. */
  cadence?: string;
  /** Scheduled only: standard GET paths, e.g. ['/battery', '/odometer']. */
  endpoints?: string[];
  /** Event only: event types (default: all charging events). */
  events?: string[];
}

export interface WebhookView {
  id: string; name: string; url: string; type: 'scheduled' | 'eventBased'; cadence: string | null;
  endpoints: string[]; events: string[]; status: string; verifiedAt: string | null; nextRunAt: string | null;
  createdAt: string; vehicles: string[];
}

export interface DeliveryView {
  id: string; webhookId: string; eventName: string; vehicleKey: string; status: string; attempts: number;
  nextAttemptAt: string | null; createdAt: string; deliveredAt: string | null; lastStatus: number | null; lastError: string | null;
  body: unknown;
  /** A test event sent from the dashboard (mode "test", tried once, not metered). */
  test: boolean;
}

export interface AttemptView { attempt: number; at: string; durationMs: number; responseStatus: number | null; responseBody: string | null; error: string | null }

export interface VerifyResult { verified: boolean; status: string; error?: string }

/** Feature gate for event webhooks (metering's plan check). */
export type FeatureCheck = (appId: string, feature: 'event_webhooks') => Promise<boolean>;

export interface WebhookServiceOptions {
  storage: Storage;
  clock: Clock;
  log: Logger;
  secretKey: string;
  publicUrl: string;
  /** The vehicle backend, when the platform has one (scheduled data, charging events). */
  backend?: () => VehicleBackend | undefined;
  allows?: FeatureCheck;
  timeoutMs?: number;
  retry?: RetryPolicy;
  pollMs?: number;
  /** Source of retry jitter (default Math.random); tests pass a fixed one. */
  random?: () => number;
  /** The app's connections to a vehicle with granted permissions (GrantService.listConnections); default: read from storage. */
  connections?: ConnectionLookup;
  /** The request ledger: scheduled reads are recorded with 0 units (Metering.record). */
  accessLog?: AccessLog;
  /** Which receiver addresses may be registered and reached (default: public addresses only). */
  targets?: TargetPolicy;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Developer-facing webhook management (create with verify handshake, list, delete, delivery log,
 * redelivery), vehicle subscriptions, and the background delivery and scheduling loops.
 */
export class WebhookService implements WebhookSubscriptions {
  readonly repo: WebhooksRepo;
  readonly keys: SigningKeys;
  readonly deliverer: Deliverer;
  readonly scheduler: Scheduler;
  private readonly timeoutMs: number;
  private readonly targets: TargetPolicy;
  private schedTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: WebhookServiceOptions) {
    this.repo = new WebhooksRepo(o.storage.db);
    this.keys = new SigningKeys(o.storage.db, o.secretKey);
    this.timeoutMs = o.timeoutMs ?? 15_000;
    this.targets = o.targets ?? { allowPrivate: false };
    this.deliverer = new Deliverer(o.storage, this.keys, o.clock, o.log, { timeoutMs: this.timeoutMs, retry: o.retry, pollMs: o.pollMs, random: o.random, targets: this.targets });
    this.scheduler = new Scheduler(o.storage, this.keys, o.clock, o.log, o.backend ?? (() => undefined), o.publicUrl, o.connections, o.accessLog);
  }

  /** The sink to register with backend.addEventSink: writes outbox rows inside the event's transaction. */
  eventSink(): EventSink {
    return outboxSink(this.o.clock);
  }

  /** Starts delivery and scheduling loops (real-time polling; due times follow the injected clock). */
  start(): void {
    this.deliverer.start();
    const pollMs = this.o.pollMs ?? 250;
    const loop = async () => {
      try { await this.scheduler.tick(); } catch (err) { this.o.log.error({ err }, 'webhook scheduler failed'); }
      if (this.schedTimer) this.schedTimer = setTimeout(() => void loop(), Math.max(pollMs, 1000));
    };
    this.schedTimer = setTimeout(() => void loop(), Math.max(pollMs, 1000));
  }

  async close(): Promise<void> {
    if (this.schedTimer) clearTimeout(this.schedTimer);
    this.schedTimer = null;
    await this.deliverer.stop();
  }

  async subscribe(appId: string, webhookId: string, vehicleId: string): Promise<boolean> {
    const hook = await this.repo.getWebhook(webhookId);
    if (!hook || hook.app_id !== appId || hook.api_version !== '2.0') return false;
    await this.repo.subscribe(appId, webhookId, vehicleId, this.o.clock.now());
    return true;
  }

  async unsubscribe(appId: string, webhookId: string, vehicleId: string): Promise<boolean> {
    const hook = await this.repo.getWebhook(webhookId);
    if (!hook || hook.app_id !== appId || hook.api_version !== '2.0') return false;
    return this.repo.unsubscribe(webhookId, vehicleId);
  }

  /** Registers a webhook and runs the verify handshake; it delivers only once verified. */
  async create(appId: string, input: NewWebhook): Promise<WebhookView & { verification: VerifyResult }> {
    const row = await this.validate(appId, input);
    await this.repo.createWebhook(row);
    const verification = await this.verify(appId, row.id);
    return { ...(await this.get(appId, row.id)), verification };
  }

  /** Posts a challenge; the receiver must answer {challenge: hex HMAC(AMT, challenge)} within the timeout. */
  async verify(appId: string, webhookId: string): Promise<VerifyResult> {
    const hook = await this.own(appId, webhookId);
    const key = await this.keys.get(appId);
    if (!key) throw new ApiError('AUTHENTICATION');
    await this.allowedTarget(new URL(hook.url));
    const challenge = randomBytes(24).toString('hex');
    const body = envelope(hook.id, 'verify', null, { challenge });
    const res = await postSigned(hook.url, body, { 'SC-Signature': signBody(key.amt, body) }, this.timeoutMs, this.targets);
    let answer: unknown;
    try { answer = res.body ? (JSON.parse(res.body) as { challenge?: unknown }).challenge : undefined; } catch { answer = undefined; }
    const ok = res.status !== null && res.status >= 200 && res.status < 300 && typeof answer === 'string' && safeEqual(answer, challengeAnswer(key.amt, challenge));
    const now = this.o.clock.now();
    if (ok) {
      await this.repo.updateWebhook(hook.id, {
        status: 'active', verified_at: now,
        ...(hook.kind === 'scheduled' && hook.next_run_at === null ? { next_run_at: nextRun(hook.cadence ?? 'hourly', now), anchor_at: now } : {}),
      });
      return { verified: true, status: 'active' };
    }
    const error = res.error ?? (res.status !== null && (res.status < 200 || res.status >= 300) ? `HTTP ${res.status}` : 'wrong challenge answer');
    return { verified: false, status: hook.status, error };
  }

  async list(appId: string): Promise<WebhookView[]> {
    const rows = await this.repo.listWebhooks(appId);
    return Promise.all(rows.map(async (r) => this.view(r)));
  }

  async get(appId: string, webhookId: string): Promise<WebhookView> {
    return this.view(await this.own(appId, webhookId));
  }

  async remove(appId: string, webhookId: string): Promise<void> {
    await this.own(appId, webhookId);
    await this.repo.deleteWebhook(webhookId, this.o.clock.now());
  }

  async deliveries(appId: string, webhookId: string, limit = 100): Promise<DeliveryView[]> {
    await this.own(appId, webhookId);
    return (await this.repo.listDeliveries(webhookId, limit)).map(deliveryView);
  }

  async delivery(appId: string, deliveryId: string): Promise<DeliveryView & { log: AttemptView[] }> {
    const d = await this.repo.getDelivery(deliveryId);
    if (!d || d.app_id !== appId) throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'No such delivery.' });
    return { ...deliveryView(d), log: (await this.repo.attempts(deliveryId)).map(attemptView) };
  }

  /** Sends a delivery again with the same id and body (also revives dead-lettered ones), with a fresh retry window. */
  async redeliver(appId: string, deliveryId: string): Promise<DeliveryView> {
    const d = await this.repo.getDelivery(deliveryId);
    if (!d || d.app_id !== appId) throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'No such delivery.' });
    await this.repo.redeliver(deliveryId, this.o.clock.now());
    return deliveryView((await this.repo.getDelivery(deliveryId))!);
  }

  /**
   * Sends a test event to a verified webhook at once, through the delivery engine (signed, logged,
   * redeliverable), and returns the delivery with its attempt. The envelope is the webhook's own kind
   * with `mode: "test"`: an event webhook gets a charging event of its first event type for its first
   * subscribed vehicle (a fresh id when none is), a scheduled one a run without vehicles (nothing is
   * read from a vehicle). It has a queue of its own, so no vehicle's deliveries wait behind it or
   * renumber, and it is tried once: its outcome is the answer. The same `token` (one per form) sends
   * one event however often it is submitted.
   */
  async sendTest(appId: string, webhookId: string, token?: string): Promise<DeliveryView & { log: AttemptView[] }> {
    const hook = await this.own(appId, webhookId);
    if (hook.status !== 'active') throw new ApiError('VALIDATION:PARAMETER', { description: 'Only a verified webhook receives test events; verify it first.' });
    const id = token ? stableId(hook.id, 'test', token) : randomUUID();
    if (!(await this.repo.getDelivery(id))) {
      const now = this.o.clock.now();
      const eventName = hook.kind === 'event' ? 'eventBased' : 'scheduled';
      const body = envelope(hook.id, eventName, 'test', await this.testPayload(hook, now));
      await this.repo.enqueue([newDelivery({ id, webhookId: hook.id, appId, orderKey: `test:${id}`, eventName, body, now, test: true })]);
    }
    // Sent here, unless the delivery loop (or an earlier submit of the same form) took it first: then wait for that attempt.
    const deadline = performance.now() + 2 * this.timeoutMs + 5000;
    while (!(await this.deliverer.deliverNow(id))) {
      const d = await this.repo.getDelivery(id);
      if (!d || d.status !== 'pending' || performance.now() > deadline) break;
      await sleep(25);
    }
    return this.delivery(appId, id);
  }

  private async testPayload(hook: WebhookRow, now: number): Promise<unknown> {
    if (hook.kind !== 'event') return { vehicles: [] };
    const topics = JSON.parse(hook.topics) as string[];
    const vehicleId = (await this.repo.subscribers(hook.id))[0] ?? randomUUID();
    return { eventId: randomUUID(), vehicleId, eventType: topics[0] ?? EVENT_TYPES[0], eventTime: new Date(now).toISOString() };
  }

  /** VALIDATION unless the receiver's host resolves only to addresses the target policy allows. */
  private async allowedTarget(url: URL): Promise<void> {
    const checked = await checkTarget(url, this.targets);
    if (!checked.ok) throw new ApiError('VALIDATION:PARAMETER', { description: `url is not an allowed webhook target: ${checked.reason}.`, detail: [{ field: '/url', message: checked.reason }] });
  }

  private async own(appId: string, webhookId: string): Promise<WebhookRow> {
    const hook = await this.repo.getWebhook(webhookId);
    if (!hook || hook.app_id !== appId || hook.api_version !== '2.0') throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'No such webhook for this application.' });
    return hook;
  }

  private async view(r: WebhookRow): Promise<WebhookView> {
    const topics = JSON.parse(r.topics) as string[];
    return {
      id: r.id, name: r.name, url: r.url, type: r.kind === 'event' ? 'eventBased' : 'scheduled', cadence: r.cadence,
      endpoints: r.kind === 'scheduled' ? topics : [], events: r.kind === 'event' ? topics : [], status: r.status,
      verifiedAt: iso(r.verified_at), nextRunAt: iso(r.next_run_at), createdAt: new Date(r.created_at).toISOString(),
      vehicles: await this.repo.subscribers(r.id),
    };
  }

  private async validate(appId: string, input: NewWebhook): Promise<WebhookRow> {
    const bad = (description: string) => new ApiError('VALIDATION:PARAMETER', { description });
    let url: URL;
    try { url = new URL(input.url); } catch { throw bad('url must be an absolute http(s) URL.'); }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad('url must be an absolute http(s) URL.');
    if (url.username || url.password) throw bad('url must not carry credentials.');
    await this.allowedTarget(url);
    const now = this.o.clock.now();
    const base = { id: randomUUID(), app_id: appId, name: input.name?.trim() || 'webhook', url: url.toString(), status: 'unverified', verified_at: null, created_at: now, deleted_at: null, anchor_at: null, api_version: '2.0', triggers: null, signals: null, error_url: null, auto_subscribe: 0 };
    if (input.type === 'eventBased') {
      if (this.o.allows && !(await this.o.allows(appId, 'event_webhooks'))) throw new ApiError('BILLING:INVALID_PLAN', { description: 'Event-based webhooks are not included in the plan of this application.' });
      const events = input.events?.length ? input.events : [...EVENT_TYPES];
      const unknown = events.find((e) => !(EVENT_TYPES as readonly string[]).includes(e));
      if (unknown) throw bad(`Unknown event type ${unknown}; use ${EVENT_TYPES.join(', ')}.`);
      return { ...base, kind: 'event', cadence: null, topics: JSON.stringify([...new Set(events)]), next_run_at: null };
    }
    if (input.type !== 'scheduled') throw bad('type must be scheduled or eventBased.');
    const cadence = input.cadence ?? 'hourly';
    if (!isCadence(cadence)) throw bad('cadence must be hourly, daily, weekly, monthly or <n>m (1-1440 minutes).');
    const endpoints = input.endpoints ?? [];
    if (endpoints.length === 0) throw bad('endpoints must list at least one path, e.g. /battery.');
    const unknown = endpoints.find((p) => !SCHEDULABLE_PATHS.includes(p));
    if (unknown) throw bad(`Path ${unknown} cannot be scheduled; use ${SCHEDULABLE_PATHS.join(', ')}.`);
    return { ...base, kind: 'scheduled', cadence, topics: JSON.stringify([...new Set(endpoints)]), next_run_at: null };
  }
}

function deliveryView(d: DeliveryRow): DeliveryView {
  return {
    id: d.id, webhookId: d.webhook_id, eventName: d.event_name, vehicleKey: d.order_key, status: d.status, attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? iso(d.next_attempt_at) : null, createdAt: new Date(d.created_at).toISOString(),
    deliveredAt: iso(d.delivered_at), lastStatus: d.last_status, lastError: d.last_error, body: JSON.parse(d.body) as unknown,
    test: d.test === 1,
  };
}

function attemptView(a: AttemptRow): AttemptView {
  return { attempt: a.attempt, at: new Date(a.at).toISOString(), durationMs: a.duration_ms, responseStatus: a.response_status, responseBody: a.response_body, error: a.error };
}
