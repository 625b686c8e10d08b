import type { Logger } from 'pino';
import { ApiError, type Clock } from '@opencar/core';
import { AccountsRepo, MeteringRepo, type CounterDelta, type Storage } from '@opencar/storage';
import type { AdmitInput, LedgerEntry, Metering } from './contract.js';
import { LedgerJournal } from './ledger-journal.js';
import { LedgerThread } from './ledger-thread.js';
import { LedgerWriter, type LedgerWriterOptions } from './ledger-writer.js';
import { monthOf } from './month.js';
import { resolvePlan, type BucketSpec, type PlanLimits } from './plans.js';
import { RESERVATION_TTL_MS, Reservations } from './reservations.js';
import { RequestDetailWriter, type RequestDetail, type RequestDetailWriterOptions } from './request-detail-writer.js';
import { MemoryBuckets, SharedBuckets, type Buckets, type TakeResult } from './token-bucket.js';

export interface MeteringOptions extends LedgerWriterOptions {
  /** How long a developer's plan is cached, in clock ms (default 5 s). */
  planTtlMs?: number;
  /** File-backed SQLite: commit the ledger on a writer thread (default true). */
  ledgerThread?: boolean;
  /**
   * File-backed SQLite: acknowledge `record` once the entry is in the ledger journal
   * (`<db file>.ledger-journal`) and commit to the database afterwards (default true).
   */
  ledgerJournal?: boolean;
  /** The app bucket of simulated and test traffic (the wider of it and the plan's app bucket applies). */
  simulatedBucket?: BucketSpec;
  /** Batching of request detail (headers and bodies) for the request log; false: none is kept. */
  requestDetail?: RequestDetailWriterOptions | false;
}

/** Default bucket of simulated and test traffic: an edit–run loop never meets it. */
export const SIMULATED_BUCKET: BucketSpec = { capacity: 5000, refillPerMinute: 500 };

/** The state of one app bucket as the dashboard shows it. */
export interface BucketState { capacity: number; refillPerMinute: number; tokens: number; resetSeconds: number }

/** Billable units of a journaled entry not yet committed to the database. */
interface Uncommitted { seq: number; key: string; vehicleId: string | null; units: number }

interface AppPlan {
  developerId: string; suspended: boolean; limits: PlanLimits; loadedAt: number;
  /** The app buckets' keys and sizes for live and for simulated/test traffic, worked out once per cached plan. */
  bucketOf?: { live: [string, BucketSpec]; simulated: [string, BucketSpec] };
}

/**
 * Admission (plans, quotas, rate limits) and the request ledger. On SQLite this process is the
 * only writer, so buckets and monthly counters live in memory (counters are loaded from the
 * database once per app and month and then follow every commit). On PostgreSQL buckets are rows
 * updated atomically and counters are read from the database, so limits hold across processes.
 *
 * Admission reserves a request's billable units (keyed by `AdmitInput.requestId`) until its entry
 * is counted, so concurrent requests cannot together overshoot a monthly quota. On SQLite the
 * reservations live in this process (the only writer); on PostgreSQL they are `quota_holds` rows
 * checked under a per-app advisory lock and removed by the ledger commit that counts the request,
 * so every process sees every other process's admitted requests.
 */
export class MeteringService implements Metering {
  readonly repo: MeteringRepo;
  private readonly accounts: AccountsRepo;
  private readonly writer: LedgerWriter;
  private readonly buckets: Buckets;
  private readonly shared: boolean;
  private readonly plans = new Map<string, AppPlan>();
  /** SQLite only: `${appId}|${month}` → scope → units. */
  private readonly counters = new Map<string, Map<string, number>>();
  private readonly planTtlMs: number;
  /** File-backed SQLite: the ledger journal (record resolves once its entry is written there). */
  private readonly journal: LedgerJournal | null = null;
  /** Journal mode: billable entries journaled but not yet reported committed, in sequence order. */
  private uncommitted: Uncommitted[] = [];
  private uncommittedHead = 0;
  /** Billable units admitted and not yet counted (released at record, expire after 5 min). */
  private readonly reservations = new Reservations();
  private readonly simulatedBucket: BucketSpec;
  /** Headers and bodies of requests, written in batches apart from the ledger. */
  private readonly details: RequestDetailWriter | null;

