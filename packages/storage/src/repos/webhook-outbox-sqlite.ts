import type { Kysely } from 'kysely';
import type SqliteDatabase from 'better-sqlite3';
import type { Database } from '../database.js';
import type { Storage } from '../open.js';
import { onSqlite } from '../sqlite-direct.js';
import { byQueueHead, FollowerReads, queueKey, WebhooksRepo, type ChainClaim, type DeliveryOutbox, type DeliveryRow, type FinishedAttempt } from './webhooks.js';

/** A queue's head as the claim scans for it: just what decides whether it is due and free. */
interface HeadProbe { id: string; webhook_id: string; order_key: string; seq: number; next_attempt_at: number; lease_until: number | null }

/**
 * The delivery outbox on SQLite: the same leases and outcomes as WebhooksRepo, with statements
 * prepared once and each claim or batch of outcomes run as one IMMEDIATE transaction on the
 * storage's connection (`onSqlite`: never inside another caller's open transaction). No query
 * building per round.
 *
 * The claim finds the queues' heads by hopping through the partial index of pending rows in queue
 * order (one seek per queue: the first entry after the previous queue is the next queue's head),
 * so its cost follows the number of queues with pending rows, not how many rows wait behind them.
 */
export class SqliteDeliveryOutbox implements DeliveryOutbox {
  private readonly firstHead: SqliteDatabase.Statement;
  private readonly nextHead: SqliteDatabase.Statement;
  private readonly byId: SqliteDatabase.Statement;
  private readonly followers: SqliteDatabase.Statement;
  private readonly lease: SqliteDatabase.Statement;
  private readonly insertAttempt: SqliteDatabase.Statement;
  private readonly outcome: SqliteDatabase.Statement;
  private readonly releaseOne: SqliteDatabase.Statement;
  private readonly leaseRange: SqliteDatabase.Statement;
  private readonly claimTx: (owner: string, now: number, leaseMs: number, limit: number, chains?: ChainClaim) => DeliveryRow[];
  private readonly finishTx: (owner: string, done: readonly FinishedAttempt[], released: readonly string[]) => void;

