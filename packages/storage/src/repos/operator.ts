import { sql, type Kysely } from 'kysely';
import type { Database } from '../database.js';
import { toApp, type App, type DeveloperRow } from './accounts.js';

export interface DeveloperSummary extends DeveloperRow { apps: number }

/** What the operator sees at a glance; `since` bounds the per-day figures. */
export interface PlatformCounters {
  developers: number;
  suspendedDevelopers: number;
  apps: number;
  connectedVehicles: number;
  requestsToday: number;
  /** Requests since `since` answered 5xx: the upstream connector or the platform failed. */
  errorsToday: number;
  webhookBacklog: number;
  webhookDeadLetters: number;
}

const n = (v: unknown) => Number(v ?? 0);

/** Cross-account reads and writes for the operator (CLI and admin page); never used by tenant routes. */
export class OperatorRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async listDevelopers(): Promise<DeveloperSummary[]> {
    const rows = await this.db.selectFrom('developers as d')
      .selectAll('d')
      .select((eb) => eb.selectFrom('apps as a').whereRef('a.developer_id', '=', 'd.id').where('a.deleted_at', 'is', null)
        .select(eb.fn.countAll().as('n')).as('apps'))
      .orderBy('d.created_at').orderBy('d.email').execute();
    return rows.map((r) => ({ ...r, apps: n(r.apps) }));
  }

  /** Apps of every developer, or of one; deleted apps are left out. */
  async listApps(developerId?: string): Promise<App[]> {
    let q = this.db.selectFrom('apps').selectAll().where('deleted_at', 'is', null);
    if (developerId) q = q.where('developer_id', '=', developerId);
    return (await q.orderBy('created_at').orderBy('id').execute()).map(toApp);
  }

  async connectedVehicles(appId: string): Promise<number> {
    const r = await this.db.selectFrom('oauth_connections').where('app_id', '=', appId)
      .select(sql<number>`count(distinct vehicle_id)`.as('n')).executeTakeFirst();
    return n(r?.n);
  }

  async counters(since: number): Promise<PlatformCounters> {
    const one = async <T>(q: Promise<T | undefined>, key: keyof T) => n((await q)?.[key]);
    const [developers, suspendedDevelopers, apps, connectedVehicles, requestsToday, errorsToday, webhookBacklog, webhookDeadLetters] = await Promise.all([
      one(this.db.selectFrom('developers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(), 'n'),
      one(this.db.selectFrom('developers').where('status', '=', 'suspended').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(), 'n'),
      one(this.db.selectFrom('apps').where('deleted_at', 'is', null).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(), 'n'),
      one(this.db.selectFrom('oauth_connections').select(sql<number>`count(distinct app_id || ':' || vehicle_id)`.as('n')).executeTakeFirst(), 'n'),
      one(this.db.selectFrom('ledger').where('at', '>=', since).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(), 'n'),
      one(this.db.selectFrom('ledger').where('at', '>=', since).where('status', '>=', 500).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(), 'n'),
      one(this.db.selectFrom('webhook_deliveries').where('status', '=', 'pending').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(), 'n'),
      one(this.db.selectFrom('webhook_deliveries').where('status', '=', 'dead').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(), 'n'),
    ]);
    return { developers, suspendedDevelopers, apps, connectedVehicles, requestsToday, errorsToday, webhookBacklog, webhookDeadLetters };
  }
}
