import type { AdmitInput } from './contract.js';

export type Feature = NonNullable<AdmitInput['feature']>;
export type PlanName = 'free' | 'payg' | 'enterprise';

/** A token bucket: `capacity` requests, refilled at `refillPerMinute`. */
export interface BucketSpec { capacity: number; refillPerMinute: number }

/** Effective limits of an account; `null` means unlimited. */
export interface PlanLimits {
  plan: PlanName;
  /** Billable requests per app per billing month (BILLING:VEHICLE_REQUEST_LIMIT). */
  requestsPerMonth: number | null;
  /** Billable requests per vehicle per month (BILLING:VEHICLE_REQUEST_LIMIT). */
  vehicleRequestsPerMonth: number | null;
  /** Connected (active) vehicles per app per month (BILLING:VEHICLE_LIMIT). */
  vehicles: number | null;
  /** Price of one billable request, in cents. */
  pricePerRequestCents: number;
  features: ReadonlySet<Feature>;
  /** App-wide bucket (RATE_LIMIT:SMARTCAR_API). */
  appBucket: BucketSpec;
  /** Per-vehicle throttle (RATE_LIMIT:VEHICLE), or none. */
  vehicleBucket: BucketSpec | null;
  /** API v3 signal codes the plan lets an app put into webhooks (as triggers or data signals); null: every signal. */
  webhookSignals: ReadonlySet<string> | null;
}

const ALL_FEATURES: Feature[] = ['batch', 'compatibility', 'event_webhooks', 'single_select'];

/**
 * The signals a Free plan may put into API v3 webhooks: nine signals and three vehicle attributes
 * (Smartcar's Free plan allows that many; the charge, location, diagnostics, HVAC and wheel groups are
 * locked). Operators change it per account with `webhookSignals` in plan_limits.
 */
export const FREE_WEBHOOK_SIGNALS: readonly string[] = [
  'tractionbattery-stateofcharge', 'tractionbattery-range', 'odometer-traveleddistance', 'internalcombustionengine-fuellevel',
  'internalcombustionengine-range', 'closure-islocked', 'connectivitystatus-isonline', 'connectivitystatus-isasleep', 'lowvoltagebattery-stateofcharge',
  'vehicleidentification-vin', 'vehicleidentification-nickname', 'vehicleidentification-trim',
];

/** Reference values: wire-contract §14 (public pricing, app bucket 120 refilling 2 per minute). */
export const PLANS: Record<PlanName, PlanLimits> = {
  free: {
    plan: 'free', requestsPerMonth: 100, vehicleRequestsPerMonth: null, vehicles: 5, pricePerRequestCents: 0,
    features: new Set(), appBucket: { capacity: 120, refillPerMinute: 2 }, vehicleBucket: { capacity: 60, refillPerMinute: 1 },
    webhookSignals: new Set(FREE_WEBHOOK_SIGNALS),
  },
  payg: {
    plan: 'payg', requestsPerMonth: 2000, vehicleRequestsPerMonth: null, vehicles: 20, pricePerRequestCents: 15,
    features: new Set(['batch', 'compatibility', 'event_webhooks', 'single_select']), appBucket: { capacity: 120, refillPerMinute: 2 },
    vehicleBucket: { capacity: 60, refillPerMinute: 1 }, webhookSignals: null,
  },
  // Self-hosted operators are usually "enterprise": no quotas unless plan_limits sets them, and a
  // bucket wide enough for benchmarks while still answering with ratelimit-* headers.
  enterprise: {
    plan: 'enterprise', requestsPerMonth: null, vehicleRequestsPerMonth: null, vehicles: null, pricePerRequestCents: 0,
    features: new Set(ALL_FEATURES), appBucket: { capacity: 100_000, refillPerMinute: 100_000 }, vehicleBucket: null, webhookSignals: null,
  },
};

/** Shape of developers.plan_limits (every key optional; Enterprise overrides). */
export interface PlanOverrides {
  requestsPerMonth?: number | null;
  vehicleRequestsPerMonth?: number | null;
  vehicles?: number | null;
  pricePerRequestCents?: number;
  features?: Feature[];
  appBucket?: BucketSpec;
  vehicleBucket?: BucketSpec | null;
  /** Signal codes allowed in API v3 webhooks; null: every signal. */
  webhookSignals?: string[] | null;
}

/** Limits for a developer row's plan and its JSON overrides. Unknown plans fall back to Free. */
export function resolvePlan(plan: string, planLimits: string | null): PlanLimits {
  const base = PLANS[(plan in PLANS ? plan : 'free') as PlanName];
  if (!planLimits) return base;
  let o: PlanOverrides;
  try { o = JSON.parse(planLimits) as PlanOverrides; } catch { return base; }
  return {
    ...base,
    ...(o.requestsPerMonth !== undefined ? { requestsPerMonth: o.requestsPerMonth } : {}),
    ...(o.vehicleRequestsPerMonth !== undefined ? { vehicleRequestsPerMonth: o.vehicleRequestsPerMonth } : {}),
    ...(o.vehicles !== undefined ? { vehicles: o.vehicles } : {}),
    ...(o.pricePerRequestCents !== undefined ? { pricePerRequestCents: o.pricePerRequestCents } : {}),
    ...(o.features ? { features: new Set(o.features) } : {}),
    ...(o.appBucket ? { appBucket: o.appBucket } : {}),
    ...(o.vehicleBucket !== undefined ? { vehicleBucket: o.vehicleBucket } : {}),
    ...(o.webhookSignals !== undefined ? { webhookSignals: o.webhookSignals === null ? null : new Set(o.webhookSignals) } : {}),
  };
}
