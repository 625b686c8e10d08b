import { ApiError } from './api-error.js';
import type { Clock } from './clock.js';

/** Failed credential checks, one row per key and failure (stored: shared by every server process). */
export interface FailureLog {
  /** Failure times (epoch ms) after `since`, oldest first, per key asked for. */
  recent(keys: readonly string[], since: number): Promise<Map<string, number[]>>;
  add(keys: readonly string[], at: number): Promise<void>;
  clear(key: string): Promise<void>;
  /** Deletes every failure at or before `before`. */
  prune(before: number): Promise<void>;
}

export interface ThrottleRule { limit: number; windowMs: number }

/**
 * How one kind of credential is throttled. `stored` checks read the shared failures before each
 * attempt (sign-ins: rare, low-entropy passwords); otherwise an attempt is checked against what
 * this process learnt from failures, so a successful check costs no storage round trip (API
 * credentials on hot paths), and each process learns a lock at its first failed check.
 */
export interface ThrottlePolicy { credential: ThrottleRule; address: ThrottleRule; stored: boolean }

/** Passwords (Connect's brand sign-in, dashboard, owner portal): 5 failures per account, 20 per client, in 15 minutes. */
export const PASSWORD_POLICY: ThrottlePolicy = { credential: { limit: 5, windowMs: 15 * 60_000 }, address: { limit: 20, windowMs: 15 * 60_000 }, stored: true };
/** Client secrets, management tokens, access tokens: 5 failures per client id, 20 per client address, in a minute. */
export const SECRET_POLICY: ThrottlePolicy = { credential: { limit: 5, windowMs: 60_000 }, address: { limit: 20, windowMs: 60_000 }, stored: false };
/** Authorization codes and refresh tokens an authenticated client presents: 10 unknown ones per client, 20 per address, in a minute. */
export const GRANT_POLICY: ThrottlePolicy = { credential: { limit: 10, windowMs: 60_000 }, address: { limit: 20, windowMs: 60_000 }, stored: false };

/** What a credential check reads from a request (a FastifyRequest is one): the Authorization header and the client address. */
export interface CredentialSource { headers: { authorization?: string | undefined }; ip: string }

/** One credential check: what is checked (`kind`), whose credential (when the request names it) and from where. */
export interface Attempt { kind: string; credential?: string; address: string }

/** The check passed; or not: locked (`retryAfterMs` > 0, the check did not run) or wrong (`retryAfterMs` 0). */
export type Guarded<T> = { ok: true; value: T } | { ok: false; retryAfterMs: number };

interface Keys { address: string; credential?: string; pair?: string }

const MAX_REMEMBERED = 10_000;

/** Milliseconds until fewer than `limit` of these failures lie inside the window (0 = allowed now). */
function waitFor(times: number[] | undefined, rule: ThrottleRule, now: number): number {
  if (!times || times.length < rule.limit) return 0;
  return Math.max(0, times[times.length - rule.limit]! + rule.windowMs - now);
}

/** Keeps a map of expiry times below MAX_REMEMBERED entries: expired ones go first, then the oldest. */
function remember(map: Map<string, number>, key: string, until: number, now: number): void {
  if (map.size >= MAX_REMEMBERED) {
    for (const [k, t] of map) if (t <= now) map.delete(k);
    for (const k of map.keys()) { if (map.size < MAX_REMEMBERED) break; map.delete(k); }
  }
  map.set(key, until);
}

/**
 * The one throttle of every credential check (passwords, client secrets, management and access
 * tokens, authorization codes). Failures are counted per client address and per credential; past a
 * rule's limit within its window the key is locked until the oldest of those failures leaves the
 * window, and the caller answers 429 with `retry-after`. Only failures are written, so honest
 * traffic costs nothing.
 *
 * A credential's lock stops the addresses that failed against it, not the others: whoever knows the
 * secret and has not been guessing (its owner) still gets in, while each new guessing address gets
 * one wrong try before the lock holds it too. Every address stays bound by its own limit.
 */