  constructor(storage: Storage, private readonly clock: Clock, private readonly log: Logger, opts: MeteringOptions = {}) {
    this.repo = new MeteringRepo(storage.db, storage.dialect, storage.sqlite);
    this.accounts = new AccountsRepo(storage.db);
    this.shared = storage.dialect === 'postgres';
    this.buckets = this.shared ? new SharedBuckets(this.repo) : new MemoryBuckets();
    this.planTtlMs = opts.planTtlMs ?? 5000;
    this.simulatedBucket = opts.simulatedBucket ?? SIMULATED_BUCKET;
    // A file-backed SQLite database can be shared with a writer thread; an in-memory one cannot.
    const file = storage.sqlite && !storage.sqlite.memory && opts.ledgerThread !== false ? storage.sqlite.name : undefined;
    const thread = file ? new LedgerThread(file) : undefined;
    this.details = opts.requestDetail === false ? null : new RequestDetailWriter(storage, log, { thread, ...opts.requestDetail });
    // Journal: file-backed SQLite only. In-memory SQLite dies with the process anyway, and on
    // PostgreSQL several processes share the ledger and the commit itself is the durability point.
    const journaled = Boolean(storage.sqlite && !storage.sqlite.memory && opts.ledgerJournal !== false);
    // With the journal, nobody waits for the database commit: gather 10 ms of entries per commit
    // (fewer transactions and thread messages); without it, commit right after each event-loop turn.
    this.writer = new LedgerWriter(this.repo, log, {
      maxDelayMs: journaled ? 10 : 0, maxBatch: journaled ? 1024 : 256, ...opts, thread, onCommit: (d, seq) => { this.applyCommit(d, seq); opts.onCommit?.(d, seq); },
    });
    if (journaled && storage.sqlite) {
      this.journal = new LedgerJournal(`${storage.sqlite.name}.ledger-journal`, (entries, text) => this.writer.writeJournaled(entries, text), log);
      this.replayJournal(this.journal);
    }
  }

  /**
   * Startup: commits the journal entries the database does not have yet (sequence above its
   * `journal_seq`) in one transaction that also stores their highest sequence, then empties the
   * journal. A crash anywhere in between leaves either the journal entries or their commit, never both counted.
   */
  private replayJournal(journal: LedgerJournal): void {
    const committed = this.repo.committedJournalSeq() ?? 0;
    const pending = journal.recover(committed);
    if (pending.length > 0) {
      this.repo.appendLedgerNow(pending.map((p) => p.row), pending[pending.length - 1]!.seq);
      this.log.info({ entries: pending.length }, 'request ledger: replayed journal entries not yet committed');
    }
    journal.reset();
  }

