import type SqliteDatabase from 'better-sqlite3';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { LedgerTable, QuotaHoldsTable, StatementsTable } from '../tables/metering.js';
import { LEDGER_COLUMNS, appendLedgerSqlite, committedJournalSeq, counterDeltas, flattenLedgerRows, lastLedgerRequestId } from '../ledger/sqlite-append.mjs';

export type LedgerRow = Selectable<LedgerTable>;
export { LEDGER_COLUMNS, counterDeltas, flattenLedgerRows };
export type StatementRow = Selectable<StatementsTable>;
export type QuotaHold = Selectable<QuotaHoldsTable>;
/** Monthly units per scope ('' = whole app, otherwise a vehicle id). */
export type ScopeUnits = Map<string, number>;

export interface CounterDelta {
  appId: string; month: string; scope: string; units: number;
  /** SQLite: the counter's value right after the commit that applied `units`. */
  total?: number;
}

/** The ledger writer thread's script (plain ESM, see ledger/ledger-worker.mjs). */
export const LEDGER_WORKER_URL = new URL('../ledger/ledger-worker.mjs', import.meta.url);
export interface BucketTake { tokens: number; granted: boolean }
export interface EndpointUsage { endpoint: string; requests: number; units: number }
/** `day`: first millisecond of the UTC day. */
export interface DayUsage { day: number; requests: number; units: number }

const DAY_MS = 86_400_000;

/** Request ledger, monthly counters, shared token buckets and statements. */
export class MeteringRepo {
  /** `sqlite`: the raw better-sqlite3 handle, when available, for the ledger's write path. */
  constructor(private readonly db: Kysely<Database>, private readonly dialect: 'sqlite' | 'postgres', private readonly sqlite?: SqliteDatabase.Database) {}

