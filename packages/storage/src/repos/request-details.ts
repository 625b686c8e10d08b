import { SqliteAdapter, type Kysely, type Selectable } from 'kysely';
import type SqliteDatabase from 'better-sqlite3';
import type { Database } from '../database.js';
import type { RequestDetailsTable } from '../tables/request-details.js';
import { onSqlite } from '../sqlite-direct.js';
import { flattenDetailRows } from '../ledger/sqlite-details.mjs';

export type RequestDetailRow = Selectable<RequestDetailsTable>;
export { flattenDetailRows };
// Masking of request detail and its raw crossing to the ledger writer thread, which masks there.
export * from '../ledger/request-detail-mask.mjs';
export { completeDetailColumns, detailRowOf, pushRawDetail, type RawRequestDetail } from '../ledger/request-detail-columns.mjs';

/** How far from its ledger row's time a lookup looks for a request's detail. */
const NEAR_MS = 1000;

/** Headers and bodies of logged requests: written in batches, read one at a time, purged by age. */
export class RequestDetailsRepo {
  private insertAll: SqliteDatabase.Transaction<(rows: RequestDetailRow[]) => void> | undefined;

  /** With the storage's SQLite handle, batches are written through one statement prepared once. */
  /** Without the handle on SQLite, the query builder's conflict target is migration 0059's key. */
  private readonly conflictTarget: readonly ['at', 'request_id'] | readonly ['request_id'];

  constructor(private readonly db: Kysely<Database>, private readonly sqlite?: SqliteDatabase.Database) {
    this.conflictTarget = db.getExecutor().adapter instanceof SqliteAdapter ? ['at', 'request_id'] : ['request_id'];
  }

  /**
   * Inserts a batch all or nothing; a request id already stored (on SQLite: at the same time, see
   * migration 0059) is left as it is. On SQLite, one prepared row insert repeated in one IMMEDIATE
   * transaction on the storage's connection (`onSqlite`: never inside another caller's open
   * transaction); elsewhere one multi-row statement.
   */
  async insertMany(rows: RequestDetailRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.sqlite) {
      const insertAll = this.insertAll ??= this.prepareInsert(this.sqlite);
      await onSqlite(this.db, this.sqlite, () => insertAll.immediate(rows));
      return;
    }
    await this.db.insertInto('request_details').values(rows).onConflict((oc) => oc.columns(this.conflictTarget).doNothing()).execute();
  }

  private prepareInsert(raw: SqliteDatabase.Database): SqliteDatabase.Transaction<(rows: RequestDetailRow[]) => void> {
    const insert = raw.prepare(`insert into request_details (request_id, app_id, at, method, path, query, request_headers, request_body, request_body_bytes,
      request_body_truncated, response_status, response_headers, response_body, response_body_bytes, response_body_truncated)
      values (@request_id, @app_id, @at, @method, @path, @query, @request_headers, @request_body, @request_body_bytes,
      @request_body_truncated, @response_status, @response_headers, @response_body, @response_body_bytes, @response_body_truncated)
      on conflict (at, request_id) do nothing`);
    return raw.transaction((rows: RequestDetailRow[]) => { for (const r of rows) insert.run(r); });
  }

  /**
   * The detail of one request. `near`: the time of its ledger row, which the detail shares; the
   * lookup then seeks the (at, request_id) index within a second of it instead of reading the table.
   */
  async one(appId: string, requestId: string, near?: number): Promise<RequestDetailRow | undefined> {
    let q = this.db.selectFrom('request_details').selectAll().where('app_id', '=', appId).where('request_id', '=', requestId);
    if (near !== undefined) q = q.where('at', '>=', near - NEAR_MS).where('at', '<=', near + NEAR_MS);
    const r = await q.executeTakeFirst();
    return r && { ...r, at: Number(r.at) };
  }

  /** Deletes the detail of requests made before `cutoff`; resolves to how many rows went. */
  async purgeBefore(cutoff: number): Promise<number> {
    const r = await this.db.deleteFrom('request_details').where('at', '<', cutoff).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
