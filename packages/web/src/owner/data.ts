import { AccountsRepo, WebRepo, type App } from '@opencar/storage';
import type { Connection } from '@opencar/oauth';
import type { VehicleSummary } from '@opencar/connectors';
import type { WebServices } from '../services.js';
import type { Owner } from './guard.js';

export interface AccessEntry { at: number; appId: string; appName: string; vehicleId: string | null; endpoint: string; status: number; woke: boolean; requestId: string }

export interface OwnerData {
  vehicles: { vehicleId: string; summary: VehicleSummary | undefined; connections: Connection[]; log: AccessEntry[] }[];
  apps: Map<string, App | undefined>;
}

const LOG_LIMIT = 500;

/** Everything the portal shows an owner: vehicles, which apps reach them with which permissions, and the access log. */
export async function loadOwnerData(s: WebServices, o: Owner): Promise<OwnerData> {
  const web = new WebRepo(s.deps.storage.db);
  const accounts = new AccountsRepo(s.deps.storage.db);
  const connections = s.deps.grants ? await s.deps.grants.ownerConnections(o.userId) : [];
  const vehicleIds = [...new Set([...o.data.vehicleIds, ...connections.map((c) => c.vehicleId)])];
  const deletedAt = await web.ownerDeletedAt(o.userId);
  const ledger = (await web.ownerAccessLog(o.userId, vehicleIds, LOG_LIMIT)).filter((r) => deletedAt === undefined || r.at >= deletedAt);
  const appIds = [...new Set([...connections.map((c) => c.appId), ...ledger.map((r) => r.app_id)])];
  const apps = new Map(await Promise.all(appIds.map(async (id) => [id, await accounts.getApp(id)] as const)));
  const log: AccessEntry[] = ledger.map((r) => ({
    at: r.at, appId: r.app_id, appName: apps.get(r.app_id)?.name ?? r.app_id, vehicleId: r.vehicle_id, endpoint: r.endpoint, status: r.status, woke: r.woke === 1, requestId: r.request_id,
  }));
  const vehicles = await Promise.all(vehicleIds.map(async (vehicleId) => ({
    vehicleId,
    summary: await s.deps.backend?.vehicle(vehicleId),
    connections: connections.filter((c) => c.vehicleId === vehicleId),
    log: log.filter((e) => e.vehicleId === vehicleId),
  })));
  return { vehicles, apps };
}

/** The portable export (GDPR / EU Data Act style): account, vehicles, grants and the access log. */
export function exportJson(o: Owner, d: OwnerData, now: number): string {
  return JSON.stringify({
    exportedAt: new Date(now).toISOString(),
    account: { userId: o.userId, make: o.data.make, email: o.data.email, mode: o.data.mode },
    vehicles: d.vehicles.map((v) => ({
      vehicleId: v.vehicleId,
      vin: v.summary?.vin ?? null, make: v.summary?.make ?? null, model: v.summary?.model ?? null, year: v.summary?.year ?? null,
      access: v.connections.map((c) => ({ appId: c.appId, appName: d.apps.get(c.appId)?.name ?? null, permissions: c.permissions, connectedAt: new Date(c.connectedAt).toISOString(), mode: c.mode })),
      accessLog: v.log.map((e) => ({ at: new Date(e.at).toISOString(), appId: e.appId, appName: e.appName, endpoint: e.endpoint, status: e.status, wokeVehicle: e.woke, requestId: e.requestId })),
    })),
  }, null, 2);
}
