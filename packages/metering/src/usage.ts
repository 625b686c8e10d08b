import type { Logger } from 'pino';
import type { Clock } from '@opencar/core';
import { AccountsRepo, MeteringRepo, PlanHistoryRepo, type StatementRow, type Storage } from '@opencar/storage';
import { isMonth, monthOf, previousMonth } from './month.js';
import { resolvePlan, type PlanName } from './plans.js';
import { periodsInMonth } from './plan-changes.js';

export interface UsageReport {
  appId: string;
  month: string;
  plan: string;
  /** Every recorded request, billable or not. */
  requests: number;
  billableRequests: number;
  /** Active vehicles: distinct vehicles with at least one billable request this month (as the plan's vehicle cap and statements count them). */
  vehicles: number;
  limits: { requestsPerMonth: number | null; vehicles: number | null };
  byEndpoint: { endpoint: string; requests: number; billableRequests: number }[];
  amountDueCents: number;
  amountDue: string;
  /** True once the month is closed and its statement exists. */
  final: boolean;
}

/** One plan period of a billing month: what was used under that plan and what it costs at its price. */
export interface UsagePeriod {
  plan: PlanName; from: number; to: number; requests: number; billableRequests: number;
  pricePerRequestCents: number; amountDueCents: number; amountDue: string;
}

/** Requests and billable units of one UTC day (`day`: its first millisecond). */
export interface DayUsage { day: number; requests: number; billableRequests: number }

export interface Statement {
  appId: string; month: string; plan: string; requests: number; billableRequests: number; vehicles: number;
  amountDueCents: number; amountDue: string; byEndpoint: Record<string, number>; issuedAt: string;
}

const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;

export function toStatement(r: StatementRow): Statement {
  return {
    appId: r.app_id, month: r.month, plan: r.plan, requests: r.requests, billableRequests: r.billable_units, vehicles: r.vehicles,
    amountDueCents: r.amount_cents, amountDue: dollars(r.amount_cents), byEndpoint: JSON.parse(r.by_endpoint) as Record<string, number>,
    issuedAt: new Date(r.created_at).toISOString(),
  };
}

/**
 * Usage per app and billing month, computed from the ledger, and monthly statements: when a month
 * has ended (on the injected clock) every app with usage in it gets a statement, written once.
 */
export class UsageService {
  private readonly repo: MeteringRepo;
  private readonly accounts: AccountsRepo;
  private readonly history: PlanHistoryRepo;
  private timer: NodeJS.Timeout | null = null;
  private closedThrough: string | null = null;

  constructor(storage: Storage, private readonly clock: Clock, private readonly log: Logger) {
    this.repo = new MeteringRepo(storage.db, storage.dialect);
    this.accounts = new AccountsRepo(storage.db);
    this.history = new PlanHistoryRepo(storage.db);
  }

  currentMonth(): string {
    return monthOf(this.clock.now());
  }

  async usage(appId: string, month = this.currentMonth()): Promise<UsageReport> {
    if (!isMonth(month)) throw new RangeError(`bad month ${month}`);
    const app = await this.accounts.getApp(appId);
    const dev = app && await this.accounts.getDeveloper(app.developerId);
    const limits = resolvePlan(dev?.plan ?? 'free', dev?.plan_limits ?? null);
    const rows = await this.repo.usageByEndpoint(appId, month);
    const billable = rows.reduce((s, r) => s + r.units, 0);
    // Each plan period is priced at its own plan: a change never re-prices earlier requests.
    const periods = await this.periods(appId, month);
    const amount = periods.length === 1 ? billable * periods[0]!.pricePerRequestCents : periods.reduce((s, p) => s + p.amountDueCents, 0);
    return {
      appId, month, plan: limits.plan,
      requests: rows.reduce((s, r) => s + r.requests, 0),
      billableRequests: billable,
      vehicles: (await this.repo.activeVehicles(appId, month)).length,
      limits: { requestsPerMonth: limits.requestsPerMonth, vehicles: limits.vehicles },
      byEndpoint: rows.map((r) => ({ endpoint: r.endpoint, requests: r.requests, billableRequests: r.units })),
      amountDueCents: amount,
      amountDue: dollars(amount),
      final: (await this.repo.getStatement(appId, month)) !== undefined,
    };
  }

  /** The plan periods of the app's developer in the month (plan history), each with its usage and amount. */
  async periods(appId: string, month = this.currentMonth()): Promise<UsagePeriod[]> {
    if (!isMonth(month)) throw new RangeError(`bad month ${month}`);
    const app = await this.accounts.getApp(appId);
    const dev = app && await this.accounts.getDeveloper(app.developerId);
    const periods = periodsInMonth(dev ? await this.history.history(dev.id) : [], dev ?? { plan: 'free', plan_limits: null }, month);
    return Promise.all(periods.map(async (p) => {
      const u = await this.history.unitsBetween(appId, month, p.from, p.to);
      const cents = u.units * p.limits.pricePerRequestCents;
      return { plan: p.plan, from: p.from, to: p.to, requests: u.requests, billableRequests: u.units, pricePerRequestCents: p.limits.pricePerRequestCents, amountDueCents: cents, amountDue: dollars(cents) };
    }));
  }

  /** Per-day breakdown of `usage()` for the same month: the days' billable units add up to its `billableRequests`. */
  async usageByDay(appId: string, month = this.currentMonth()): Promise<DayUsage[]> {
    if (!isMonth(month)) throw new RangeError(`bad month ${month}`);
    return (await this.repo.usageByDay(appId, month)).map((d) => ({ day: d.day, requests: d.requests, billableRequests: d.units }));
  }

  /** Writes the statement of every app with usage in `month` (idempotent). Returns how many exist now. */
  async closeMonth(month: string): Promise<number> {
    const apps = await this.repo.appsWithUsage(month);
    for (const appId of apps) {
      if (await this.repo.getStatement(appId, month)) continue;
      const u = await this.usage(appId, month);
      const app = await this.accounts.getApp(appId);
      await this.repo.saveStatement({
        app_id: appId, month, developer_id: app?.developerId ?? '', plan: u.plan, requests: u.requests, billable_units: u.billableRequests,
        vehicles: u.vehicles, amount_cents: u.amountDueCents,
        by_endpoint: JSON.stringify(Object.fromEntries(u.byEndpoint.map((e) => [e.endpoint, e.billableRequests]))), created_at: this.clock.now(),
      });
    }
    return apps.length;
  }

  /** Closes every ended month that still lacks statements (the loop calls this; cheap once done). */
  async closeFinishedMonths(): Promise<void> {
    const current = this.currentMonth();
    if (this.closedThrough === previousMonth(current)) return;
    for (const month of await this.repo.monthsWithoutStatement(current)) await this.closeMonth(month);
    this.closedThrough = previousMonth(current);
  }

  async statements(appId: string): Promise<Statement[]> {
    return (await this.repo.listStatements(appId)).map(toStatement);
  }

  async statement(appId: string, month: string): Promise<Statement | undefined> {
    const r = await this.repo.getStatement(appId, month);
    return r && toStatement(r);
  }

  start(intervalMs = 60_000): void {
    const run = async () => {
      try { await this.closeFinishedMonths(); } catch (err) { this.log.error({ err }, 'closing the billing month failed'); }
      if (this.timer) this.timer = setTimeout(() => void run(), intervalMs);
    };
    this.timer = setTimeout(() => void run(), 1000);
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
