/** Retry policy for deliveries. */
export interface RetryPolicy {
  /** First retry delay, ms (Smartcar documents 25 s, then 50 s, 100 s). */
  baseMs: number;
  /** Longest gap between attempts, ms. */
  maxMs: number;
  /** Keep retrying at least this long after the delivery was created, then dead-letter. */
  windowMs: number;
  /** ±fraction of random jitter applied to every delay. */
  jitter: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 25_000, maxMs: 60 * 60_000, windowMs: 24 * 60 * 60_000, jitter: 0.2 };

/**
 * When to try again after the `attempt`-th failure, or null to dead-letter. Exponential (base·2ⁿ⁻¹,
 * capped) with jitter; a delivery is only given up once the whole retry window has passed.
 */
export function nextAttemptAt(policy: RetryPolicy, attempt: number, createdAt: number, now: number, random: () => number = Math.random): number | null {
  if (now - createdAt >= policy.windowMs) return null;
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(30, attempt - 1));
  const factor = 1 + policy.jitter * (2 * random() - 1);
  return now + Math.max(1, Math.round(exp * factor));
}
