import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { timeOrderedUuid, type Clock } from '@opencar/core';
import { deliveryOutbox, queueKey, WebhooksRepo, type DeliveryOutbox, type DeliveryRow, type FinishedAttempt, type Storage, type WebhookRow } from '@opencar/storage';
import { DEFAULT_RETRY, nextAttemptAt, type RetryPolicy } from './backoff.js';
import { Completions } from './completions.js';
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
  /**
   * Most deliveries leased per round, over all queues (default 1024). On SQLite a claim runs
   * synchronously, mostly writing the commit's pages: with in-order chains about 25 µs per
   * delivery leased at 500 a round (about 32 µs at 200), so a round of 500 holds the event loop
   * some 12 ms. Larger rounds write fewer pages per delivery, as a queue's chain shares them.
   */
  batch?: number;
  /**
   * Most deliveries under way at once: queues (vehicles of a webhook) served per round, and
   * keep-alive connections per receiver (default 64).
   */
  connections?: number;
  /**
   * Most deliveries of one queue per round, sent one after another (default 32). A queue gets more
   * than its head only when its last attempt, in the round before, was delivered.
   */
  chain?: number;
  /** Real-time pause between polls when idle, ms (default 250). */
  pollMs?: number;
  random?: () => number;
  /** Which receiver addresses may be reached (default: public addresses only). */
  targets?: TargetPolicy;
}

const queueOf = (d: DeliveryRow) => queueKey(d.webhook_id, d.order_key);

/** A chain is never continued unless its next attempt can time out this long before the lease ends, ms. */
const LEASE_MARGIN_MS = 5000;

/**
 * Sends queued deliveries. Each round leases the due heads of the (webhook, vehicle) queues, and
 * behind the head of a queue whose deliveries went through in the round before, the next due rows
 * of that queue (a chain); it posts each chain's deliveries signed, one after another, while the
 * queues' chains run side by side, and records the attempts. A failure reschedules with backoff,
 * ends its chain (the rest is given back unattempted, still due, in the same order) and blocks that
 * vehicle's later deliveries, so per-vehicle order holds. Leases let several processes share the outbox.
 */
export class Deliverer {
  readonly owner = `deliverer-${randomUUID()}`;
  private readonly repo: WebhooksRepo;
  private readonly outbox: DeliveryOutbox;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly batch: number;
  private readonly connections: number;
  private readonly chain: number;
  /** Queues whose last attempt, in the last round, was delivered: they may send a chain next round. */
  private flowing = new Set<string>();
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
    this.outbox = deliveryOutbox(storage);
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.batch = Math.max(1, opts.batch ?? 1024);
    this.connections = Math.max(1, Math.min(this.batch, opts.connections ?? 64));
    this.chain = Math.max(1, opts.chain ?? 32);
    this.pollMs = opts.pollMs ?? 250;
    this.random = opts.random ?? Math.random;
    this.targets = opts.targets ?? { allowPrivate: false };
    this.pool = new ReceiverPool(this.targets, { connections: this.connections, connectTimeoutMs: this.timeoutMs });
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
    await this.outbox.finishAttempts(this.owner, [await this.attempt(d, hooks.get(d.webhook_id), keys.get(d.app_id))]);
    return true;
  }

  private async doRound(): Promise<number> {
    const now = this.clock.now();
    const flowing = this.flowing;
    this.flowing = new Set();
    const chains = this.chain > 1 && flowing.size > 0 ? { total: this.batch, chain: (head: DeliveryRow) => (flowing.has(queueOf(head)) ? this.chain : 1) } : undefined;
    const leased = await this.outbox.claimDue(this.owner, now, 2 * this.timeoutMs + 5000, this.connections, chains);
    if (leased.length === 0) return 0;
    // Webhooks and signing keys are read once per round, just before the attempts.
    const hooks = await this.repo.getWebhooks([...new Set(leased.map((d) => d.webhook_id))]);
    const keys = await this.keys.getMany(leased.filter((d) => hooks.has(d.webhook_id)).map((d) => d.app_id));
    const completions = new Completions(this.outbox, this.owner, leased.length);
    let attempts = 0;
    await Promise.all(queues(leased).map(async (chain) => {
      const records: Promise<void>[] = [];
      const record = (p: Promise<void>) => { p.catch(() => undefined); records.push(p); };
      for (let i = 0; i < chain.length; i++) {
        const d = chain[i]!;
        if (i > 0 && (this.stopped || this.clock.now() + this.timeoutMs + LEASE_MARGIN_MS > Number(d.lease_until))) {
          record(completions.release(chain.slice(i).map((r) => r.id)));
          break;
        }
        const finished = await this.attempt(d, hooks.get(d.webhook_id), keys.get(d.app_id));
        attempts++;
        record(completions.add(finished));
        const { outcome, attempt } = finished;
        if (outcome.status === 'dead' && !d.test) this.log.warn({ deliveryId: d.id, webhookId: d.webhook_id, attempts: attempt.attempt, error: outcome.error }, 'webhook delivery dead-lettered');
        if (outcome.status !== 'delivered') {
          record(completions.release(chain.slice(i + 1).map((r) => r.id)));
          break;
        }
        if (i === chain.length - 1) this.flowing.add(queueOf(d));
      }
      await Promise.all(records);
    }));
    return attempts;
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
        id: timeOrderedUuid(at), delivery_id: d.id, webhook_id: d.webhook_id, attempt, at, duration_ms: Math.round(res.durationMs * 10) / 10,
        response_status: res.status, response_body: res.body, error,
      },
      outcome: { status: ok ? 'delivered' : next === null ? 'dead' : 'pending', nextAttemptAt: next ?? done, error },
    };
  }
}

/** Leased rows split into their queues' chains (in the order leased), queues in the order of their first row. */
function queues(leased: readonly DeliveryRow[]): DeliveryRow[][] {
  const out = new Map<string, DeliveryRow[]>();
  for (const d of leased) {
    const k = queueOf(d);
    const q = out.get(k);
    if (q) q.push(d); else out.set(k, [d]);
  }
  return [...out.values()];
}
