import { uuid, type Clock } from '@opencar/core';
import { AccountsRepo, PlanHistoryRepo, type PlanHistoryRow, type Storage } from '@opencar/storage';
import { PLANS, resolvePlan, type PlanLimits, type PlanName, type PlanOverrides } from './plans.js';
import { monthStart, nextMonth } from './month.js';

export type PlanChangeSource = 'signup' | 'developer' | 'operator';

export const isPlanName = (v: unknown): v is PlanName => typeof v === 'string' && Object.hasOwn(PLANS, v);

/** A plan in force over [from, to), with the limits and price of that period. */
export interface PlanPeriod { plan: PlanName; limits: PlanLimits; from: number; to: number }

/**
 * Changes a developer's plan from this instant on (the dashboard's plan page and the operator's
 * `set-plan` both come here): the developer row and a new plan_history period in one transaction.
 * Usage before the change keeps the price of the plan it was made under. `limits` replaces the
 * account's limit overrides (null clears them); left out, they stay. Callers in the server process
 * then call `MeteringService.invalidatePlans()`; other processes see the change within the plan
 * cache's lifetime.
 */
export async function changePlan(storage: Storage, clock: Clock, developerId: string, plan: PlanName, o: { source: PlanChangeSource; limits?: PlanOverrides | null }): Promise<void> {
  if (!isPlanName(plan)) throw new RangeError(`unknown plan ${String(plan)}`);
  const dev = await new AccountsRepo(storage.db).getDeveloper(developerId);
  if (!dev) throw new RangeError(`no developer ${developerId}`);
  const limits = o.limits === undefined ? { set: false, value: dev.plan_limits } : { set: true, value: o.limits === null ? null : JSON.stringify(o.limits) };
  const row: PlanHistoryRow = { id: uuid(), developer_id: developerId, plan, plan_limits: limits.value, starts_at: clock.now(), source: o.source };
  await new PlanHistoryRepo(storage.db).change(row, limits, { id: uuid(), plan: dev.plan, planLimits: dev.plan_limits, since: Number(dev.created_at) });
}

/**
 * The plan periods covering a billing month, from the developer's history (oldest first): each
 * recorded period at its recorded plan, the current one at the account's plan now; without
 * history, the current plan covers the whole month.
 */
export function periodsInMonth(history: readonly PlanHistoryRow[], current: { plan: string; plan_limits: string | null }, month: string): PlanPeriod[] {
  const from = monthStart(month);
  const to = monthStart(nextMonth(month));
  if (history.length === 0) return [{ plan: resolvePlan(current.plan, current.plan_limits).plan, limits: resolvePlan(current.plan, current.plan_limits), from, to }];
  const out: PlanPeriod[] = [];
  history.forEach((h, i) => {
    const start = i === 0 ? Math.min(h.starts_at, from) : h.starts_at;
    const end = history[i + 1]?.starts_at ?? Infinity;
    const a = Math.max(start, from);
    const b = Math.min(end, to);
    if (a < b) {
      // The open period is priced by the account as it is now (a plan set outside this module,
      // e.g. directly in the database, applies from the start of that period).
      const last = i === history.length - 1;
      const limits = last ? resolvePlan(current.plan, current.plan_limits) : resolvePlan(h.plan, h.plan_limits);
      out.push({ plan: limits.plan, limits, from: a, to: b });
    }
  });
  return out;
}