export class CredentialThrottle {
  /** Lock expiry per key, as this process last learnt it (non-stored policies). */
  private readonly locks = new Map<string, number>();
  /** Until when a credential+address pair counts as having failed (non-stored policies). */
  private readonly failedPairs = new Map<string, number>();
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly log: FailureLog, private readonly clock: Clock) {}

  /**
   * Runs `check` unless the attempt is locked; `check` resolves undefined when the credential is wrong.
   * Policies that are not `stored` are judged from this process's memory, synchronously: a check that
   * passes costs no promise beyond its own (API credentials on hot paths).
   */
  guard<T>(attempt: Attempt, policy: ThrottlePolicy, check: () => Promise<T | undefined>): Promise<Guarded<T>> {
    if (policy.stored) return this.guardStored(attempt, policy, check);
    const keys = keysOf(attempt);
    const { ms, pairFailures } = this.memoryWait(keys, this.clock.now());
    if (ms > 0) return Promise.resolve({ ok: false, retryAfterMs: ms });
    let checked: Promise<T | undefined>;
    try { checked = check(); } catch (err) { return Promise.reject(err); }
    return checked.then((value): Guarded<T> | Promise<Guarded<T>> => {
      // The failed check itself is answered as wrong (401); the lock it may have caused holds from the next attempt.
      if (value === undefined) return this.failed(keys, policy).then(() => ({ ok: false, retryAfterMs: 0 }));
      // Got in after mistakes of their own: the count starts again.
      if (pairFailures > 0) this.failedPairs.delete(keys.pair!);
      return { ok: true, value };
    });
  }

  /** `guard` for stored policies: the shared failures are read before the check. */
  private async guardStored<T>(attempt: Attempt, policy: ThrottlePolicy, check: () => Promise<T | undefined>): Promise<Guarded<T>> {
    const keys = keysOf(attempt);
    const wait = await this.wait(keys, policy);
    if (wait.ms > 0) return { ok: false, retryAfterMs: wait.ms };
    const value = await check();
    if (value === undefined) {
      await this.failed(keys, policy);
      return { ok: false, retryAfterMs: 0 };
    }
    // A write only after failures of their own.
    if (wait.pairFailures > 0) {
      await this.log.clear(keys.pair!); await this.log.clear(keys.credential!);
      this.failedPairs.delete(keys.pair!);
    }
    return { ok: true, value };
  }

  /** The wait of a non-stored policy, from the locks and failed pairs this process learnt. */
  private memoryWait(keys: Keys, now: number): { ms: number; pairFailures: number } {
    const pairFailed = keys.pair !== undefined && (this.failedPairs.get(keys.pair) ?? 0) > now;
    return { ms: Math.max(this.lockLeft(keys.address, now), pairFailed ? this.lockLeft(keys.credential, now) : 0), pairFailures: pairFailed ? 1 : 0 };
  }

  /** How long the lock this process learnt for `key` still holds (0: none). */
  private lockLeft(key: string | undefined, now: number): number {
    return key === undefined ? 0 : Math.max(0, (this.locks.get(key) ?? 0) - now);
  }

  /** Records a failed check that `guard` did not run (a credential judged wrong further down). */
  async fail(attempt: Attempt, policy: ThrottlePolicy): Promise<void> {
    await this.failed(keysOf(attempt), policy);
  }

  /** Milliseconds until the attempt may be checked (0 = now), without checking anything. */
  async retryAfterMs(attempt: Attempt, policy: ThrottlePolicy): Promise<number> {
    return (await this.wait(keysOf(attempt), policy)).ms;
  }

  private async wait(keys: Keys, policy: ThrottlePolicy): Promise<{ ms: number; pairFailures: number }> {
    const now = this.clock.now();
    if (!policy.stored) return this.memoryWait(keys, now);
    const recent = await this.log.recent(names(keys), now - longest(policy));
    const pairFailures = keys.pair === undefined ? 0 : (recent.get(keys.pair) ?? []).filter((t) => t > now - policy.credential.windowMs).length;
    const credential = pairFailures > 0 ? waitFor(recent.get(keys.credential!), policy.credential, now) : 0;
    return { ms: Math.max(waitFor(recent.get(keys.address), policy.address, now), credential), pairFailures };
  }

  /** Stores the failure under every key and learns whether a key is now locked. */
  private async failed(keys: Keys, policy: ThrottlePolicy): Promise<void> {
    const now = this.clock.now();
    await this.log.add(names(keys), now);
    const recent = await this.log.recent([keys.address, ...(keys.credential ? [keys.credential] : [])], now - longest(policy));
    for (const [name, rule] of [[keys.address, policy.address], [keys.credential, policy.credential]] as const) {
      if (name === undefined) continue;
      const ms = waitFor(recent.get(name), rule, now);
      if (ms > 0) remember(this.locks, name, now + ms, now);
    }
    if (keys.pair !== undefined) remember(this.failedPairs, keys.pair, now + policy.credential.windowMs, now);
    if (now - this.prunedAt >= PRUNE_EVERY_MS) {
      this.prunedAt = now;
      await this.log.prune(now - PRUNE_EVERY_MS);
    }
  }
}

/** Stored failures older than the longest window are deleted, at most once per that window. */
const PRUNE_EVERY_MS = PASSWORD_POLICY.credential.windowMs;

const longest = (p: ThrottlePolicy) => Math.max(p.address.windowMs, p.credential.windowMs);
const names = (k: Keys) => [k.address, ...(k.credential ? [k.credential, k.pair!] : [])];

function keysOf(a: Attempt): Keys {
  const address = `${a.kind}:addr:${a.address}`;
  if (a.credential === undefined) return { address };
  const id = a.credential.toLowerCase();
  return { address, credential: `${a.kind}:cred:${id}`, pair: `${a.kind}:pair:${id}|${a.address}` };
}

/** A FailureLog kept in this process only, for tests of features that need no storage. */
export class MemoryFailureLog implements FailureLog {
  private readonly rows = new Map<string, number[]>();
  async recent(keys: readonly string[], since: number): Promise<Map<string, number[]>> {
    return new Map(keys.map((k) => [k, (this.rows.get(k) ?? []).filter((t) => t > since)]));
  }
  async add(keys: readonly string[], at: number): Promise<void> {
    for (const k of keys) this.rows.set(k, [...(this.rows.get(k) ?? []), at]);
  }
  async clear(key: string): Promise<void> { this.rows.delete(key); }
  async prune(before: number): Promise<void> {
    for (const [k, times] of this.rows) {
      const kept = times.filter((t) => t > before);
      if (kept.length) this.rows.set(k, kept); else this.rows.delete(k);
    }
  }
}

/** The API's answer to a locked attempt: 429 RATE_LIMIT:AUTHENTICATION with `retry-after`. */
export const credentialLocked = (retryAfterMs: number) =>
  new ApiError('RATE_LIMIT:AUTHENTICATION', { retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)) });