  constructor(private readonly db: Kysely<Database>, private readonly raw: SqliteDatabase.Database) {
    // `status = 'pending'` is a literal, so the partial index webhook_deliveries_queue_pending_idx applies.
    const head = `select id, webhook_id, order_key, seq, next_attempt_at, lease_until from webhook_deliveries indexed by webhook_deliveries_queue_pending_idx where status = 'pending'`;
    this.firstHead = raw.prepare(`${head} order by webhook_id, order_key, seq, id limit 1`);
    this.nextHead = raw.prepare(`${head} and (webhook_id, order_key) > (?, ?) order by webhook_id, order_key, seq, id limit 1`);
    this.byId = raw.prepare('select * from webhook_deliveries where id = ?');
    this.followers = raw.prepare(`select * from webhook_deliveries indexed by webhook_deliveries_queue_pending_idx where status = 'pending'
      and webhook_id = ? and order_key = ? and (seq, id) > (?, ?) order by seq, id limit ?`);
    this.lease = raw.prepare(`update webhook_deliveries set lease_owner = ?, lease_until = ?
      where id = ? and status = 'pending' and (lease_until is null or lease_until <= ?)`);
    this.insertAttempt = raw.prepare(`insert into webhook_attempts (id, delivery_id, webhook_id, attempt, at, duration_ms, response_status, response_body, error)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.outcome = raw.prepare(`update webhook_deliveries set status = ?, attempts = ?, next_attempt_at = ?, lease_owner = null, lease_until = null,
      last_status = ?, last_error = ?, delivered_at = coalesce(?, delivered_at) where id = ? and lease_owner = ?`);
    this.leaseRange = raw.prepare(`update webhook_deliveries indexed by webhook_deliveries_queue_pending_idx set lease_owner = ?, lease_until = ?
      where status = 'pending' and webhook_id = ? and order_key = ? and (seq, id) > (?, ?) and (seq, id) <= (?, ?) and (lease_until is null or lease_until <= ?)`);
    this.releaseOne = raw.prepare(`update webhook_deliveries set lease_owner = null, lease_until = null where id = ? and lease_owner = ? and status = 'pending'`);
    this.claimTx = raw.transaction((owner: string, now: number, leaseMs: number, limit: number, chains?: ChainClaim) => this.claimNow(owner, now, leaseMs, limit, chains)).immediate;
    this.finishTx = raw.transaction((owner: string, done: readonly FinishedAttempt[], released: readonly string[]) => this.finishNow(owner, done, released)).immediate;
  }

  claimDue(owner: string, now: number, leaseMs: number, limit: number, chains?: ChainClaim): Promise<DeliveryRow[]> {
    return onSqlite(this.db, this.raw, () => this.claimTx(owner, now, leaseMs, limit, chains));
  }

  async finishAttempts(owner: string, done: readonly FinishedAttempt[], released: readonly string[] = []): Promise<void> {
    if (done.length === 0 && released.length === 0) return;
    await onSqlite(this.db, this.raw, () => this.finishTx(owner, done, released));
  }

  /** Inside the write lock: nobody else can lease or finish anything until it commits. */
  private claimNow(owner: string, now: number, leaseMs: number, limit: number, chains?: ChainClaim): DeliveryRow[] {
    if (chains) limit = Math.min(limit, chains.total);
    if (limit <= 0) return [];
    const due: HeadProbe[] = [];
    for (let h = this.firstHead.get() as HeadProbe | undefined; h; h = this.nextHead.get(h.webhook_id, h.order_key) as HeadProbe | undefined) {
      if (h.next_attempt_at <= now && (h.lease_until === null || h.lease_until <= now)) due.push(h);
    }
    due.sort((x, y) => x.next_attempt_at - y.next_attempt_at || x.seq - y.seq || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    const until = now + leaseMs;
    const heads: DeliveryRow[] = [];
    for (const h of due.slice(0, limit)) {
      if (this.lease.run(owner, until, h.id, now).changes !== 1) continue;
      heads.push(this.byId.get(h.id) as DeliveryRow);
    }
    if (!chains || heads.length === 0 || heads.length >= chains.total) return heads;
    const { chain } = chains;
    const budget = chains.total - heads.length;
    const plan = new FollowerReads(heads, chain, budget, now);
    for (let reads = plan.first(); reads.length > 0;) {
      reads = plan.absorb(new Map(reads.map(({ head: h, after: a, limit }) => [h.id, this.followers.all(h.webhook_id, h.order_key, a.seq, a.id, limit) as DeliveryRow[]])));
    }
    const { picked } = plan;
    // Each queue's run of followers is leased by one UPDATE over its range of the pending-queue
    // index (from just after the head to the last follower picked).
    const last = new Map<string, DeliveryRow>();
    const count = new Map<string, number>();
    for (const f of picked) {
      const q = queueKey(f.webhook_id, f.order_key);
      last.set(q, f);
      count.set(q, (count.get(q) ?? 0) + 1);
    }
    for (const h of heads) {
      const q = queueKey(h.webhook_id, h.order_key);
      const l = last.get(q);
      if (!l) continue;
      const n = this.leaseRange.run(owner, until, h.webhook_id, h.order_key, h.seq, h.id, l.seq, l.id, now).changes;
      // Under the write lock the rows just read are still as read: anything else is a bug.
      if (n !== count.get(q)) throw new Error(`leased ${n} of ${count.get(q)} deliveries behind ${h.id}`);
    }
    const followers = picked.map((f) => ({ ...f, lease_owner: owner, lease_until: until }));
    return followers.length === 0 ? heads : byQueueHead([...heads, ...followers]);
  }

  private finishNow(owner: string, done: readonly FinishedAttempt[], released: readonly string[]): void {
    for (const { attempt: a } of done) this.insertAttempt.run(a.id, a.delivery_id, a.webhook_id, a.attempt, a.at, a.duration_ms, a.response_status, a.response_body, a.error);
    for (const { attempt: a, outcome: o } of done) {
      this.outcome.run(o.status, a.attempt, o.nextAttemptAt, a.response_status, o.error, o.status === 'delivered' ? a.at : null, a.delivery_id, owner);
    }
    for (const id of released) this.releaseOne.run(id, owner);
  }
}

/** The deliverer's outbox for this storage: prepared statements on SQLite, WebhooksRepo elsewhere. */
export function deliveryOutbox(storage: Pick<Storage, 'db' | 'sqlite'>): DeliveryOutbox {
  return storage.sqlite ? new SqliteDeliveryOutbox(storage.db, storage.sqlite) : new WebhooksRepo(storage.db);
}
