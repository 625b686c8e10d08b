import { sql, type ExpressionBuilder, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { WebhookAttemptsTable, WebhookDeliveriesTable, WebhooksTable } from '../tables/webhooks.js';

export type WebhookRow = Selectable<WebhooksTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type AttemptRow = Selectable<WebhookAttemptsTable>;

/** What an attempt leaves its delivery as. */
export interface AttemptOutcome { status: 'pending' | 'delivered' | 'dead'; nextAttemptAt: number; error: string | null }
/** One finished attempt: its log line and outcome. */
export interface FinishedAttempt { attempt: AttemptRow; outcome: AttemptOutcome }

/** Most in-order deliveries a round may lease from the queue a head leads (1: the head only). */
export type ChainLimit = (head: DeliveryRow) => number;

/** Chains for claimDue: how long each queue's chain may be, and how many rows a round leases in all. */
export interface ChainClaim { chain: ChainLimit; total: number }

/**
 * The delivery outbox as the deliverer uses it: leases and outcomes. WebhooksRepo is the portable
 * implementation; `deliveryOutbox()` picks prepared statements on SQLite.
 */
export interface DeliveryOutbox {
  claimDue(owner: string, now: number, leaseMs: number, limit: number, chains?: ChainClaim): Promise<DeliveryRow[]>;
  finishAttempts(owner: string, done: readonly FinishedAttempt[], released?: readonly string[]): Promise<void>;
}

/**
 * Orders leased rows for the deliverer: queues by their head (next_attempt_at, seq, id), each
 * queue's rows together and in (seq, id) order.
 */
export function byQueueHead(rows: DeliveryRow[]): DeliveryRow[] {
  const queues = new Map<string, DeliveryRow[]>();
  for (const r of rows) {
    const key = queueKey(r.webhook_id, r.order_key);
    let q = queues.get(key);
    if (!q) queues.set(key, q = []);
    q.push(r);
  }
  const lists = [...queues.values()].map((q) => q.sort(inQueueOrder));
  lists.sort((x, y) => byDue(x[0]!, y[0]!));
  return lists.flat();
}

/** Followers a head may bring: chain(head) - 1, at least none. */
export const chainMax = (chain: ChainLimit, head: DeliveryRow) => Math.max(1, Math.floor(chain(head))) - 1;

const inQueueOrder = (x: DeliveryRow, y: DeliveryRow) => Number(x.seq) - Number(y.seq) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
const byDue = (x: DeliveryRow, y: DeliveryRow) => Number(x.next_attempt_at) - Number(y.next_attempt_at) || inQueueOrder(x, y);

/**
 * Which followers of the leased heads a round takes: each queue's next pending rows in order while
 * they are due and free (the first that is not ends the chain), at most `chain(head) - 1` per
 * queue and `budget` in all, dealt out one position at a time so every queue gets its share.
 */
export function pickFollowers(heads: readonly DeliveryRow[], followers: ReadonlyMap<string, readonly DeliveryRow[]>, chain: ChainLimit, budget: number, now: number): DeliveryRow[] {
  const runs = heads.map((h) => {
    const run: DeliveryRow[] = [];
    const max = chainMax(chain, h);
    for (const f of followers.get(h.id) ?? []) {
      if (run.length >= max || Number(f.next_attempt_at) > now || (f.lease_until !== null && Number(f.lease_until) > now)) break;
      run.push(f);
    }
    return run;
  });
  const out: DeliveryRow[] = [];
  for (let pos = 0; out.length < budget; pos++) {
    let any = false;
    for (const run of runs) {
      if (pos >= run.length) continue;
      any = true;
      out.push(run[pos]!);
      if (out.length >= budget) break;
    }
    if (!any) break;
  }
  return out;
}

/** A read of the rows behind a head: `limit` more, after `after` (the head or the last row read). */
export interface FollowerRead { head: DeliveryRow; after: DeliveryRow; limit: number }

/** Passes of follower reads at most: each pass asks a queue for as many rows again as it has read, so 32 rows take six. */
const FOLLOWER_PASSES = 8;

/**
 * Plans the reads of the followers pickFollowers deals out, in passes, instead of reading every
 * head's whole chain: the first pass asks each queue for a fair share of the budget (a round dealt
 * one position at a time takes no more from any queue while every queue has that many), and a
 * later pass asks again only the queues whose every row read was taken, whose last read came back
 * full and whose chain is not at its length yet (another queue's run ended early). The followers
 * picked are the same as from whole chains.
 *
 *     const plan = new FollowerReads(heads, chain, budget, now);
 *     for (let reads = plan.first(); reads.length > 0; reads = plan.absorb(read(reads)));
 *     plan.picked // in pickFollowers' order
 */
export class FollowerReads {
  private readonly behind = new Map<string, DeliveryRow[]>();
  private pending: readonly FollowerRead[] = [];
  private passes = 0;
  picked: DeliveryRow[] = [];

  constructor(private readonly heads: readonly DeliveryRow[], private readonly chain: ChainLimit, private readonly budget: number, private readonly now: number) {}

  first(): readonly FollowerRead[] {
    const share = Math.ceil(this.budget / Math.max(1, this.heads.length));
    const reads: FollowerRead[] = [];
    for (const h of this.heads) {
      const limit = Math.min(share, this.budget, chainMax(this.chain, h));
      if (limit > 0) reads.push({ head: h, after: h, limit });
    }
    return this.ask(reads);
  }

  /** Takes the rows the last reads returned (by head id, in queue order); returns the next reads (none: done). */
  absorb(got: ReadonlyMap<string, readonly DeliveryRow[]>): readonly FollowerRead[] {
    const full = new Set<string>();
    for (const r of this.pending) {
      const rows = got.get(r.head.id) ?? [];
      let all = this.behind.get(r.head.id);
      if (!all) this.behind.set(r.head.id, all = []);
      all.push(...rows);
      if (rows.length >= r.limit) full.add(r.head.id);
    }
    this.picked = pickFollowers(this.heads, this.behind, this.chain, this.budget, this.now);
    if (this.picked.length >= this.budget || this.passes >= FOLLOWER_PASSES) return this.ask([]);
    const taken = new Map<string, number>();
    for (const f of this.picked) {
      const k = queueKey(f.webhook_id, f.order_key);
      taken.set(k, (taken.get(k) ?? 0) + 1);
    }
    const again: FollowerRead[] = [];
    for (const h of this.heads) {
      const all = this.behind.get(h.id);
      if (!all || !full.has(h.id) || (taken.get(queueKey(h.webhook_id, h.order_key)) ?? 0) < all.length) continue;
      const limit = Math.min(all.length, Math.min(this.budget, chainMax(this.chain, h)) - all.length);
      if (limit > 0) again.push({ head: h, after: all[all.length - 1]!, limit });
    }
    return this.ask(again);
  }

  private ask(reads: readonly FollowerRead[]): readonly FollowerRead[] {
    this.pending = reads;
    if (reads.length > 0) this.passes++;
    return reads;
  }
}

/** Ids per IN list (well under SQLite's and PostgreSQL's bound-parameter limits). */
const CHUNK = 500;
/** Rows per multi-row INSERT (17 columns each stays under SQLite's 32,766 parameters). */
const INSERT_ROWS = 500;
/** Outcomes per multi-row UPDATE (8 values each). */
const OUTCOME_ROWS = 500;

/** A (webhook, vehicle) delivery queue's key. */
export const queueKey = (webhookId: string, orderKey: string) => `${webhookId}\u0000${orderKey}`;

/** Webhooks, subscriptions and the delivery outbox. Pass a transaction to write with other state. */
export class WebhooksRepo implements DeliveryOutbox {
  constructor(private readonly db: Kysely<Database>) {}

  async createWebhook(row: Insertable<WebhooksTable>): Promise<void> {
    await this.db.insertInto('webhooks').values(row).execute();
  }

  getWebhook(id: string): Promise<WebhookRow | undefined> {
    return this.db.selectFrom('webhooks').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  }

  /** Several (not deleted) webhooks by id, in one query. */
  async getWebhooks(ids: readonly string[]): Promise<Map<string, WebhookRow>> {
    const out = new Map<string, WebhookRow>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await this.db.selectFrom('webhooks').selectAll().where('id', 'in', ids.slice(i, i + CHUNK)).where('deleted_at', 'is', null).execute();
      for (const r of rows) out.set(r.id, r);
    }
    return out;
  }

  /** The app's API v2 webhooks (v3 integrations share the table and are listed by IntegrationsRepo). */
  listWebhooks(appId: string): Promise<WebhookRow[]> {
    return this.db.selectFrom('webhooks').selectAll().where('app_id', '=', appId).where('api_version', '=', '2.0').where('deleted_at', 'is', null).orderBy('created_at').execute();
  }

  async updateWebhook(id: string, patch: Partial<Omit<WebhookRow, 'id' | 'app_id'>>): Promise<void> {
    await this.db.updateTable('webhooks').set(patch).where('id', '=', id).execute();
  }

  /** Soft-deletes the webhook, drops its subscriptions and dead-letters what it still had queued. */
  async deleteWebhook(id: string, now: number): Promise<void> {
    await this.db.updateTable('webhooks').set({ deleted_at: now, status: 'disabled' }).where('id', '=', id).execute();
    await this.db.deleteFrom('webhook_subscriptions').where('webhook_id', '=', id).execute();
    await this.db.updateTable('webhook_deliveries').set({ status: 'dead', last_error: 'webhook deleted', lease_owner: null, lease_until: null })
      .where('webhook_id', '=', id).where('status', '=', 'pending').execute();
  }

  async subscribe(appId: string, webhookId: string, vehicleId: string, now: number): Promise<void> {
    await this.db.insertInto('webhook_subscriptions').values({ webhook_id: webhookId, vehicle_id: vehicleId, app_id: appId, created_at: now })
      .onConflict((oc) => oc.columns(['webhook_id', 'vehicle_id']).doNothing()).execute();
  }

  async unsubscribe(webhookId: string, vehicleId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('webhook_subscriptions').where('webhook_id', '=', webhookId).where('vehicle_id', '=', vehicleId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /**
   * Vehicles subscribed to a (not deleted) webhook that are still connected to the webhook's app:
   * a disconnected or revoked vehicle keeps its subscription row but receives nothing.
   */
  async subscribers(webhookId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('webhook_subscriptions as s').innerJoin('webhooks as w', 'w.id', 's.webhook_id')
      .select('s.vehicle_id').distinct()
      .where('s.webhook_id', '=', webhookId).where('w.deleted_at', 'is', null)
      .where(({ exists, selectFrom }) => exists(selectFrom('oauth_connections as c').select('c.vehicle_id')
        .whereRef('c.app_id', '=', 'w.app_id').whereRef('c.vehicle_id', '=', 's.vehicle_id')))
      .orderBy('s.vehicle_id').execute();
    return rows.map((r) => r.vehicle_id);
  }

  /** The app's connections to a vehicle (one per owner) with the granted permissions. */
  async connections(appId: string, vehicleId: string): Promise<{ userId: string; permissions: string[] }[]> {
    const rows = await this.db.selectFrom('oauth_connections').select(['user_id', 'permissions'])
      .where('app_id', '=', appId).where('vehicle_id', '=', vehicleId).orderBy('connected_at', 'desc').execute();
    return rows.map((r) => ({ userId: r.user_id, permissions: JSON.parse(r.permissions) as string[] }));
  }

  /**
   * Active event webhooks each vehicle is subscribed to, for vehicles still connected to the
   * webhook's app, with the app's mode (null when the app is gone).
   */
  async eventSubscriptions(vehicleIds: string[]): Promise<{ vehicleId: string; webhook: WebhookRow; appMode: string | null }[]> {
    if (vehicleIds.length === 0) return [];
    const rows = await this.db.selectFrom('webhook_subscriptions as s').innerJoin('webhooks as w', 'w.id', 's.webhook_id')
      .leftJoin('apps as a', (j) => j.onRef('a.id', '=', 'w.app_id').on('a.deleted_at', 'is', null))
      .selectAll('w').select(['s.vehicle_id as sub_vehicle_id', 'a.mode as app_mode'])
      .where('s.vehicle_id', 'in', vehicleIds).where('w.kind', '=', 'event').where('w.status', '=', 'active').where('w.deleted_at', 'is', null)
      .where(({ exists, selectFrom }) => exists(selectFrom('oauth_connections as c').select('c.vehicle_id')
        .whereRef('c.app_id', '=', 'w.app_id').whereRef('c.vehicle_id', '=', 's.vehicle_id')))
      .execute();
    return rows.map(({ sub_vehicle_id, app_mode, ...w }) => ({ vehicleId: sub_vehicle_id, webhook: w, appMode: app_mode }));
  }

  /** Active scheduled webhooks whose next run is due. */
  dueScheduled(now: number): Promise<WebhookRow[]> {
    return this.db.selectFrom('webhooks').selectAll().where('kind', '=', 'scheduled').where('status', '=', 'active')
      .where('deleted_at', 'is', null).where('next_run_at', '<=', now).execute();
  }

  /** Moves a schedule forward only if nobody else did (compare-and-set on next_run_at). */
  async advanceSchedule(id: string, from: number, to: number): Promise<boolean> {
    const r = await this.db.updateTable('webhooks').set({ next_run_at: to }).where('id', '=', id).where('next_run_at', '=', from).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Insert-or-ignore on the delivery id, so re-enqueuing the same event is harmless. Each row gets
   * the next ordering number of its (webhook, order key) queue: max(seq) + 1, read in the caller's
   * transaction (the vehicle's version-checked one for events); equal numbers from racing writers
   * are ordered by id. A batch costs a few statements whatever its size: the ids already queued,
   * the current max(seq) of every queue it touches, and multi-row inserts; rows of one queue are
   * numbered in the order given.
   */
  async enqueue(rows: DeliveryRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (rows.length === 1) { await this.enqueueOne(rows[0]!); return; }
    const known = new Set<string>();
    const ids = [...new Set(rows.map((r) => r.id))];
    for (let i = 0; i < ids.length; i += CHUNK) {
      for (const r of await this.db.selectFrom('webhook_deliveries').select('id').where('id', 'in', ids.slice(i, i + CHUNK)).execute()) known.add(r.id);
    }
    const fresh: DeliveryRow[] = [];
    for (const row of rows) {
      if (known.has(row.id)) continue;
      known.add(row.id);
      fresh.push(row);
    }
    if (fresh.length === 0) return;
    const next = await this.maxSeqs(fresh);
    const numbered = fresh.map((row) => {
      const key = queueKey(row.webhook_id, row.order_key);
      const seq = (next.get(key) ?? 0) + 1;
      next.set(key, seq);
      return { ...row, seq };
    });
    for (let i = 0; i < numbered.length; i += INSERT_ROWS) {
      await this.db.insertInto('webhook_deliveries').values(numbered.slice(i, i + INSERT_ROWS)).onConflict((oc) => oc.column('id').doNothing()).execute();
    }
  }

  /** One row in one statement: the INSERT computes its number itself. */
  private async enqueueOne(row: DeliveryRow): Promise<void> {
    await this.db.insertInto('webhook_deliveries').values((eb) => ({
      ...row,
      seq: eb.selectFrom('webhook_deliveries').select((m) => sql<number>`coalesce(max(${m.ref('seq')}), 0) + 1`.as('next'))
        .where('webhook_id', '=', row.webhook_id).where('order_key', '=', row.order_key),
    })).onConflict((oc) => oc.column('id').doNothing()).execute();
  }

  /** max(seq) of every (webhook, order key) queue the rows belong to. */
  private async maxSeqs(rows: readonly DeliveryRow[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const byHook = new Map<string, Set<string>>();
    for (const r of rows) {
      let keys = byHook.get(r.webhook_id);
      if (!keys) byHook.set(r.webhook_id, keys = new Set());
      keys.add(r.order_key);
    }
    for (const [webhookId, keys] of byHook) {
      const orderKeys = [...keys];
      for (let i = 0; i < orderKeys.length; i += CHUNK) {
        const found = await this.db.selectFrom('webhook_deliveries').select((eb) => ['order_key', eb.fn.max('seq').as('m')])
          .where('webhook_id', '=', webhookId).where('order_key', 'in', orderKeys.slice(i, i + CHUNK)).groupBy('order_key').execute();
        for (const f of found) out.set(queueKey(webhookId, f.order_key), Number(f.m ?? 0));
      }
    }
    return out;
  }

  private async nextSeq(webhookId: string, orderKey: string): Promise<number> {
    const r = await this.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.max('seq').as('m'))
      .where('webhook_id', '=', webhookId).where('order_key', '=', orderKey).executeTakeFirst();
    return Number(r?.m ?? 0) + 1;
  }

  /**
   * Leases due deliveries to `owner`. Only the head of each (webhook, order key) queue is eligible,
   * which keeps per-vehicle order; the lease is a conditional UPDATE, so two processes never both
   * win the same row. A row is its queue's head when it is the queue's first pending row (lowest
   * seq, ties broken by id): one probe of the pending-queue index per candidate.
   *
   * With `chains`, a queue whose head was won may also lease the rows right behind it (up to
   * `chain(head)` rows in that queue, `total` over every queue; `limit` still bounds the number of
   * queues, i.e. of heads): the deliverer sends them one after another
   * and stops at the first failure, so order holds. The result lists each queue's rows together,
   * in order, queues by their head.
   */
  async claimDue(owner: string, now: number, leaseMs: number, limit: number, chains?: ChainClaim): Promise<DeliveryRow[]> {
    const heads = await this.claimHeads(owner, now, leaseMs, chains ? Math.min(limit, chains.total) : limit);
    if (!chains || heads.length === 0 || heads.length >= chains.total) return heads;
    return byQueueHead([...heads, ...await this.claimFollowers(owner, now, leaseMs, heads, chains.chain, chains.total - heads.length)]);
  }

  /**
   * Leases the followers of heads this owner holds (see FollowerReads): each queue's next rows are
   * read with indexed queries, then leased with one conditional UPDATE. A row that UPDATE missed
   * (taken in between) ends its chain; leased rows after it are released again.
   */
  private async claimFollowers(owner: string, now: number, leaseMs: number, heads: readonly DeliveryRow[], chain: ChainLimit, budget: number): Promise<DeliveryRow[]> {
    const pending = sql.lit('pending');
    const plan = new FollowerReads(heads, chain, budget, now);
    for (let reads = plan.first(); reads.length > 0;) {
      reads = plan.absorb(new Map(await Promise.all(reads.map(async ({ head: h, after: a, limit }) => [h.id, await this.db.selectFrom('webhook_deliveries').selectAll()
        .where('status', '=', pending).where('webhook_id', '=', h.webhook_id).where('order_key', '=', h.order_key)
        .where((eb) => eb.or([eb('seq', '>', a.seq), eb.and([eb('seq', '=', a.seq), eb('id', '>', a.id)])]))
        .orderBy('seq').orderBy('id').limit(limit).execute()] as const))));
    }
    const { picked } = plan;
    if (picked.length === 0) return [];
    const won = new Set<string>();
    for (let i = 0; i < picked.length; i += CHUNK) {
      const rows = await this.db.updateTable('webhook_deliveries').set({ lease_owner: owner, lease_until: now + leaseMs })
        .where('id', 'in', picked.slice(i, i + CHUNK).map((r) => r.id)).where('status', '=', pending)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
        .returning('id').execute();
      for (const r of rows) won.add(r.id);
    }
    const kept: DeliveryRow[] = [];
    const broken = new Set<string>();
    const release: string[] = [];
    for (const f of picked) {
      const key = queueKey(f.webhook_id, f.order_key);
      if (!broken.has(key) && won.has(f.id)) kept.push({ ...f, lease_owner: owner, lease_until: now + leaseMs });
      else {
        broken.add(key);
        if (won.has(f.id)) release.push(f.id);
      }
    }
    if (release.length > 0) await this.release(owner, release);
    return kept;
  }

  /** Gives up `owner`'s leases on deliveries it will not attempt now: they stay pending and due, as they were. */
  async release(owner: string, ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += CHUNK) {
      await this.db.updateTable('webhook_deliveries').set({ lease_owner: null, lease_until: null })
        .where('id', 'in', ids.slice(i, i + CHUNK)).where('lease_owner', '=', owner).where('status', '=', 'pending').execute();
    }
  }

  /** The due heads of the queues, leased (claimDue without chains). */
  private async claimHeads(owner: string, now: number, leaseMs: number, limit: number): Promise<DeliveryRow[]> {
    // A literal, so the partial index on pending rows applies.
    const pending = sql.lit('pending');
    const free = (eb: ExpressionBuilder<Database, 'webhook_deliveries'>) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]);
    // One statement: the UPDATE leases the heads its subquery picks, re-checking each row, so a row
    // another process leased first is left out.
    const won = await this.db.updateTable('webhook_deliveries').set({ lease_owner: owner, lease_until: now + leaseMs })
      .where('id', 'in', (eb) => eb.selectFrom('webhook_deliveries as d').select('d.id')
        .where('d.status', '=', pending).where('d.next_attempt_at', '<=', now)
        .where((e) => e.or([e('d.lease_until', 'is', null), e('d.lease_until', '<=', now)]))
        .where('d.id', '=', (e) => e.selectFrom('webhook_deliveries as e').select('e.id')
          .whereRef('e.webhook_id', '=', 'd.webhook_id').whereRef('e.order_key', '=', 'd.order_key').where('e.status', '=', pending)
          .orderBy('e.seq').orderBy('e.id').limit(1))
        .orderBy('d.next_attempt_at').orderBy('d.seq').orderBy('d.id').limit(limit))
      .where('status', '=', pending).where(free)
      .returningAll().execute();
    return won.sort(byDue);
  }

  /** Leases one due pending delivery to `owner` (a test event sent at once); undefined when it is not pending or someone else holds it. */
  async claim(owner: string, id: string, now: number, leaseMs: number): Promise<DeliveryRow | undefined> {
    const r = await this.db.updateTable('webhook_deliveries').set({ lease_owner: owner, lease_until: now + leaseMs })
      .where('id', '=', id).where('status', '=', 'pending').where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return undefined;
    return this.getDelivery(id);
  }

  /** Records the outcome of an attempt held under `owner`'s lease, together with its log line. */
  async finishAttempt(owner: string, attempt: AttemptRow, outcome: AttemptOutcome): Promise<void> {
    await this.finishAttempts(owner, [{ attempt, outcome }]);
  }

  /**
   * Records the outcomes of many attempts held under `owner`'s lease in one transaction: every log
   * line, then each delivery's new state (a row whose lease `owner` no longer holds is left alone).
   */
  async finishAttempts(owner: string, done: readonly FinishedAttempt[], released: readonly string[] = []): Promise<void> {
    if (done.length === 0 && released.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < done.length; i += INSERT_ROWS) await trx.insertInto('webhook_attempts').values(done.slice(i, i + INSERT_ROWS).map((d) => d.attempt)).execute();
      for (let i = 0; i < done.length; i += OUTCOME_ROWS) await recordOutcomes(trx, owner, done.slice(i, i + OUTCOME_ROWS));
      if (released.length > 0) await new WebhooksRepo(trx).release(owner, released);
    });
  }

  getDelivery(id: string): Promise<DeliveryRow | undefined> {
    return this.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Newest first (queue numbers are per vehicle, so creation time orders across vehicles and test events). */
  listDeliveries(webhookId: string, limit = 100): Promise<DeliveryRow[]> {
    return this.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId)
      .orderBy('created_at', 'desc').orderBy('seq', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  attempts(deliveryId: string): Promise<AttemptRow[]> {
    return this.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('attempt').execute();
  }

  /** Queues a delivery again (same id and body) at the back of its vehicle's queue; its retry window restarts now. */
  async redeliver(id: string, now: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const d = await trx.selectFrom('webhook_deliveries').select(['webhook_id', 'order_key']).where('id', '=', id).executeTakeFirst();
      if (!d) return false;
      const seq = await new WebhooksRepo(trx).nextSeq(d.webhook_id, d.order_key);
      const r = await trx.updateTable('webhook_deliveries')
        .set({ status: 'pending', next_attempt_at: now, seq, retry_from: now, lease_owner: null, lease_until: null, last_error: null })
        .where('id', '=', id).where('status', '!=', 'pending').executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    });
  }

  async countByStatus(): Promise<Record<string, number>> {
    const rows = await this.db.selectFrom('webhook_deliveries').select((eb) => ['status', eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}

/**
 * Every delivery's new state after its attempt, in one UPDATE … FROM over a derived table of the
 * outcomes (SQLite ≥ 3.33 and PostgreSQL both have it), each row still only while `owner` holds its
 * lease. delivered_at is set when the attempt delivered and kept otherwise.
 */
async function recordOutcomes(db: Kysely<Database>, owner: string, done: readonly FinishedAttempt[]): Promise<void> {
  const int = (v: number | null) => sql`cast(${v} as bigint)`;
  const text = (v: string | null) => sql`cast(${v} as text)`;
  const rows = done.map(({ attempt: a, outcome: o }, i) => {
    const cols = [text(a.delivery_id), text(o.status), int(a.attempt), int(o.nextAttemptAt), int(a.response_status), text(o.error), int(o.status === 'delivered' ? a.at : null)];
    const names = ['id', 'status', 'attempts', 'next_attempt_at', 'last_status', 'last_error', 'delivered_at'];
    return i === 0 ? sql`select ${sql.join(cols.map((c, k) => sql`${c} as ${sql.ref(names[k]!)}`))}` : sql`select ${sql.join(cols)}`;
  });
  await sql`update webhook_deliveries set status = v.status, attempts = v.attempts, next_attempt_at = v.next_attempt_at,
      lease_owner = null, lease_until = null, last_status = v.last_status, last_error = v.last_error,
      delivered_at = coalesce(v.delivered_at, webhook_deliveries.delivered_at)
    from (${sql.join(rows, sql` union all `)}) as v
    where webhook_deliveries.id = v.id and webhook_deliveries.lease_owner = ${owner}`.execute(db);
}
