import type { VehicleEvent } from '../../backend.js';
import { VehicleError } from '../../errors.js';
import type { SimState } from '../state.js';
import { DueIndex } from './due-index.js';
import type { Outcome, SimAccount, SimEngine } from './types.js';

/**
 * In-process engine: a Map of plain state objects. No storage, no sinks: event listeners receive
 * the events after each update. Used by the benchmark and by single-process tools. States change
 * only through `add`, `update`, `updateSync` and `updateEach`, which keep the index of due
 * vehicles (a state changed behind the engine's back is not found by `dueIds`).
 */
export class MemoryEngine implements SimEngine {
  readonly vehicles = new Map<string, SimState>();
  private readonly accounts = new Map<string, { account: SimAccount; vehicleIds: string[] }>();
  private readonly listeners: ((events: VehicleEvent[]) => void)[] = [];
  private readonly due = new DueIndex<SimState>();

  onEvents(fn: (events: VehicleEvent[]) => void): void { this.listeners.push(fn); }

  async get(id: string): Promise<SimState | undefined> { return this.vehicles.get(id); }

  async getMany(ids: readonly string[]): Promise<SimState[]> {
    return ids.map((id) => this.vehicles.get(id)).filter((s): s is SimState => s !== undefined);
  }

  /** Synchronous update (the benchmark drives a million vehicles without promises). */
  updateSync<T>(id: string, fn: (s: SimState) => Outcome<T>): T {
    const s = this.vehicles.get(id);
    if (!s) throw new VehicleError({ kind: 'account', code: 'VEHICLE_MISSING' });
    const before = s.nextAt;
    let out: Outcome<T>;
    try { out = fn(s); } finally { this.indexed(s, before); }
    if (out.events.length) for (const l of this.listeners) l(out.events);
    if (out.error) throw out.error;
    return out.value as T;
  }

  async updateEach(ids: readonly string[], fn: (s: SimState) => VehicleEvent[]): Promise<number> {
    let n = 0;
    for (const id of ids) {
      const s = this.vehicles.get(id);
      if (!s) continue;
      const before = s.nextAt;
      let events: VehicleEvent[];
      try { events = fn(s); } finally { this.indexed(s, before); }
      if (events.length) for (const l of this.listeners) l(events);
      n++;
    }
    return n;
  }

  /** Keeps the due index in step after `s` changed (its due time was `before`). */
  private indexed(s: SimState, before: number): void {
    if (s.nextAt === before || s.nextAt < 0) return;
    this.due.push(s.nextAt, s);
    if (this.due.size > 2 * this.vehicles.size + 1024) this.due.rebuild(this.vehicles.values());
  }

  async update<T>(id: string, fn: (s: SimState) => Outcome<T>): Promise<T> {
    return this.updateSync(id, fn);
  }

  add(s: SimState): void {
    const replaced = this.vehicles.get(s.id);
    this.vehicles.set(s.id, s);
    // The index holds states: one replaced by another object leaves with a rebuild.
    if (replaced && replaced !== s) this.due.rebuild(this.vehicles.values());
    else this.indexed(s, -1);
  }

  async ensureAccount(account: SimAccount, make: () => SimState[]): Promise<SimState[]> {
    const existing = this.accounts.get(account.id);
    if (existing) return this.getMany(existing.vehicleIds);
    const vs = make();
    for (const v of vs) this.add(v);
    this.accounts.set(account.id, { account, vehicleIds: vs.map((v) => v.id) });
    return vs;
  }

  async account(id: string): Promise<SimAccount | undefined> { return this.accounts.get(id)?.account; }

  async accountsByLogin(make: string, email: string, mode: SimAccount['mode']): Promise<SimAccount[]> {
    return [...this.accounts.values()].map((a) => a.account)
      .filter((a) => a.make === make && a.email === email && a.mode === mode)
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
  }

  async vehiclesOf(accountId: string): Promise<SimState[]> { return this.getMany(this.accounts.get(accountId)?.vehicleIds ?? []); }

  async adoptPasswordHash(id: string, hash: string): Promise<void> {
    const a = this.accounts.get(id);
    if (a && !a.account.passwordHash) a.account = { ...a.account, passwordHash: hash };
  }

  async dueIds(platformNow: number, limit: number): Promise<string[]> {
    return this.due.due(platformNow, limit).map((s) => s.id);
  }
}
