import type { Clock } from '@opencar/core';
import { SignInFailuresRepo, type Storage } from '@opencar/storage';

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60 * 1000;

/**
 * Failed sign-ins counted per key (an account name, an e-mail, a Connect flow) on the platform
 * clock: after MAX_FAILURES within WINDOW_MS the key is locked until the oldest of those failures
 * leaves the window. Slows password guessing without locking anyone out for long. Failures are
 * stored, so a lockout holds in every server process sharing the database and across restarts;
 * failures older than the window are deleted at most once per window.
 */
export class SignInThrottle {
  private readonly repo: SignInFailuresRepo;
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(storage: Storage, private readonly clock: Clock) {
    this.repo = new SignInFailuresRepo(storage.db);
  }

  /** Milliseconds until the key may try again (0 = allowed now). */
  async retryAfterMs(key: string): Promise<number> {
    const now = this.clock.now();
    const recent = await this.repo.since(key, now - WINDOW_MS);
    if (recent.length < MAX_FAILURES) return 0;
    return recent[recent.length - MAX_FAILURES]! + WINDOW_MS - now;
  }

  async recordFailure(key: string): Promise<void> {
    const now = this.clock.now();
    await this.repo.add(key, now);
    if (now - this.prunedAt >= WINDOW_MS) {
      this.prunedAt = now;
      await this.repo.prune(now - WINDOW_MS);
    }
  }

  /** Forgets the key's failures (after a successful sign-in). */
  async reset(key: string): Promise<void> {
    await this.repo.clear(key);
  }
}
