import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '@opencar/core';
import { WebhooksRepo, type DeliveryRow, type FinishedAttempt, type Storage, type WebhookRow } from '@opencar/storage';
import { DEFAULT_RETRY, nextAttemptAt, type RetryPolicy } from './backoff.js';
import { postSigned } from './post.js';
import { ReceiverPool } from './receiver-pool.js';
import { signBody } from './sign.js';
import type { TargetPolicy } from './target-policy.js';
import type { SigningKeys } from './signing-keys.js';
import { eventUrl, finaliseEvent } from './v3/payload.js';

export interface DelivererOptions {
  /** Receiver timeout, ms (default 15 s). */
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** Deliveries leased per round (default 64). */
  batch?: number;
  /** Real-time pause between polls when idle, ms (default 250). */
  pollMs?: number;
  random?: () => number;
  /** Which receiver addresses may be reached (default: public addresses only). */
  targets?: TargetPolicy;
}

/**
 * Sends queued deliveries. Each round leases the due heads of every (webhook, vehicle) queue, posts
 * them signed, and records the attempt; a failure reschedules with backoff and blocks that vehicle's
 * later deliveries, so per-vehicle order holds. Leases let several processes share the outbox.
 */
export class Deliverer {
  readonly owner = `deliverer-${randomUUID()}`;
  private readonly repo: WebhooksRepo;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly batch: number;
  private readonly pollMs: number;
  private readonly random: () => number;
  private readonly targets: TargetPolicy;
  /** Keep-alive connections per receiver origin, closed by stop(). */
  private readonly pool: ReceiverPool;
  /** The next round: at once after a busy round, after pollMs when idle. */
  private timer: { timeout?: NodeJS.Timeout; immediate?: NodeJS.Immediate } | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(storage: Storage, private readonly keys: SigningKeys, private readonly clock: Clock, private readonly log: Logger, opts: DelivererOptions = {}) {
    this.repo = new WebhooksRepo(storage.db);
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.batch = opts.batch ?? 64;
    this.pollMs = opts.pollMs ?? 250;
    this.random = opts.random ?? Math.random;
    this.targets = opts.targets ?? { allowPrivate: false };
    this.pool = new ReceiverPool(this.targets, { connections: this.batch, connectTimeoutMs: this.timeoutMs });
  }

