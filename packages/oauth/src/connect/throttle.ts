import type { Clock } from '@opencar/core';

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60 * 1000;
const MAX_KEYS = 100_000;

/**
 * Failed OEM sign-ins, counted per key (account name per brand, and flow) on the platform Clock:
 * after MAX_FAILURES within WINDOW_MS the key is locked until the oldest failure leaves the window.
 * Kept in process memory: a restart forgets it, which only ever relaxes the limit.
 */
export class SignInThrottle {
  /** Failure times per key, in order of each key's latest failure (oldest first). */
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly clock: Clock, private readonly maxKeys = MAX_KEYS) {}

  get size(): number { return this.failures.size; }

  /** Milliseconds until the key may try again (0 = allowed now). */
  retryAfterMs(key: string): number {
    const now = this.clock.now();
    const recent = (this.failures.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
    if (recent.length < MAX_FAILURES) return 0;
    return recent[recent.length - MAX_FAILURES]! + WINDOW_MS - now;
  }

  recordFailure(key: string): void {
    const now = this.clock.now();
    const recent = (this.failures.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
    recent.push(now);
    this.failures.delete(key);
    if (this.failures.size >= this.maxKeys) this.evict(now);
    this.failures.set(key, recent.slice(-MAX_FAILURES));
  }

  /**
   * Makes room without lifting lockouts: expired keys go first, then the least recently failed keys
   * that are not locked; only if every key is locked does the least recently failed one go.
   */
  private evict(now: number): void {
    const target = Math.max(0, this.maxKeys - Math.max(1, Math.floor(this.maxKeys / 10)));
    for (const [k, times] of this.failures) if (times[times.length - 1]! <= now - WINDOW_MS) this.failures.delete(k);
    for (const [k, times] of this.failures) {
      if (this.failures.size <= target) return;
      if (times.filter((t) => t > now - WINDOW_MS).length < MAX_FAILURES) this.failures.delete(k);
    }
    for (const k of this.failures.keys()) {
      if (this.failures.size < this.maxKeys) return;
      this.failures.delete(k);
    }
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}
