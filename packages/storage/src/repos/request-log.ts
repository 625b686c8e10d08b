import { type Kysely, type Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { LedgerTable } from '../tables/metering.js';

export type RequestLogRow = Selectable<LedgerTable>;

/** What the request log can be narrowed to; every field optional. */
export interface RequestLogQuery {
  from?: number;
  to?: number;
  /** Matches the request id or the vehicle id exactly. */
  search?: string;
  vehicleId?: string;
  endpoint?: string;
  /** '2xx' | '4xx' | '5xx' or an exact status code. */
  status?: string;
  /** Only rows older than this one (newest first): the previous page's last row. */
  before?: { at: number; requestId: string };
}

/** The developer's request log over the ledger: filtered, searched, paged newest first (keyset paging). */
export class RequestLogRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async page(appId: string, q: RequestLogQuery, limit: number): Promise<RequestLogRow[]> {
    let s = this.db.selectFrom('ledger').selectAll().where('app_id', '=', appId);
    if (q.from !== undefined) s = s.where('at', '>=', q.from);
    if (q.to !== undefined) s = s.where('at', '<', q.to);
    if (q.vehicleId) s = s.where('vehicle_id', '=', q.vehicleId);
    if (q.endpoint) s = s.where('endpoint', '=', q.endpoint);
    if (q.search) { const v = q.search; s = s.where((eb) => eb.or([eb('request_id', '=', v), eb('vehicle_id', '=', v)])); }
    const cls = /^([245])xx$/.exec(q.status ?? '');
    if (cls) s = s.where('status', '>=', Number(cls[1]) * 100).where('status', '<', Number(cls[1]) * 100 + 100);
    else if (/^\d{3}$/.test(q.status ?? '')) s = s.where('status', '=', Number(q.status));
    if (q.before) {
      const b = q.before;
      s = s.where((eb) => eb.or([eb('at', '<', b.at), eb.and([eb('at', '=', b.at), eb('request_id', '>', b.requestId)])]));
    }
    const rows = await s.orderBy('at', 'desc').orderBy('request_id').limit(limit).execute();
    return rows.map((r) => ({ ...r, at: Number(r.at) }));
  }

  async one(appId: string, requestId: string): Promise<RequestLogRow | undefined> {
    const r = await this.db.selectFrom('ledger').selectAll().where('app_id', '=', appId).where('request_id', '=', requestId).executeTakeFirst();
    return r && { ...r, at: Number(r.at) };
  }
}
