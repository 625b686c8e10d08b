import type { MeteringRepo } from '@opencar/storage';
import type { BucketSpec } from './plans.js';

export interface TakeResult {
  granted: boolean;
  /** Tokens left after this take (fractional). */
  tokens: number;
  capacity: number;
  /** Seconds until one token is available (0 when granted). */
  retryAfter: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
}

export interface Buckets {
  take(key: string, spec: BucketSpec, now: number): Promise<TakeResult> | TakeResult;
  /** Tokens in the bucket now, without taking one. */
  peek(key: string, spec: BucketSpec, now: number): Promise<number> | number;
}

function result(granted: boolean, tokens: number, spec: BucketSpec): TakeResult {
  const perSecond = spec.refillPerMinute / 60;
  return {
    granted,
    tokens,
    capacity: spec.capacity,
    retryAfter: granted ? 0 : Math.max(1, Math.ceil((1 - tokens) / perSecond)),
    resetSeconds: Math.max(0, Math.ceil((spec.capacity - tokens) / perSecond)),
  };
}

/** Single-process buckets (SQLite): kept in memory, where they are authoritative. */
export class MemoryBuckets implements Buckets {
  private readonly state = new Map<string, { tokens: number; at: number }>();

  take(key: string, spec: BucketSpec, now: number): TakeResult {
    const s = this.state.get(key);
    const ratePerMs = spec.refillPerMinute / 60_000;
    const tokens = s ? Math.min(spec.capacity, s.tokens + Math.max(0, now - s.at) * ratePerMs) : spec.capacity;
    const granted = tokens >= 1;
    const left = granted ? tokens - 1 : tokens;
    if (s) { s.tokens = left; s.at = Math.max(s.at, now); } else this.state.set(key, { tokens: left, at: now });
    return result(granted, left, spec);
  }

  peek(key: string, spec: BucketSpec, now: number): number {
    const s = this.state.get(key);
    return s ? Math.min(spec.capacity, s.tokens + Math.max(0, now - s.at) * (spec.refillPerMinute / 60_000)) : spec.capacity;
  }
}

/** Buckets shared by every process on PostgreSQL: one atomic UPDATE … RETURNING per take. */
export class SharedBuckets implements Buckets {
  constructor(private readonly repo: MeteringRepo) {}

  async take(key: string, spec: BucketSpec, now: number): Promise<TakeResult> {
    const r = await this.repo.takeToken(key, spec.capacity, spec.refillPerMinute / 60_000, now);
    return result(r.granted, r.tokens, spec);
  }

  async peek(key: string, spec: BucketSpec, now: number): Promise<number> {
    const s = await this.repo.bucket(key);
    return s ? Math.min(spec.capacity, s.tokens + Math.max(0, now - s.updatedAt) * (spec.refillPerMinute / 60_000)) : spec.capacity;
  }
}
