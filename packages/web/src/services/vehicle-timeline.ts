import type { Storage } from '@opencar/storage';

/** One thing that happened to a vehicle, as the simulator console's timeline shows it. */
export type TimelineEntry =
  | { kind: 'request'; at: number; method: string; endpoint: string; status: number; woke: boolean }
  | { kind: 'charging'; at: number; event: string }
  | { kind: 'webhook'; at: number; event: string; status: string; httpStatus: number | null; attempts: number };

/**
 * What happened to one of an app's vehicles, newest first: the app's requests (reads, commands,
 * wakes, errors) from the request log, the vehicle's charging events, and the webhook deliveries
 * they caused. Each source is capped at `limit` before merging.
 */
export async function vehicleTimeline(storage: Storage, appId: string, vehicleId: string, limit = 30): Promise<TimelineEntry[]> {
  const db = storage.db;
  const [requests, charging, deliveries] = await Promise.all([
    db.selectFrom('ledger').select(['at', 'method', 'endpoint', 'status', 'woke'])
      .where('app_id', '=', appId).where('vehicle_id', '=', vehicleId).orderBy('at', 'desc').limit(limit).execute(),
    db.selectFrom('sim_events').select(['created_at', 'event_type'])
      .where('vehicle_id', '=', vehicleId).orderBy('created_at', 'desc').limit(limit).execute(),
    db.selectFrom('webhook_deliveries').select(['created_at', 'event_name', 'status', 'last_status', 'attempts'])
      .where('app_id', '=', appId).where('order_key', '=', vehicleId).orderBy('created_at', 'desc').limit(limit).execute(),
  ]);
  const out: TimelineEntry[] = [
    ...requests.map((r) => ({ kind: 'request' as const, at: Number(r.at), method: r.method, endpoint: r.endpoint, status: Number(r.status), woke: Number(r.woke) === 1 })),
    ...charging.map((r) => ({ kind: 'charging' as const, at: Number(r.created_at), event: r.event_type })),
    ...deliveries.map((r) => ({ kind: 'webhook' as const, at: Number(r.created_at), event: r.event_name, status: r.status, httpStatus: r.last_status === null ? null : Number(r.last_status), attempts: Number(r.attempts) })),
  ];
  return out.sort((a, b) => b.at - a.at).slice(0, limit);
}
