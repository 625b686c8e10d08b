/** Billable units admitted but not yet recorded, for one request. */
interface Reservation { key: string; vehicleId: string | null; units: number; expiresAt: number }

/** How long an admitted request may hold its units without being recorded (aborted requests). */
export const RESERVATION_TTL_MS = 5 * 60_000;

/**
 * Units held by admitted requests until `record` counts them, so concurrent admissions cannot
 * all pass a nearly-spent monthly quota. Keyed by request id; aggregated per `${appId}|${month}`
 * with the same scopes as the monthly counters ('' = whole app, otherwise a vehicle id).
 */
export class Reservations {
  /** Insertion order = expiry order (one TTL, clock moves forward), so expiry prunes from the front. */
  private readonly byRequest = new Map<string, Reservation>();
  private readonly totals = new Map<string, Map<string, number>>();

  constructor(private readonly ttlMs = RESERVATION_TTL_MS) {}

  /** Pending units per scope for an app and month (undefined when none). */
  pending(key: string, now: number): Map<string, number> | undefined {
    this.expire(now);
    return this.totals.get(key);
  }

  reserve(requestId: string, key: string, vehicleId: string | null, units: number, now: number): void {
    if (units <= 0) return;
    this.release(requestId);
    this.byRequest.set(requestId, { key, vehicleId, units, expiresAt: now + this.ttlMs });
    this.adjust(key, vehicleId, units);
  }

  release(requestId: string): void {
    const r = this.byRequest.get(requestId);
    if (!r) return;
    this.byRequest.delete(requestId);
    this.adjust(r.key, r.vehicleId, -r.units);
  }

  get size(): number { return this.byRequest.size; }

  private expire(now: number): void {
    for (const [id, r] of this.byRequest) {
      if (r.expiresAt > now) break;
      this.release(id);
    }
  }

  private adjust(key: string, vehicleId: string | null, delta: number): void {
    let m = this.totals.get(key);
    if (!m) { m = new Map(); this.totals.set(key, m); }
    bump(m, '', delta);
    if (vehicleId) bump(m, vehicleId, delta);
    if (m.size === 0) this.totals.delete(key);
  }
}

function bump(m: Map<string, number>, scope: string, delta: number): void {
  const v = (m.get(scope) ?? 0) + delta;
  if (v > 0) m.set(scope, v); else m.delete(scope);
}
