import { hashPassword, randomToken } from '@opencar/core';
import { AccountsRepo, OperatorRepo, WebRepo, type DeveloperRow } from '@opencar/storage';
import { PLANS, resolvePlan, type PlanName, type PlanOverrides } from '@opencar/metering';
import type { OperationsContext } from './context.js';
import { OperationError } from './operation-error.js';
import { appView, type AppView } from './apps.js';

export interface DeveloperView {
  id: string;
  email: string;
  name: string;
  plan: string;
  status: string;
  /** The operator's overrides of the plan's limits (JSON object), or null. */
  planLimits: PlanOverrides | null;
  createdAt: string;
  apps: number;
}

export interface DeveloperDetail extends DeveloperView {
  /** The limits that apply: the plan's, with the overrides. null = unlimited. */
  effectiveLimits: {
    requestsPerMonth: number | null; vehicleRequestsPerMonth: number | null; vehicles: number | null;
    pricePerRequestCents: number; features: string[];
    appBucket: { capacity: number; refillPerMinute: number }; vehicleBucket: { capacity: number; refillPerMinute: number } | null;
  };
  appList: AppView[];
}

export const PLAN_NAMES = Object.keys(PLANS) as PlanName[];
const FEATURES = ['batch', 'compatibility', 'event_webhooks', 'single_select'];

function view(d: DeveloperRow, apps: number): DeveloperView {
  return {
    id: d.id, email: d.email, name: d.name, plan: d.plan, status: d.status,
    planLimits: d.plan_limits ? JSON.parse(d.plan_limits) as PlanOverrides : null,
    createdAt: new Date(d.created_at).toISOString(), apps,
  };
}

/** The developer named by id or e-mail. */
export async function findDeveloper(ctx: OperationsContext, ref: string): Promise<DeveloperRow> {
  const repo = new AccountsRepo(ctx.storage.db);
  const found = (await repo.getDeveloper(ref)) ?? (await repo.findDeveloperByEmail(ref.trim()));
  if (!found) throw new OperationError('not_found', `no developer with id or e-mail "${ref}"`);
  return found;
}

export async function listDevelopers(ctx: OperationsContext): Promise<DeveloperView[]> {
  return (await new OperatorRepo(ctx.storage.db).listDevelopers()).map((d) => view(d, d.apps));
}

export async function showDeveloper(ctx: OperationsContext, ref: string): Promise<DeveloperDetail> {
  const d = await findDeveloper(ctx, ref);
  const operator = new OperatorRepo(ctx.storage.db);
  const apps = await operator.listApps(d.id);
  const limits = resolvePlan(d.plan, d.plan_limits);
  const appList = await Promise.all(apps.map(async (a) => appView(a, d, await operator.connectedVehicles(a.id))));
  return {
    ...view(d, apps.length),
    effectiveLimits: {
      requestsPerMonth: limits.requestsPerMonth, vehicleRequestsPerMonth: limits.vehicleRequestsPerMonth, vehicles: limits.vehicles,
      pricePerRequestCents: limits.pricePerRequestCents, features: [...limits.features].sort(),
      appBucket: limits.appBucket, vehicleBucket: limits.vehicleBucket,
    },
    appList,
  };
}

export async function setPlan(ctx: OperationsContext, ref: string, plan: string): Promise<DeveloperView> {
  if (!(PLAN_NAMES as string[]).includes(plan)) throw new OperationError('invalid', `plan must be one of ${PLAN_NAMES.join(', ')}, got "${plan}"`);
  const d = await writable(ctx, ref);
  await new AccountsRepo(ctx.storage.db).updateDeveloper(d.id, { plan });
  ctx.invalidatePlans();
  return reread(ctx, d.id);
}

/**
 * Merges limit overrides into the developer's (a null value means unlimited, `clear` drops every
 * override first). Values are checked here so a typo never reaches billing.
 */
export async function setLimits(ctx: OperationsContext, ref: string, changes: Record<string, unknown>, clear = false): Promise<DeveloperView> {
  const d = await writable(ctx, ref);
  const current: Record<string, unknown> = !clear && d.plan_limits ? JSON.parse(d.plan_limits) as Record<string, unknown> : {};
  const next = { ...current, ...checkOverrides(changes) };
  await new AccountsRepo(ctx.storage.db).updateDeveloper(d.id, { plan_limits: Object.keys(next).length ? JSON.stringify(next) : null });
  ctx.invalidatePlans();
  return reread(ctx, d.id);
}

