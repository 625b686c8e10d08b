import type { VehicleEvent } from '../../backend.js';
import { VehicleError } from '../../errors.js';
import type { SimState } from '../state.js';
import type { Outcome, SimAccount, SimEngine } from './types.js';

/**
 * In-process engine: a Map of plain state objects. No storage, no sinks: event listeners receive
 * the events after each update. Used by the benchmark and by single-process tools.
 */
export class MemoryEngine implements SimEngine {
  readonly vehicles = new Map<string, SimState>();
  private readonly accounts = new Map<string, { account: SimAccount; vehicleIds: string[] }>();
  private readonly listeners: ((events: VehicleEvent[]) => void)[] = [];

  onEvents(fn: (events: VehicleEvent[]) => void): void { this.listeners.push(fn); }

  async get(id: string): Promise<SimState | undefined> { return this.vehicles.get(id); }

  async getMany(ids: readonly string[]): Promise<SimState[]> {
    return ids.map((id) => this.vehicles.get(id)).filter((s): s is SimState => s !== undefined);
  }

  /** Synchronous update (the benchmark drives a million vehicles without promises). */
  updateSync<T>(id: string, fn: (s: SimState) => Outcome<T>): T {
    const s = this.vehicles.get(id);
    if (!s) throw new VehicleError({ kind: 'account', code: 'VEHICLE_MISSING' });
    const out = fn(s);
    if (out.events.length) for (const l of this.listeners) l(out.events);
    if (out.error) throw out.error;
    return out.value as T;
  }

  async update<T>(id: string, fn: (s: SimState) => Outcome<T>): Promise<T> {
    return this.updateSync(id, fn);
  }

  add(s: SimState): void { this.vehicles.set(s.id, s); }

  async ensureAccount(account: SimAccount, make: () => SimState[]): Promise<SimState[]> {
    const existing = this.accounts.get(account.id);
    if (existing) return this.getMany(existing.vehicleIds);
    const vs = make();
    for (const v of vs) this.vehicles.set(v.id, v);
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
    const due: SimState[] = [];
    for (const s of this.vehicles.values()) if (s.nextAt >= 0 && s.nextAt <= platformNow) due.push(s);
    due.sort((a, b) => a.nextAt - b.nextAt || (a.id < b.id ? -1 : 1));
    return due.slice(0, limit).map((s) => s.id);
  }
}