  start(): void {
    if (this.timer || this.stopped) return;
    const loop = async () => {
      this.timer = null;
      let sent = 0;
      try { sent = await this.round(); } catch (err) { this.log.error({ err }, 'webhook delivery round failed'); }
      // After a busy round the next one starts as soon as pending I/O callbacks ran (setImmediate;
      // setTimeout(0) waits for the timer phase, about a millisecond); idle, it polls every pollMs.
      if (!this.stopped) this.timer = sent > 0 ? { immediate: setImmediate(() => void loop()) } : { timeout: setTimeout(() => void loop(), this.pollMs) };
    };
    this.timer = { immediate: setImmediate(() => void loop()) };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer?.timeout) clearTimeout(this.timer.timeout);
    if (this.timer?.immediate) clearImmediate(this.timer.immediate);
    this.timer = null;
    if (this.running) await this.running.catch(() => 0);
    await this.pool.close();
  }

  /** Rounds until nothing is due (tests; bounded). Returns the number of attempts made. */
  async runUntilIdle(maxRounds = 1000): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxRounds; i++) {
      const n = await this.round();
      total += n;
      if (n === 0) return total;
    }
    return total;
  }

  /** One round: lease, send, record. Returns attempts made. */
  round(): Promise<number> {
    if (this.running) return this.running;
    this.running = this.doRound().finally(() => { this.running = null; });
    return this.running;
  }

  /**
   * Sends one pending delivery now, outside the rounds (a test event from the dashboard): the same
   * signing, posting and recording as a round. False when it is not due or another sender holds it.
   */
  async deliverNow(id: string): Promise<boolean> {
    const d = await this.repo.claim(this.owner, id, this.clock.now(), 2 * this.timeoutMs + 5000);
    if (!d) return false;
    const hooks = await this.repo.getWebhooks([d.webhook_id]);
    const keys = await this.keys.getMany(hooks.has(d.webhook_id) ? [d.app_id] : []);
    await this.repo.finishAttempts(this.owner, [await this.attempt(d, hooks.get(d.webhook_id), keys.get(d.app_id))]);
    return true;
  }

  private async doRound(): Promise<number> {
    const now = this.clock.now();
    const leased = await this.repo.claimDue(this.owner, now, 2 * this.timeoutMs + 5000, this.batch);
    if (leased.length === 0) return 0;
    // Webhooks and signing keys are read once per round, just before the attempts.
    const hooks = await this.repo.getWebhooks([...new Set(leased.map((d) => d.webhook_id))]);
    const keys = await this.keys.getMany(leased.filter((d) => hooks.has(d.webhook_id)).map((d) => d.app_id));
    const completions = new Completions(this.repo, this.owner, leased.length);
    await Promise.all(leased.map(async (d) => {
      const finished = await this.attempt(d, hooks.get(d.webhook_id), keys.get(d.app_id));
      await completions.add(finished);
      const { outcome, attempt } = finished;
      if (outcome.status === 'dead' && !d.test) this.log.warn({ deliveryId: d.id, webhookId: d.webhook_id, attempts: attempt.attempt, error: outcome.error }, 'webhook delivery dead-lettered');
    }));
    return leased.length;
  }

  private async attempt(d: DeliveryRow, hook: WebhookRow | undefined, key: { amt: string } | undefined): Promise<FinishedAttempt> {
    const attempt = d.attempts + 1;
    const at = this.clock.now();
    const gone = !hook ? 'webhook deleted' : !key ? 'application deleted' : null;
    let res;
    if (!hook || !key) res = { status: null, body: null, error: gone, durationMs: 0 };
    else if (hook.api_version === '3') {
      // Payload 4.0: each attempt has its own deliveryId and deliveredAt, so the body is finalised and signed per attempt.
      const body = finaliseEvent(d.body, randomUUID(), at);
      res = await postSigned(eventUrl(d.event_name, hook.url, hook.error_url), body, { 'SC-Signature': signBody(key.amt, body) }, this.timeoutMs, this.targets, this.pool);
    } else res = await postSigned(hook.url, d.body, { 'SC-Signature': signBody(key.amt, d.body), 'sc-delivery-id': d.id }, this.timeoutMs, this.targets, this.pool);
    const ok = res.status !== null && res.status >= 200 && res.status < 300;
    const done = this.clock.now();
    // Nothing to deliver to any more: dead-letter at once instead of retrying. A test event is tried once (its outcome is shown at once; it can be redelivered).
    const next = ok ? done : gone || d.test ? null : nextAttemptAt(this.retry, attempt, d.retry_from ?? d.created_at, done, this.random);
    const error = ok ? null : res.error ?? `HTTP ${res.status}`;
    return {
      attempt: {
        id: randomUUID(), delivery_id: d.id, webhook_id: d.webhook_id, attempt, at, duration_ms: Math.round(res.durationMs * 10) / 10,
        response_status: res.status, response_body: res.body, error,
      },
      outcome: { status: ok ? 'delivered' : next === null ? 'dead' : 'pending', nextAttemptAt: next ?? done, error },
    };
  }
}

/** How long a finished attempt waits for others of its round before it is recorded anyway, ms. */
const FLUSH_MS = 20;

/**
 * Records a round's finished attempts in batches: at once when the last attempt of the round is
 * done, else FLUSH_MS after the first unrecorded one finished, so a slow receiver never holds back
 * the record of the others for long. Each batch is one transaction.
 */
class Completions {
  private batch: FinishedAttempt[] = [];
  private done: { promise: Promise<void>; resolve: () => void; reject: (err: unknown) => void } | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly repo: WebhooksRepo, private readonly owner: string, private outstanding: number) {}

  /** Resolves once the attempt is recorded. */
  add(finished: FinishedAttempt): Promise<void> {
    this.batch.push(finished);
    this.outstanding--;
    if (!this.done) {
      let resolve!: () => void;
      let reject!: (err: unknown) => void;
      const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
      this.done = { promise, resolve, reject };
    }
    const { promise } = this.done;
    if (this.outstanding <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
    return promise;
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.batch;
    const done = this.done;
    this.batch = [];
    this.done = null;
    if (!done || batch.length === 0) return;
    this.repo.finishAttempts(this.owner, batch).then(done.resolve, done.reject);
  }
}
