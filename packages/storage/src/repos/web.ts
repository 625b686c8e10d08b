import { type Kysely, type Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { WebSessionsTable } from '../tables/web.js';
import type { LedgerTable } from '../tables/metering.js';

export type WebSessionRow = Selectable<WebSessionsTable>;
/** developer: dashboard; owner: owner portal; operator: admin page. */
export type SessionKind = 'developer' | 'owner' | 'operator';
type LedgerRow = Selectable<LedgerTable>;

export interface LedgerFilter {
  from?: number;
  to?: number;
  vehicleId?: string;
  endpoint?: string;
  /** '2xx' | '4xx' | '5xx' or an exact status code. */
  status?: string;
}

/**
 * Storage of the two web UIs: sessions (only hashes of session ids) and owner deletions. Read-only
 * queries the request log and owner access log need against the ledger live here too, so that repo
 * stays its owner's. Usage and statements come from the metering package's UsageService.
 */
export class WebRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async createSession(row: WebSessionRow): Promise<void> {
    await this.db.insertInto('web_sessions').values(row).execute();
  }

  /** The live session with this id hash, or undefined when missing or expired at `now`. */
  async findSession(idHash: string, kind: SessionKind, now: number): Promise<WebSessionRow | undefined> {
    return this.db.selectFrom('web_sessions').selectAll()
      .where('id_hash', '=', idHash).where('kind', '=', kind).where('expires_at', '>', now)
      .executeTakeFirst();
  }

  async touchSession(idHash: string, now: number, expiresAt: number): Promise<void> {
    await this.db.updateTable('web_sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id_hash', '=', idHash).execute();
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('web_sessions').where('id_hash', '=', idHash).execute();
  }

  /** Signs a subject out everywhere (termination, password change, owner deletion). */
  async deleteSessionsOf(kind: SessionKind, subjectId: string): Promise<number> {
    const r = await this.db.deleteFrom('web_sessions').where('kind', '=', kind).where('subject_id', '=', subjectId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async deleteExpiredSessions(now: number): Promise<void> {
    await this.db.deleteFrom('web_sessions').where('expires_at', '<=', now).execute();
  }

  /** Records the first deletion time of an owner; later calls keep it (one statement, no read-then-write race). */
  async recordOwnerDeletion(userId: string, now: number): Promise<void> {
    await this.db.insertInto('owner_deletions').values({ user_id: userId, deleted_at: now }).onConflict((oc) => oc.column('user_id').doNothing()).execute();
  }

  async ownerDeletedAt(userId: string): Promise<number | undefined> {
    const r = await this.db.selectFrom('owner_deletions').select('deleted_at').where('user_id', '=', userId).executeTakeFirst();
    return r?.deleted_at;
  }

  // ── Read-only views over the metering and webhook tables (owned by those areas) ──

  /** Request log of an app, newest first. */
  async requestLog(appId: string, f: LedgerFilter, limit: number): Promise<LedgerRow[]> {
    let q = this.db.selectFrom('ledger').selectAll().where('app_id', '=', appId);
    if (f.from !== undefined) q = q.where('at', '>=', f.from);
    if (f.to !== undefined) q = q.where('at', '<', f.to);
    if (f.vehicleId) q = q.where('vehicle_id', '=', f.vehicleId);
    if (f.endpoint) q = q.where('endpoint', '=', f.endpoint);
    const cls = /^([245])xx$/.exec(f.status ?? '');
    if (cls) q = q.where('status', '>=', Number(cls[1]) * 100).where('status', '<', Number(cls[1]) * 100 + 100);
    else if (/^\d{3}$/.test(f.status ?? '')) q = q.where('status', '=', Number(f.status));
    return q.orderBy('at', 'desc').orderBy('request_id').limit(limit).execute();
  }

  async ledgerEndpoints(appId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('ledger').select('endpoint').distinct().where('app_id', '=', appId).orderBy('endpoint').limit(200).execute();
    return rows.map((r) => r.endpoint);
  }

  /** What apps read about an owner's vehicles (owner portal access log), newest first. */
  ownerAccessLog(userId: string, vehicleIds: string[], limit: number): Promise<LedgerRow[]> {
    return this.db.selectFrom('ledger').selectAll()
      .where((eb) => vehicleIds.length ? eb.or([eb('user_id', '=', userId), eb('vehicle_id', 'in', vehicleIds)]) : eb('user_id', '=', userId))
      .orderBy('at', 'desc').limit(limit).execute();
  }
}
