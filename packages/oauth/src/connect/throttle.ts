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
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly clock: Clock) {}

  /** Milliseconds until the key may try again (0 = allowed now). */
  retryAfterMs(key: string): number {
    const now = this.clock.now();
    const recent = (this.failures.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
    if (recent.length < MAX_FAILURES) return 0;
    return recent[recent.length - MAX_FAILURES]! + WINDOW_MS - now;
  }

  recordFailure(key: string): void {
    const now = this.clock.now();
    if (this.failures.size >= MAX_KEYS) this.failures.clear();
    const recent = (this.failures.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
    recent.push(now);
    this.failures.set(key, recent.slice(-MAX_FAILURES));
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}
