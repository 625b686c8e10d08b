import type { Clock } from '@opencar/core';
import { SimulatorRepo, type SimAccountRow, type Storage } from '@opencar/storage';
import type { EventSink, VehicleEvent } from '../../backend.js';
import { VehicleError } from '../../errors.js';
import type { SimState } from '../state.js';
import type { Outcome, SimAccount, SimEngine } from './types.js';

class WriteConflict extends Error {}

/** Vehicles `updateEach` writes in one transaction. */
const BATCH = 500;

function accountOf(r: SimAccountRow): SimAccount {
  return { id: r.id, make: r.make, email: r.email, mode: r.mode as SimAccount['mode'], country: r.country, createdAt: r.created_at, passwordHash: r.password_hash, appId: r.app_id };
}

/**
 * A cached row: its JSON (what updates start from) and, once read, the parsed state shared by readers.
 * `seq`: set by RowCache, how many rows were put in the cache before this one was last moved to its back.
 */
interface CachedRow { version: number; json: string; state?: SimState; seq?: number }

/**
 * Bounded, nearly-LRU cache of rows. Evicting is always safe: the next read loads the row again, and
 * every write is checked against the row's version in the database. The Map's insertion order is the
 * eviction order; a read moves a row to the back only once it sits in the older half (more than
 * max/2 insertions ago), so a row used within the last max/2 insertions is never evicted and reading
 * a hot row changes nothing (no Map delete and insert per read).
 */
export class RowCache {
  private readonly rows = new Map<string, CachedRow>();
  /** Rows put at the back so far. */
  private tick = 0;
  constructor(private readonly max: number) {}
  get size(): number { return this.rows.size; }
  get(id: string): CachedRow | undefined {
    const row = this.rows.get(id);
    if (row && this.tick - (row.seq ?? 0) > this.max >> 1) this.toBack(id, row);
    return row;
  }
  set(id: string, row: CachedRow): void {
    this.rows.delete(id);
    this.toBack(id, row);
    while (this.rows.size > this.max) this.rows.delete(this.rows.keys().next().value as string);
  }
  delete(id: string): void { this.rows.delete(id); }
  private toBack(id: string, row: CachedRow): void {
    this.rows.delete(id);
    row.seq = ++this.tick;
    this.rows.set(id, row);
  }
}

/** Freezes a parsed state and everything in it, so a reader that tries to change a shared copy fails loudly. */
function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

/**
 * Simulator state in opencar's storage. Every update is a transaction: read the row, apply, write
 * with a version check (another process may have written first: retry), record the events and run
 * every event sink in the same transaction (outbox). On SQLite (one process) rows are also cached in
 * memory and the cache is authoritative: a read answers with one parsed, frozen state shared by every
 * reader until the next write replaces it (updates start from the cached JSON, never from that object).
 * On PostgreSQL every read goes to the database so all processes see each other's commands.
 */
export class StorageEngine implements SimEngine {
  private readonly sinks: EventSink[] = [];
  private readonly cache: RowCache | undefined;

  /** `cacheEntries`: most vehicles kept in the SQLite read cache (least recently used are dropped first). */
  constructor(private readonly storage: Storage, private readonly clock: Clock, cacheEntries = 100_000) {
    this.cache = storage.dialect === 'sqlite' ? new RowCache(cacheEntries) : undefined;
  }

  /** Vehicles currently in the read cache (0 on PostgreSQL). */
  get cachedVehicles(): number { return this.cache?.size ?? 0; }

  addSink(sink: EventSink): void { this.sinks.push(sink); }

  private readonly committed: ((vehicleId: string) => void)[] = [];
  /** Called after every committed change of a vehicle's state (API v3 trigger evaluation observes it then). */
  onCommitted(fn: (vehicleId: string) => void): void { this.committed.push(fn); }

  /** The vehicle's state. On SQLite the answer is shared and frozen: read it, never change it (use `update`). */
  async get(id: string): Promise<SimState | undefined> {
    const hit = this.cache?.get(id);
    if (hit) return hit.state ??= deepFreeze(JSON.parse(hit.json) as SimState);
    const row = await SimulatorRepo.getVehicle(this.storage.db, id);
    if (!row) return undefined;
    if (!this.cache) return JSON.parse(row.state) as SimState;
    const state = deepFreeze(JSON.parse(row.state) as SimState);
    this.cache.set(id, { version: row.version, json: row.state, state });
    return state;
  }

