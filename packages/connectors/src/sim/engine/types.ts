import type { ConnectMode, VehicleEvent } from '../../backend.js';
import type { VehicleError } from '../../errors.js';
import type { SimState } from '../state.js';

/** A simulated OEM account (platform user). */
export interface SimAccount {
  id: string;
  make: string;
  email: string;
  mode: ConnectMode;
  country: string;
  createdAt: number;
  /** scrypt hash of the password the account was created with (absent for older accounts). */
  passwordHash?: string | null;
  /** The app whose Connect created the account; absent for accounts created without one. */
  appId?: string | null;
}

/** What a state update returns: a value or a failure, plus the events to deliver with it. */
export interface Outcome<T> {
  value?: T;
  error?: VehicleError;
  events: VehicleEvent[];
}

/**
 * Where simulator state lives: in memory (benchmarks, single-process tools) or in opencar's storage
 * (the server). `update` is atomic per vehicle; the state passed to `fn` may be mutated, and is saved
 * even when the outcome carries an error (quota counters, fault counters must persist).
 */
export interface SimEngine {
  get(id: string): Promise<SimState | undefined>;
  getMany(ids: readonly string[]): Promise<SimState[]>;
  update<T>(id: string, fn: (s: SimState) => Outcome<T>): Promise<T>;
  /**
   * Background work on many vehicles (due events): applies `fn` to each vehicle in turn and saves
   * it with the events `fn` returns, skipping vehicles that are gone. Each vehicle's change stands
   * alone (a vehicle another process changed meanwhile is done again from what that process
   * stored); storage commits a batch in one transaction. Returns how many vehicles were written.
   */
  updateEach(ids: readonly string[], fn: (s: SimState) => VehicleEvent[]): Promise<number>;
  /** Creates the account and vehicles unless the account exists; returns the account's vehicles. */
  ensureAccount(account: SimAccount, make: () => SimState[]): Promise<SimState[]>;
  account(id: string): Promise<SimAccount | undefined>;
  /** Every account of an OEM login (upper-case make, lower-case e-mail, mode) in every app, newest first. */
  accountsByLogin(make: string, email: string, mode: SimAccount['mode']): Promise<SimAccount[]>;
  /** The vehicles of an account. */
  vehiclesOf(accountId: string): Promise<SimState[]>;
  /** Stores a password hash for an account that has none yet. */
  adoptPasswordHash(id: string, hash: string): Promise<void>;
  /** Ids of vehicles whose next event is due at or before `platformNow` (oldest first). */
  dueIds(platformNow: number, limit: number): Promise<string[]>;
}
