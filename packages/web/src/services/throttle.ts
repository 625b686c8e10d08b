import type { Clock } from '@opencar/core';

/**
 * Failed sign-in attempts per key (e-mail) in a sliding window; in memory, bounded. Slows password
 * guessing without letting an attacker lock a developer out for long.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();
  constructor(private readonly clock: Clock, private readonly max = 5, private readonly windowMs = 15 * 60_000) {}

  blocked(key: string): boolean {
    return this.recent(key).length >= this.max;
  }

  fail(key: string): void {
    const list = this.recent(key);
    list.push(this.clock.now());
    this.failures.set(key, list);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  clear(key: string): void { this.failures.delete(key); }

  private recent(key: string): number[] {
    const since = this.clock.now() - this.windowMs;
    return (this.failures.get(key) ?? []).filter((t) => t > since);
  }
}
