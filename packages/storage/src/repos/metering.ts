import type SqliteDatabase from 'better-sqlite3';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { LedgerTable, StatementsTable } from '../tables/metering.js';

export type LedgerRow = Selectable<LedgerTable>;
export type StatementRow = Selectable<StatementsTable>;

export interface CounterDelta { appId: string; month: string; scope: string; units: number }
export interface BucketTake { tokens: number; granted: boolean }
export interface EndpointUsage { endpoint: string; requests: number; units: number }

const LEDGER_COLUMNS = ['request_id', 'at', 'month', 'app_id', 'vehicle_id', 'user_id', 'endpoint', 'method', 'status', 'latency_ms', 'units', 'woke', 'request_class'] as const;
/** Rows per prepared multi-row INSERT on SQLite (13 parameters each, far below SQLite's limit). */
const SQLITE_CHUNK = 64;

/** Sums units per (app, month, scope): '' for the app, the vehicle id for the vehicle. */
function counterDeltas(rows: LedgerRow[], inserted: ((id: string) => boolean) | null): CounterDelta[] {
  const deltas = new Map<string, CounterDelta>();
  const add = (appId: string, month: string, scope: string, units: number) => {
    const k = `${appId}\u0000${month}\u0000${scope}`;
    const d = deltas.get(k);
    if (d) d.units += units; else deltas.set(k, { appId, month, scope, units });
  };
  for (const r of rows) {
    if (r.units <= 0 || (inserted && !inserted(r.request_id))) continue;
    add(r.app_id, r.month, '', r.units);
    if (r.vehicle_id) add(r.app_id, r.month, r.vehicle_id, r.units);
  }
  return [...deltas.values()];
}

/** Request ledger, monthly counters, shared token buckets and statements. */
export class MeteringRepo {
  private readonly inserts = new Map<number, SqliteDatabase.Statement<unknown[], string>>();
  private bumpCounter: SqliteDatabase.Statement<unknown[]> | null = null;

  /** `sqlite`: the raw better-sqlite3 handle, when available, for the ledger's write path. */
  constructor(private readonly db: Kysely<Database>, private readonly dialect: 'sqlite' | 'postgres', private readonly sqlite?: SqliteDatabase.Database) {}

  /**
   * Writes ledger rows in one transaction (insert-or-ignore on request id) and adds the units of
   * the rows actually inserted to the monthly counters, so a replayed entry never counts twice.
   * Returns the counter deltas that were applied.
   */
  async appendLedger(rows: LedgerRow[]): Promise<CounterDelta[]> {
    if (rows.length === 0) return [];
    // On SQLite the batch is written synchronously with prepared statements (no query building);
    // when a Kysely transaction is open on the shared connection, wait for it through Kysely instead.
    if (this.sqlite && !this.sqlite.inTransaction) return this.appendLedgerSqlite(this.sqlite, rows);
    return this.db.transaction().execute(async (trx) => {
      const inserted = new Set<string>();
      for (let i = 0; i < rows.length; i += 200) {
        const chunk = rows.slice(i, i + 200);
        const got = await trx.insertInto('ledger').values(chunk).onConflict((oc) => oc.column('request_id').doNothing())
          .returning('request_id').execute();
        for (const r of got) inserted.add(r.request_id);
      }
      const deltas = counterDeltas(rows, (id) => inserted.has(id));
      for (const d of deltas) {
        await trx.insertInto('usage_counters').values({ app_id: d.appId, month: d.month, scope: d.scope, units: d.units })
          .onConflict((oc) => oc.columns(['app_id', 'month', 'scope']).doUpdateSet({ units: sql`usage_counters.units + excluded.units` }))
          .execute();
      }
      return deltas;
    });
  }

  /** One synchronous transaction: multi-row INSERT OR IGNORE … RETURNING, then one counter upsert per scope. */
  private appendLedgerSqlite(raw: SqliteDatabase.Database, rows: LedgerRow[]): CounterDelta[] {
    return raw.transaction(() => {
      let inserted: Set<string> | null = null;
      for (let i = 0; i < rows.length; i += SQLITE_CHUNK) {
        const n = Math.min(SQLITE_CHUNK, rows.length - i);
        const params: unknown[] = new Array(n * LEDGER_COLUMNS.length);
        let p = 0;
        for (let j = i; j < i + n; j++) {
          const r = rows[j]!;
          params[p++] = r.request_id; params[p++] = r.at; params[p++] = r.month; params[p++] = r.app_id;
          params[p++] = r.vehicle_id; params[p++] = r.user_id; params[p++] = r.endpoint; params[p++] = r.method;
          params[p++] = r.status; params[p++] = r.latency_ms; params[p++] = r.units; params[p++] = r.woke; params[p++] = r.request_class;
        }
        const got = this.insertStatement(raw, n).all(params);
        if (got.length === n && !inserted) continue; // every row new: the common case
        inserted ??= new Set(rows.slice(0, i).map((r) => r.request_id));
        for (const id of got) inserted.add(id);
      }
      const seen = inserted;
      const deltas = counterDeltas(rows, seen ? (id) => seen.has(id) : null);
      this.bumpCounter ??= raw.prepare('insert into usage_counters (app_id, month, scope, units) values (?, ?, ?, ?) on conflict (app_id, month, scope) do update set units = usage_counters.units + excluded.units');
      for (const d of deltas) this.bumpCounter.run(d.appId, d.month, d.scope, d.units);
      return deltas;
    }).immediate();
  }

  private insertStatement(raw: SqliteDatabase.Database, n: number): SqliteDatabase.Statement<unknown[], string> {
    let st = this.inserts.get(n);
    if (!st) {
      const tuple = `(${LEDGER_COLUMNS.map(() => '?').join(', ')})`;
      st = raw.prepare<unknown[], string>(`insert or ignore into ledger (${LEDGER_COLUMNS.join(', ')}) values ${Array.from({ length: n }, () => tuple).join(', ')} returning request_id`).pluck();
      this.inserts.set(n, st);
    }
    return st;
  }

