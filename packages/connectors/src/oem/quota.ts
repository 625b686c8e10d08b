import type { Clock, OemQuotaProfile } from '@opencar/core';
import type { OemRepo } from '@opencar/storage';
import { VehicleError } from '../errors.js';

/**
 * The OEM's quota, consulted before every call so opencar never makes a call the OEM would refuse
 * or bill beyond the operator's budget. Counters are per subject (a vehicle) and UTC day on the
 * platform clock, stored with an atomic increment so every server process spends the same budget.
 * A call is counted when it is reserved and refunded when the OEM does not bill it (no answer, or
 * an answer the OEM does not bill, e.g. Tesla's 5xx). A lock-out the OEM announces (429 with
 * `retry-after`) stops every further call for the subject until it ends.
 */
export type QuotaClass = 'data' | 'commands' | 'wakes' | 'chargingCommands';

export interface QuotaTicket {
  keys: string[];
}

const DAY_MS = 86_400_000;

export class OemQuota {
  private lastPrune = 0;

  constructor(
    private readonly repo: OemRepo,
    private readonly clock: Clock,
    private readonly connector: string,
    private readonly profile: OemQuotaProfile,
  ) {}

  /** Reserves one call of each class for `subject`, or throws UPSTREAM:RATE_LIMIT with the seconds until the budget renews. */
  async reserve(subject: string, classes: readonly QuotaClass[]): Promise<QuotaTicket> {
    const now = this.clock.now();
    await this.pruneNow(now);
    const locked = await this.repo.lockedUntil(this.lockKey(subject), now);
    if (locked !== undefined) throw this.refusal(locked, now, `${this.connector} locked ${subject} out until ${new Date(locked).toISOString()}`);
    const day = Math.floor(now / DAY_MS);
    const until = (day + 1) * DAY_MS;
    const taken: string[] = [];
    for (const cls of classes) {
      const limit = this.profile[cls];
      if (!limit) continue;
      const key = `${this.connector}|${subject}|${day}|${cls}`;
      const used = await this.repo.addUsage(key, 1, until);
      taken.push(key);
      if (used > limit) {
        for (const k of taken) await this.repo.addUsage(k, -1, until);
        throw this.refusal(until, now, `${this.connector} ${cls} budget of ${limit} a day used up for ${subject}`);
      }
    }
    return { keys: taken };
  }

  /** Gives the reservation back when the OEM did not bill the call. */
  async refund(ticket: QuotaTicket): Promise<void> {
    const until = (Math.floor(this.clock.now() / DAY_MS) + 1) * DAY_MS;
    for (const k of ticket.keys) await this.repo.addUsage(k, -1, until);
  }

  /** The OEM locked `subject` out for `seconds`. */
  async lockOut(subject: string, seconds: number): Promise<void> {
    await this.repo.lockOut(this.lockKey(subject), this.clock.now() + seconds * 1000);
  }

  /** Calls of `cls` counted today for `subject`. */
  async usedToday(subject: string, cls: QuotaClass): Promise<number> {
    return this.repo.usage(`${this.connector}|${subject}|${Math.floor(this.clock.now() / DAY_MS)}|${cls}`);
  }

  /** Budget left today (Infinity when uncapped). */
  async remaining(subject: string, cls: QuotaClass): Promise<number> {
    const limit = this.profile[cls];
    return limit ? Math.max(0, limit - await this.usedToday(subject, cls)) : Infinity;
  }

  private lockKey(subject: string): string { return `${this.connector}|${subject}|lockout`; }

  private refusal(until: number, now: number, reason: string): VehicleError {
    return new VehicleError({ kind: 'upstream_rate_limit', retryAfter: Math.max(1, Math.ceil((until - now) / 1000)) }, reason);
  }

  private async pruneNow(now: number): Promise<void> {
    if (now - this.lastPrune < 3_600_000) return;
    this.lastPrune = now;
    await this.repo.pruneQuota(now);
  }
}