  /**
   * Writes ledger rows in one transaction and adds their units to the monthly counters; returns
   * the counter deltas applied.
   *
   * Exactly-once differs per engine:
   * - SQLite: `ledger` is time-ordered (INTEGER PRIMARY KEY `seq`, `request_id` a plain column,
   *   migration 0007), so every row is inserted and counted. No unique key is needed because
   *   each request calls `record()` once, a batch is one atomic transaction, and SQLite's
   *   synchronous driver reports the outcome definitively: an error means the transaction rolled
   *   back, so a retried batch can never duplicate. On a SQLite file the rows come from the
   *   ledger journal and `journalSeq` (the batch's highest journal sequence) is stored in
   *   `ledger_meta` in the same transaction: replay after a restart and the one ambiguous case
   *   (a writer thread dying between commit and report) compare against it.
   * - PostgreSQL: a commit outcome can be ambiguous after a dropped connection, so the unique
   *   primary key on request id stays and rows are inserted with ON CONFLICT DO NOTHING; only
   *   rows actually inserted are counted.
   */
  async appendLedger(rows: LedgerRow[], journalSeq?: number): Promise<CounterDelta[]> {
    if (rows.length === 0) return [];
    // On SQLite the batch is written synchronously with prepared statements (no query building);
    // when a Kysely transaction is open on the shared connection, wait for it through Kysely instead.
    if (this.sqlite && !this.sqlite.inTransaction) return appendLedgerSqlite(this.sqlite, rows, journalSeq);
    const sqlite = this.dialect === 'sqlite';
    return this.db.transaction().execute(async (trx) => {
      const inserted = new Set<string>();
      for (let i = 0; i < rows.length; i += 200) {
        const chunk = rows.slice(i, i + 200);
        if (sqlite) { await trx.insertInto('ledger').values(chunk).execute(); continue; }
        const got = await trx.insertInto('ledger').values(chunk).onConflict((oc) => oc.column('request_id').doNothing())
          .returning('request_id').execute();
        for (const r of got) inserted.add(r.request_id);
        // Counted now (or failed): their admission holds end in the same transaction.
        await trx.deleteFrom('quota_holds').where('request_id', 'in', chunk.map((r) => r.request_id)).execute();
      }
      const deltas = counterDeltas(rows, sqlite ? null : (id) => inserted.has(id));
      for (const d of deltas) {
        const r = await trx.insertInto('usage_counters').values({ app_id: d.appId, month: d.month, scope: d.scope, units: d.units })
          .onConflict((oc) => oc.columns(['app_id', 'month', 'scope']).doUpdateSet({ units: sql`usage_counters.units + excluded.units` }))
          .returning('units').executeTakeFirstOrThrow();
        if (sqlite) d.total = Number(r.units);
      }
      if (journalSeq !== undefined) {
        await trx.insertInto('ledger_meta').values({ key: 'journal_seq', value: journalSeq })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql`${sql.raw(sqlite ? 'max' : 'greatest')}(ledger_meta.value, excluded.value)` })).execute();
      }
      return deltas;
    });
  }

  /** SQLite (raw handle required): appendLedger, synchronously on the main connection (journal replay at startup). */
  appendLedgerNow(rows: LedgerRow[], journalSeq?: number): CounterDelta[] {
    if (!this.sqlite) throw new Error('appendLedgerNow needs a SQLite handle');
    return rows.length === 0 ? [] : appendLedgerSqlite(this.sqlite, rows, journalSeq);
  }

  /** SQLite: request id of the last ledger row appended (bounded: the tail of the rowid order). */
  lastLedgerRequestId(): string | undefined {
    return this.sqlite ? lastLedgerRequestId(this.sqlite) : undefined;
  }

  /** SQLite: highest ledger-journal sequence committed to the ledger (0 when none); undefined without a raw handle. */
  committedJournalSeq(): number | undefined {
    return this.sqlite ? committedJournalSeq(this.sqlite) : undefined;
  }

  /**
   * SQLite: the month's counters and the committed journal sequence, read in one snapshot, so a
   * caller can add exactly the journaled entries that are not committed yet.
   */
  countersWithSeq(appId: string, month: string): { rows: { scope: string; units: number }[]; seq: number } | undefined {
    const raw = this.sqlite;
    if (!raw) return undefined;
    if (raw.inTransaction) return { rows: this.countersNow(appId, month)!, seq: committedJournalSeq(raw) };
    return raw.transaction(() => ({ rows: this.countersNow(appId, month)!, seq: committedJournalSeq(raw) })).deferred();
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
  /** A bucket's stored tokens and when they were counted; undefined before its first take. */
  async bucket(key: string): Promise<{ tokens: number; updatedAt: number } | undefined> {
    const r = await this.db.selectFrom('rate_buckets').select(['tokens', 'updated_at']).where('key', '=', key).executeTakeFirst();
    return r && { tokens: Number(r.tokens), updatedAt: Number(r.updated_at) };
  }

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

  /**
   * PostgreSQL: admits a request against the month's quotas as seen by every process. Under a
   * transaction-scoped advisory lock on (app, month) it reads the counters and the unexpired holds
   * of other admitted requests, calls `check(used, held)` (which throws to refuse; nothing is
   * written then) and stores `hold`. Expired holds of the app are removed on the way. Without a
   * hold (no request id) it only checks.
   */
  async holdQuota(appId: string, month: string, now: number, hold: QuotaHold | null, check: (used: ScopeUnits, held: ScopeUnits) => void): Promise<void> {
    if (this.dialect !== 'postgres') throw new Error('holdQuota is for PostgreSQL; SQLite holds quotas in memory');
    await this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`quota|${appId}|${month}`}))`.execute(trx);
      const rows = await sql<{ held: number; scope: string; units: string | number }>`
        select 0 as held, scope, units from usage_counters where app_id = ${appId} and month = ${month}
        union all
        select 1 as held, coalesce(vehicle_id, '') as scope, sum(units) as units from quota_holds
          where app_id = ${appId} and month = ${month} and expires_at > ${now} group by vehicle_id`.execute(trx);
      const used: ScopeUnits = new Map();
      const held: ScopeUnits = new Map();
      for (const r of rows.rows) {
        const units = Number(r.units);
        if (units <= 0) continue;
        if (Number(r.held) === 0) { used.set(r.scope, units); continue; }
        held.set('', (held.get('') ?? 0) + units);
        if (r.scope !== '') held.set(r.scope, (held.get(r.scope) ?? 0) + units);
      }
      check(used, held);
      await trx.deleteFrom('quota_holds').where('app_id', '=', appId).where('expires_at', '<=', now).execute();
      if (hold) {
        await trx.insertInto('quota_holds').values(hold)
          .onConflict((oc) => oc.column('request_id').doUpdateSet({ units: hold.units, expires_at: hold.expires_at, vehicle_id: hold.vehicle_id })).execute();
      }
    });
  }

  async ledgerForMonth(appId: string, month: string): Promise<LedgerRow[]> {
    // Explicit columns: SQLite's `seq` rowid is storage layout, not part of the row.
    return this.db.selectFrom('ledger').select(LEDGER_COLUMNS).where('app_id', '=', appId).where('month', '=', month).orderBy('at').execute();
  }

  /**
   * Whether a request is in the ledger. Pass the app and month on hot or large ledgers: on SQLite
   * `request_id` is not indexed, so the lookup is bounded by the (app_id, month) index.
   */
  async hasLedgerEntry(requestId: string, scope?: { appId: string; month: string }): Promise<boolean> {
    let q = this.db.selectFrom('ledger').select('request_id').where('request_id', '=', requestId);
    if (scope) q = q.where('app_id', '=', scope.appId).where('month', '=', scope.month);
    return (await q.executeTakeFirst()) !== undefined;
  }

  async usageByEndpoint(appId: string, month: string): Promise<EndpointUsage[]> {
    const rows = await this.db.selectFrom('ledger')
      .select((eb) => ['endpoint', eb.fn.countAll<number>().as('requests'), eb.fn.sum<number>('units').as('units')])
      .where('app_id', '=', appId).where('month', '=', month).groupBy('endpoint').orderBy('endpoint').execute();
    return rows.map((r) => ({ endpoint: r.endpoint, requests: Number(r.requests), units: Number(r.units ?? 0) }));
  }

  /** Requests and billable units per UTC day of the billing month (the same rows `usageByEndpoint` groups), oldest first. */
  async usageByDay(appId: string, month: string): Promise<DayUsage[]> {
    const day = sql<number>`(at / ${sql.lit(DAY_MS)})`;
    const rows = await this.db.selectFrom('ledger')
      .select([day.as('day'), (eb) => eb.fn.countAll<number>().as('requests'), (eb) => eb.fn.sum<number>('units').as('units')])
      .where('app_id', '=', appId).where('month', '=', month).groupBy(day).orderBy(day).execute();
    return rows.map((r) => ({ day: Number(r.day) * DAY_MS, requests: Number(r.requests), units: Number(r.units ?? 0) }));
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