  async counter(appId: string, month: string, scope: string): Promise<number> {
    const r = await this.db.selectFrom('usage_counters').select('units').where('app_id', '=', appId).where('month', '=', month)
      .where('scope', '=', scope).executeTakeFirst();
    return r ? Number(r.units) : 0;
  }

  /** SQLite: like `counters`, read synchronously through the raw handle; undefined without one. */
  countersNow(appId: string, month: string): { scope: string; units: number }[] | undefined {
    if (!this.sqlite) return undefined;
    const rows = this.sqlite.prepare('select scope, units from usage_counters where app_id = ? and month = ?').all(appId, month) as { scope: string; units: number }[];
    return rows.map((r) => ({ scope: r.scope, units: Number(r.units) }));
  }

  /** App total (scope '') and one row per vehicle with billable use in the month. */
  async counters(appId: string, month: string): Promise<{ scope: string; units: number }[]> {
    const rows = await this.db.selectFrom('usage_counters').select(['scope', 'units']).where('app_id', '=', appId).where('month', '=', month).execute();
    return rows.map((r) => ({ scope: r.scope, units: Number(r.units) }));
  }

  /**
   * Atomically refills (rate tokens/ms, capped) and takes one token when available, in one
   * statement, so several processes sharing the database never hand out the same token twice.
   */
  async takeToken(key: string, capacity: number, ratePerMs: number, now: number): Promise<BucketTake> {
    const least = this.dialect === 'postgres' ? sql.raw('least') : sql.raw('min');
    const greatest = this.dialect === 'postgres' ? sql.raw('greatest') : sql.raw('max');
    // Explicit casts: PostgreSQL would otherwise infer bigint for the fractional parameters.
    const cap = sql`cast(${capacity} as double precision)`;
    const rate = sql`cast(${ratePerMs} as double precision)`;
    const at = sql`cast(${now} as bigint)`;
    const refilled = sql`${least}(${cap}, rate_buckets.tokens + ${greatest}(0, ${at} - rate_buckets.updated_at) * ${rate})`;
    const r = await sql<{ tokens: number; granted: number }>`
      insert into rate_buckets (key, tokens, updated_at, granted) values (${key}, ${cap} - 1, ${at}, 1)
      on conflict (key) do update set
        tokens = case when ${refilled} >= 1 then ${refilled} - 1 else ${refilled} end,
        granted = case when ${refilled} >= 1 then 1 else 0 end,
        updated_at = ${greatest}(rate_buckets.updated_at, ${at})
      returning tokens, granted`.execute(this.db);
    const row = r.rows[0]!;
    return { tokens: Number(row.tokens), granted: Number(row.granted) === 1 };
  }

  async ledgerForMonth(appId: string, month: string): Promise<LedgerRow[]> {
    return this.db.selectFrom('ledger').selectAll().where('app_id', '=', appId).where('month', '=', month).orderBy('at').execute();
  }

  async hasLedgerEntry(requestId: string): Promise<boolean> {
    return (await this.db.selectFrom('ledger').select('request_id').where('request_id', '=', requestId).executeTakeFirst()) !== undefined;
  }

  async usageByEndpoint(appId: string, month: string): Promise<EndpointUsage[]> {
    const rows = await this.db.selectFrom('ledger')
      .select((eb) => ['endpoint', eb.fn.countAll<number>().as('requests'), eb.fn.sum<number>('units').as('units')])
      .where('app_id', '=', appId).where('month', '=', month).groupBy('endpoint').orderBy('endpoint').execute();
    return rows.map((r) => ({ endpoint: r.endpoint, requests: Number(r.requests), units: Number(r.units ?? 0) }));
  }

  /** Distinct vehicles with at least one billable request in the month ("active vehicles", as the plan cap counts them). */
  async activeVehicles(appId: string, month: string): Promise<string[]> {
    const rows = await this.db.selectFrom('ledger').select('vehicle_id').distinct().where('app_id', '=', appId).where('month', '=', month)
      .where('vehicle_id', 'is not', null).where('units', '>', 0).execute();
    return rows.map((r) => r.vehicle_id!).sort();
  }

  /** Apps with ledger entries in a month. */
  async appsWithUsage(month: string): Promise<string[]> {
    const rows = await this.db.selectFrom('ledger').select('app_id').distinct().where('month', '=', month).execute();
    return rows.map((r) => r.app_id);
  }

  /** Months before `month` that have usage but no statement yet, oldest first. */
  async monthsWithoutStatement(before: string): Promise<string[]> {
    const rows = await this.db.selectFrom('ledger as l').select('l.month').distinct().where('l.month', '<', before)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('statements as s').select('s.app_id').whereRef('s.app_id', '=', 'l.app_id').whereRef('s.month', '=', 'l.month'))))
      .orderBy('l.month').execute();
    return rows.map((r) => r.month);
  }

  /** Insert-or-ignore: the first process to close a month writes its statement. */
  async saveStatement(row: StatementRow): Promise<void> {
    await this.db.insertInto('statements').values(row).onConflict((oc) => oc.columns(['app_id', 'month']).doNothing()).execute();
  }

  getStatement(appId: string, month: string): Promise<StatementRow | undefined> {
    return this.db.selectFrom('statements').selectAll().where('app_id', '=', appId).where('month', '=', month).executeTakeFirst();
  }

  listStatements(appId: string): Promise<StatementRow[]> {
    return this.db.selectFrom('statements').selectAll().where('app_id', '=', appId).orderBy('month', 'desc').execute();
  }
}