  admit(input: AdmitInput): Promise<Record<string, string>> {
    if (this.shared) return this.admitShared(input);
    // SQLite: plan, counters and buckets are in memory once loaded, so admission is synchronous.
    const now = this.clock.now();
    const plan = this.cachedPlan(input.appId, now);
    if (!plan || (input.units > 0 && hasQuotas(plan.limits) && !this.localCounters(input.appId, monthOf(now)))) return this.admitShared(input);
    try {
      return Promise.resolve(this.admitLocal(input, plan, now));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** SQLite with warm caches: no awaits. */
  private admitLocal(input: AdmitInput, plan: AppPlan, now: number): Record<string, string> {
    if (plan.suspended) throw new ApiError('BILLING:ACCOUNT_SUSPENDED');
    const limits = plan.limits;
    if (input.feature && !limits.features.has(input.feature)) throw new ApiError('BILLING:INVALID_PLAN');
    const buckets = this.buckets as MemoryBuckets;
    const of = plan.bucketOf ??= { live: this.appBucketOf(input.appId, 'live', limits), simulated: this.appBucketOf(input.appId, 'simulated', limits) };
    const [appKey, appSpec] = input.mode === 'simulated' || input.mode === 'test' ? of.simulated : of.live;
    const app = buckets.take(appKey, appSpec, now);
    const vehicle = app.granted && input.vehicleId && limits.vehicleBucket ? buckets.take(`vehicle:${input.appId}:${input.vehicleId}`, limits.vehicleBucket, now) : null;
    const headers = takeOrRefuse(app, vehicle);
    if (input.units > 0 && hasQuotas(limits)) {
      const quotaKey = `${input.appId}|${monthOf(now)}`;
      this.assertQuotas(input, limits, this.localCounters(input.appId, monthOf(now))!, this.reservations.pending(quotaKey, now));
      if (input.requestId) this.reservations.reserve(input.requestId, quotaKey, input.vehicleId ?? null, input.units, now);
    }
    return headers;
  }

  /**
   * PostgreSQL (atomic bucket updates; quotas checked and held under a lock shared by every
   * process), or SQLite with a cold cache. Rate limits come first: they count every request, and
   * a request they refuse never holds quota.
   */
  private async admitShared(input: AdmitInput): Promise<Record<string, string>> {
    const now = this.clock.now();
    const plan = await this.planFor(input.appId, now);
    if (plan.suspended) throw new ApiError('BILLING:ACCOUNT_SUSPENDED');
    const limits = plan.limits;
    if (input.feature && !limits.features.has(input.feature)) throw new ApiError('BILLING:INVALID_PLAN');
    const [appKey, appSpec] = this.appBucketOf(input.appId, input.mode, limits);
    const app = await this.buckets.take(appKey, appSpec, now);
    const vehicle = app.granted && input.vehicleId && limits.vehicleBucket
      ? await this.buckets.take(`vehicle:${input.appId}:${input.vehicleId}`, limits.vehicleBucket, now) : null;
    const headers = takeOrRefuse(app, vehicle);
    if (input.units > 0) await this.checkAndReserve(input, limits, now);
    return headers;
  }

  record(entry: LedgerEntry): Promise<void> {
    // 4xx/5xx are never billed, whatever the caller computed.
    const units = entry.status >= 400 ? 0 : Math.max(0, Math.floor(entry.units));
    const row = {
      request_id: entry.requestId,
      at: entry.at,
      month: monthOf(entry.at),
      app_id: entry.appId,
      vehicle_id: entry.vehicleId,
      user_id: entry.userId,
      endpoint: entry.endpoint,
      method: entry.method,
      status: entry.status,
      latency_ms: Math.round(entry.latencyMs * 1000) / 1000,
      units,
      woke: entry.woke ? 1 : 0,
      request_class: entry.requestClass,
    };
    if (!this.journal) {
      // Counters include the entry once its commit is applied; the reservation holds until then.
      const written = this.writer.write(row);
      return entry.requestId && this.reservations.size > 0 ? written.then(() => this.reservations.release(entry.requestId)) : written;
    }
    const { seq, written } = this.journal.append(row);
    if (this.reservations.size > 0) this.reservations.release(entry.requestId);
    // Counters follow at record time: the commit comes later (see localCounters).
    if (units > 0) {
      const key = `${row.app_id}|${row.month}`;
      this.uncommitted.push({ seq, key, vehicleId: row.vehicle_id, units });
      const m = this.counters.get(key);
      if (m) addUnits(m, row.vehicle_id, units);
    }
    return written;
  }

  /** The key and size of the app bucket a request of this mode draws on. */
  private appBucketOf(appId: string, mode: AdmitInput['mode'], limits: PlanLimits): [string, BucketSpec] {
    if (mode !== 'simulated' && mode !== 'test') return [`app:${appId}`, limits.appBucket];
    const wide = this.simulatedBucket;
    return [`app-sim:${appId}`, { capacity: Math.max(wide.capacity, limits.appBucket.capacity), refillPerMinute: Math.max(wide.refillPerMinute, limits.appBucket.refillPerMinute) }];
  }

  /** Both app buckets of an app now (live traffic, simulated and test traffic), without taking a token. */
  async bucketStates(appId: string): Promise<{ live: BucketState; simulated: BucketState } | undefined> {
    const now = this.clock.now();
    let plan: AppPlan;
    try { plan = await this.planFor(appId, now); } catch { return undefined; }
    const state = async (mode: AdmitInput['mode']): Promise<BucketState> => {
      const [key, spec] = this.appBucketOf(appId, mode, plan.limits);
      const tokens = await this.buckets.peek(key, spec, now);
      return { capacity: spec.capacity, refillPerMinute: spec.refillPerMinute, tokens, resetSeconds: Math.max(0, Math.ceil((spec.capacity - tokens) / (spec.refillPerMinute / 60))) };
    };
    return { live: await state('live'), simulated: await state('simulated') };
  }

  /** Limits in force for an app (cached briefly). Undefined for unknown apps. */
  async limitsFor(appId: string): Promise<PlanLimits | undefined> {
    try { return (await this.planFor(appId, this.clock.now())).limits; } catch { return undefined; }
  }

  /**
   * For Connect: throws BILLING:VEHICLE_LIMIT when connecting `adding` more vehicles would exceed
   * the plan's connected-vehicle cap, given how many the app has connected now.
   */
  async assertVehicleCapacity(appId: string, connectedNow: number, adding: number): Promise<void> {
    const plan = await this.planFor(appId, this.clock.now());
    if (plan.suspended) throw new ApiError('BILLING:ACCOUNT_SUSPENDED');
    const cap = plan.limits.vehicles;
    if (cap !== null && adding > 0 && connectedNow + adding > cap) throw new ApiError('BILLING:VEHICLE_LIMIT');
  }

  /** Forget cached plans (call after changing a developer's plan, limits or status). */
  invalidatePlans(appId?: string): void {
    if (appId) this.plans.delete(appId); else this.plans.clear();
  }

  /** Whether the ledger is currently committed on a writer thread (file-backed SQLite). */
  get ledgerThreaded(): boolean { return this.writer.threaded; }

  /** Whether `record` acknowledges entries from the ledger journal (file-backed SQLite). */
  get ledgerJournaled(): boolean { return this.journal !== null; }

  recordDetail(detail: RequestDetail): void {
    this.details?.add(detail);
  }

  /** Resolves once every recorded entry (and request detail handed over) is committed to the database. */
  async flush(): Promise<void> {
    this.journal?.writeNow();
    await Promise.all([this.writer.drain(), this.details?.flush()]);
  }

  async close(): Promise<void> {
    await this.details?.close();
    this.journal?.writeNow();
    await this.writer.close();
    this.journal?.close();
  }

  /** Checks the quotas against counted plus reserved units (throws to refuse); reserves on success. */
  private async checkAndReserve(input: AdmitInput, limits: PlanLimits, now: number): Promise<void> {
    if (!hasQuotas(limits)) return;
    const month = monthOf(now);
    if (this.shared) {
      // PostgreSQL: counters and holds of every process, checked and held under one lock.
      const hold = input.requestId
        ? { request_id: input.requestId, app_id: input.appId, month, vehicle_id: input.vehicleId ?? null, units: input.units, expires_at: now + RESERVATION_TTL_MS }
        : null;
      await this.repo.holdQuota(input.appId, month, now, hold, (used, held) => this.assertQuotas(input, limits, used, held));
      return;
    }
    const used = await this.usedUnits(input.appId, month);
    const key = `${input.appId}|${month}`;
    this.assertQuotas(input, limits, used, this.reservations.pending(key, now));
    if (input.requestId) this.reservations.reserve(input.requestId, key, input.vehicleId ?? null, input.units, now);
  }

  private assertQuotas(input: AdmitInput, limits: PlanLimits, used: Map<string, number>, pending?: Map<string, number>): void {
    const { requestsPerMonth, vehicleRequestsPerMonth, vehicles } = limits;
    const units = (scope: string) => (used.get(scope) ?? 0) + (pending?.get(scope) ?? 0);
    if (requestsPerMonth !== null && units('') + input.units > requestsPerMonth) throw new ApiError('BILLING:VEHICLE_REQUEST_LIMIT');
    if (!input.vehicleId) return;
    const vehicleUsed = units(input.vehicleId);
    if (vehicleRequestsPerMonth !== null && vehicleUsed + input.units > vehicleRequestsPerMonth) throw new ApiError('BILLING:VEHICLE_REQUEST_LIMIT');
    // An active vehicle is one with billable use (counted or reserved) this month; a new one must fit under the cap.
    if (vehicles !== null && vehicleUsed === 0 && activeVehicles(used, pending) >= vehicles) throw new ApiError('BILLING:VEHICLE_LIMIT');
  }

  /**
   * SQLite: the month's counters, loaded synchronously on first use (commits reported later carry
   * absolute totals, so a commit running on the writer thread meanwhile is not counted twice).
   * Undefined only without a raw handle.
   */
  private localCounters(appId: string, month: string): Map<string, number> | undefined {
    const key = `${appId}|${month}`;
    const cached = this.counters.get(key);
    if (cached) return cached;
    const snap = this.repo.countersWithSeq(appId, month);
    if (!snap) return undefined;
    const map = new Map(snap.rows.filter((r) => r.units > 0).map((r) => [r.scope, r.units]));
    if (this.journal) {
      // Journaled entries the snapshot does not include yet; later ones are added by record().
      for (let i = this.uncommittedHead; i < this.uncommitted.length; i++) {
        const u = this.uncommitted[i]!;
        if (u.seq > snap.seq && u.key === key) addUnits(map, u.vehicleId, u.units);
      }
    }
    this.counters.set(key, map);
    return map;
  }

  /** SQLite: the month's counters (kept in memory once loaded). */
  private async usedUnits(appId: string, month: string): Promise<Map<string, number>> {
    const local = this.localCounters(appId, month);
    if (local) return local;
    const rows = await this.repo.counters(appId, month);
    const map = new Map(rows.filter((r) => r.units > 0).map((r) => [r.scope, r.units]));
    this.counters.set(`${appId}|${month}`, map);
    return map;
  }

  private applyCommit(deltas: CounterDelta[], seq: number | undefined): void {
    if (this.journal && seq !== undefined) {
      // Counters already include these entries (record time); forget them as uncommitted.
      const u = this.uncommitted;
      while (this.uncommittedHead < u.length && u[this.uncommittedHead]!.seq <= seq) this.uncommittedHead++;
      if (this.uncommittedHead > 1024 && this.uncommittedHead * 2 > u.length) { this.uncommitted = u.slice(this.uncommittedHead); this.uncommittedHead = 0; }
      this.journal.committed(seq);
      return;
    }
    this.applyDeltas(deltas);
  }

  private applyDeltas(deltas: CounterDelta[]): void {
    if (this.shared) return;
    for (const d of deltas) {
      const m = this.counters.get(`${d.appId}|${d.month}`);
      // A total (SQLite) is the value right after that commit, correct even when the counters
      // were loaded while the commit was in flight on the writer thread; reports arrive in commit order.
      if (m) m.set(d.scope, d.total ?? (m.get(d.scope) ?? 0) + d.units);
    }
  }

  private cachedPlan(appId: string, now: number): AppPlan | undefined {
    const cached = this.plans.get(appId);
    return cached && now - cached.loadedAt < this.planTtlMs && now >= cached.loadedAt ? cached : undefined;
  }

  private async planFor(appId: string, now: number): Promise<AppPlan> {
    const cached = this.cachedPlan(appId, now);
    if (cached) return cached;
    const app = await this.accounts.getApp(appId);
    const dev = app && await this.accounts.getDeveloper(app.developerId);
    if (!app || !dev) throw new ApiError('AUTHENTICATION');
    const plan: AppPlan = { developerId: dev.id, suspended: dev.status !== 'active', limits: resolvePlan(dev.plan, dev.plan_limits), loadedAt: now };
    this.plans.set(appId, plan);
    return plan;
  }
}

function addUnits(m: Map<string, number>, vehicleId: string | null, units: number): void {
  m.set('', (m.get('') ?? 0) + units);
  if (vehicleId) m.set(vehicleId, (m.get(vehicleId) ?? 0) + units);
}

function activeVehicles(used: Map<string, number>, pending: Map<string, number> | undefined): number {
  let n = used.size - (used.has('') ? 1 : 0);
  if (pending) for (const scope of pending.keys()) if (scope !== '' && !used.has(scope)) n++;
  return n;
}

function hasQuotas(l: PlanLimits): boolean {
  return l.requestsPerMonth !== null || l.vehicleRequestsPerMonth !== null || l.vehicles !== null;
}

/**
 * Rate-limit outcome: the app bucket's headers, or the 429 of the app bucket or of the per-vehicle
 * throttle (`vehicle`: taken only when the app bucket granted, null without a throttle).
 */
function takeOrRefuse(app: TakeResult, vehicle: TakeResult | null): Record<string, string> {
  const headers = rateLimitHeaders(app);
  if (!app.granted) throw new ApiError('RATE_LIMIT:SMARTCAR_API', { headers: { ...headers, 'retry-after': String(app.retryAfter) } });
  if (vehicle && !vehicle.granted) throw new ApiError('RATE_LIMIT:VEHICLE', { retryAfter: vehicle.retryAfter, headers });
  return headers;
}

/** IETF RateLimit header fields for the app bucket. */
export function rateLimitHeaders(t: TakeResult): Record<string, string> {
  return {
    'ratelimit-limit': String(t.capacity),
    'ratelimit-remaining': String(Math.max(0, Math.floor(t.tokens))),
    'ratelimit-reset': String(t.resetSeconds),
  };
}