function checkOverrides(o: Record<string, unknown>): PlanOverrides {
  const out: Record<string, unknown> = {};
  const count = (k: string, v: unknown, nullable: boolean) => {
    if (v === null && nullable) return null;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1e12) throw new OperationError('invalid', `${k} must be a whole number of 0 or more${nullable ? ' or unlimited' : ''}`);
    return v;
  };
  const bucket = (k: string, v: unknown, nullable: boolean) => {
    if (v === null && nullable) return null;
    const b = v as { capacity?: unknown; refillPerMinute?: unknown } | null;
    if (!b || typeof b !== 'object') throw new OperationError('invalid', `${k} must be capacity/refill-per-minute${nullable ? ' or none' : ''}`);
    const capacity = count(`${k} capacity`, b.capacity, false)!;
    const refillPerMinute = count(`${k} refill`, b.refillPerMinute, false)!;
    if (capacity < 1 || refillPerMinute < 1) throw new OperationError('invalid', `${k} capacity and refill must be at least 1`);
    return { capacity, refillPerMinute };
  };
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    switch (k) {
      case 'requestsPerMonth': case 'vehicleRequestsPerMonth': case 'vehicles': out[k] = count(k, v, true); break;
      case 'pricePerRequestCents': out[k] = count(k, v, false); break;
      case 'appBucket': out[k] = bucket(k, v, false); break;
      case 'vehicleBucket': out[k] = bucket(k, v, true); break;
      case 'features': {
        if (!Array.isArray(v) || v.some((f) => !FEATURES.includes(f as string))) throw new OperationError('invalid', `features must be a list of ${FEATURES.join(', ')}`);
        out[k] = [...new Set(v as string[])].sort();
        break;
      }
      default: throw new OperationError('invalid', `unknown limit "${k}"`);
    }
  }
  return out as PlanOverrides;
}

/** API requests of a suspended developer's apps are refused with BILLING:ACCOUNT_SUSPENDED. */
export async function suspend(ctx: OperationsContext, ref: string): Promise<DeveloperView> {
  const d = await writable(ctx, ref);
  await new AccountsRepo(ctx.storage.db).updateDeveloper(d.id, { status: 'suspended' });
  ctx.invalidatePlans();
  return reread(ctx, d.id);
}

export async function reinstate(ctx: OperationsContext, ref: string): Promise<DeveloperView> {
  const d = await writable(ctx, ref);
  await new AccountsRepo(ctx.storage.db).updateDeveloper(d.id, { status: 'active' });
  ctx.invalidatePlans();
  return reread(ctx, d.id);
}

/** A new dashboard password (returned once, stored hashed); the developer's dashboard sessions end. */
export async function resetPassword(ctx: OperationsContext, ref: string, password?: string): Promise<{ developer: DeveloperView; password: string; endedSessions: number }> {
  const d = await writable(ctx, ref);
  const next = password ?? randomToken(12);
  if (next.length < 10 || next.length > 200) throw new OperationError('invalid', 'the password must be 10 to 200 characters');
  await new AccountsRepo(ctx.storage.db).updateDeveloper(d.id, { password_hash: await hashPassword(next) });
  const endedSessions = await new WebRepo(ctx.storage.db).deleteSessionsOf('developer', d.id);
  return { developer: await reread(ctx, d.id), password: next, endedSessions };
}

async function writable(ctx: OperationsContext, ref: string): Promise<DeveloperRow> {
  const d = await findDeveloper(ctx, ref);
  if (d.status === 'terminated') throw new OperationError('conflict', `developer ${d.email} terminated the account; it cannot be changed`);
  return d;
}

async function reread(ctx: OperationsContext, id: string): Promise<DeveloperView> {
  const d = (await new AccountsRepo(ctx.storage.db).getDeveloper(id))!;
  return view(d, (await new OperatorRepo(ctx.storage.db).listApps(id)).length);
}