  async getMany(ids: readonly string[]): Promise<SimState[]> {
    const rows = await SimulatorRepo.getVehicles(this.storage.db, ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)).filter((r) => r !== undefined).map((r) => JSON.parse(r.state) as SimState);
  }

  async update<T>(id: string, fn: (s: SimState) => Outcome<T>): Promise<T> {
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        const out = await this.storage.db.transaction().execute(async (trx) => {
          const cached = this.cache?.get(id);
          const row = cached ?? await SimulatorRepo.getVehicle(trx, id).then((r) => r && { version: r.version, json: r.state });
          if (!row) throw new VehicleError({ kind: 'account', code: 'VEHICLE_MISSING' });
          const s = JSON.parse(row.json) as SimState;
          const result = fn(s);
          const json = JSON.stringify(s);
          const now = this.clock.now();
          const ok = await SimulatorRepo.updateVehicle(trx, id, row.version, json, s.nextAt >= 0 ? s.nextAt : null, now);
          if (!ok) throw new WriteConflict();
          if (result.events.length) {
            await SimulatorRepo.insertEvents(trx, result.events.map((e) => ({
              id: e.eventId, vehicle_id: e.vehicleId, event_type: e.eventType, at: e.at, created_at: now,
            })));
            for (const sink of this.sinks) await sink(trx, result.events);
          }
          return { result, version: row.version + 1, json };
        });
        this.cache?.set(id, { version: out.version, json: out.json });
        for (const fn of this.committed) fn(id);
        if (out.result.error) throw out.result.error;
        return out.result.value as T;
      } catch (e) {
        if (e instanceof WriteConflict) { this.cache?.delete(id); continue; }
        if (!(e instanceof VehicleError)) this.cache?.delete(id);
        throw e;
      }
    }
    throw new VehicleError({ kind: 'upstream', code: 'UNKNOWN_ISSUE' }, 'simulator state contention');
  }

  async updateEach(ids: readonly string[], fn: (s: SimState) => VehicleEvent[]): Promise<number> {
    let written = 0;
    for (let i = 0; i < ids.length; i += BATCH) written += await this.updateBatch(ids.slice(i, i + BATCH), fn);
    return written;
  }

  /**
   * One transaction for up to BATCH vehicles: each row is written with its version check, the
   * events of every written vehicle are recorded and handed to the sinks together. Vehicles another
   * process wrote first are done again, from the new row, in the next transaction.
   */
  private async updateBatch(ids: readonly string[], fn: (s: SimState) => VehicleEvent[]): Promise<number> {
    let todo = ids;
    let written = 0;
    for (let attempt = 0; attempt < 20 && todo.length > 0; attempt++) {
      const batch = todo;
      let out: { done: { id: string; version: number; json: string }[]; conflicts: string[] };
      try {
        out = await this.storage.db.transaction().execute(async (trx) => {
          const rows = new Map<string, { version: number; json: string }>();
          const uncached: string[] = [];
          for (const id of batch) {
            const hit = this.cache?.get(id);
            if (hit) rows.set(id, hit); else uncached.push(id);
          }
          for (const r of await SimulatorRepo.getVehicles(trx, uncached)) rows.set(r.id, { version: r.version, json: r.state });
          const now = this.clock.now();
          const done: { id: string; version: number; json: string }[] = [];
          const conflicts: string[] = [];
          const events: VehicleEvent[] = [];
          for (const id of batch) {
            const row = rows.get(id);
            if (!row) continue;
            const s = JSON.parse(row.json) as SimState;
            const emitted = fn(s);
            const json = JSON.stringify(s);
            if (!await SimulatorRepo.updateVehicle(trx, id, row.version, json, s.nextAt >= 0 ? s.nextAt : null, now)) { conflicts.push(id); continue; }
            done.push({ id, version: row.version + 1, json });
            for (const e of emitted) events.push(e);
          }
          if (events.length) {
            await SimulatorRepo.insertEvents(trx, events.map((e) => ({
              id: e.eventId, vehicle_id: e.vehicleId, event_type: e.eventType, at: e.at, created_at: now,
            })));
            for (const sink of this.sinks) await sink(trx, events);
          }
          return { done, conflicts };
        });
      } catch (e) {
        for (const id of batch) this.cache?.delete(id);
        throw e;
      }
      for (const d of out.done) this.cache?.set(d.id, { version: d.version, json: d.json });
      for (const id of out.conflicts) this.cache?.delete(id);
      for (const d of out.done) for (const c of this.committed) c(d.id);
      written += out.done.length;
      todo = out.conflicts;
    }
    return written;
  }

  async ensureAccount(account: SimAccount, make: () => SimState[]): Promise<SimState[]> {
    const db = this.storage.db;
    const existing = await SimulatorRepo.getAccount(db, account.id);
    if (!existing) {
      await db.transaction().execute(async (trx) => {
        const created = await SimulatorRepo.insertAccount(trx, {
          id: account.id, make: account.make, email: account.email, mode: account.mode, country: account.country, password_hash: account.passwordHash ?? null, app_id: account.appId ?? null, created_at: account.createdAt,
        });
        if (!created) return;
        const now = this.clock.now();
        await SimulatorRepo.insertVehicles(trx, make().map((s, i) => ({
          id: s.id, account_id: account.id, vin: s.vin, make: s.make, state: JSON.stringify(s), version: 0,
          next_event_at: s.nextAt >= 0 ? s.nextAt : null, created_at: account.createdAt + i, updated_at: now,
        })));
      });
    }
    return this.vehiclesOf(account.id);
  }

  async vehiclesOf(accountId: string): Promise<SimState[]> {
    const rows = await SimulatorRepo.vehiclesOfAccount(this.storage.db, accountId);
    return rows.map((r) => JSON.parse(r.state) as SimState);
  }

  async account(id: string): Promise<SimAccount | undefined> {
    const r = await SimulatorRepo.getAccount(this.storage.db, id);
    return r && accountOf(r);
  }

  async accountsByLogin(make: string, email: string, mode: SimAccount['mode']): Promise<SimAccount[]> {
    return (await SimulatorRepo.accountsByLogin(this.storage.db, make, email, mode)).map(accountOf);
  }

  async adoptPasswordHash(id: string, hash: string): Promise<void> {
    await SimulatorRepo.adoptPasswordHash(this.storage.db, id, hash);
  }

  dueIds(platformNow: number, limit: number): Promise<string[]> {
    return SimulatorRepo.dueVehicleIds(this.storage.db, platformNow, limit);
  }
}
