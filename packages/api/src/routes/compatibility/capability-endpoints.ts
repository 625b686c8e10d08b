import type { Capability } from '@opencar/connectors';
import type { VehicleRoute } from '../../route-spec.js';

export interface PermissionEndpoint { permission: string; endpoint: string; capability: Capability; summary: string }

/** Permission → endpoints it unlocks (with the capability each needs), derived from the route table. */
export function permissionEndpoints(routes: readonly VehicleRoute[]): PermissionEndpoint[] {
  return routes
    .filter((r): r is VehicleRoute & { permission: string; capability: Capability } => Boolean(r.permission && r.capability))
    .map((r) => ({
      permission: r.permission, capability: r.capability, summary: r.summary,
      endpoint: r.method === 'GET' ? (r.path || '/') : `${r.method} ${r.path}`,
    }));
}

/** `read_odometer+read_vin`, `read_odometer%20required:read_vin` → names without `required:`. */
export function scopeList(raw: unknown): string[] {
  return typeof raw === 'string' ? raw.split(/[\s+]+/).filter(Boolean).map((s) => s.replace(/^required:/, '')) : [];
}
