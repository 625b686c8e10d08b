import { SqliteAdapter, sql, type Kysely } from 'kysely';

const COLUMNS = sql.raw(`request_id, app_id, at, method, path, query, request_headers, request_body, request_body_bytes,
  request_body_truncated, response_status, response_headers, response_body, response_body_bytes, response_body_truncated`);

/** request_details with its columns as 0048 made them; `keyed`: request_id the primary key (0048) or a plain column (0059). */
async function createTable(db: Kysely<unknown>, name: string, keyed: boolean): Promise<void> {
  await db.schema.createTable(name)
    .addColumn('request_id', 'text', (c) => (keyed ? c.primaryKey() : c.notNull()))
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('request_headers', 'text', (c) => c.notNull())
    .addColumn('request_body', 'text')
    .addColumn('request_body_bytes', 'integer', (c) => c.notNull())
    .addColumn('request_body_truncated', 'integer', (c) => c.notNull())
    .addColumn('response_status', 'integer', (c) => c.notNull())
    .addColumn('response_headers', 'text', (c) => c.notNull())
    .addColumn('response_body', 'text')
    .addColumn('response_body_bytes', 'integer', (c) => c.notNull())
    .addColumn('response_body_truncated', 'integer', (c) => c.notNull())
    .execute();
}

/**
 * SQLite only: `request_details` keyed by time. 0048 made the random UUIDv4 request id the primary
 * key, so each batch of rows dirtied about one page of that key's index per row and every commit
 * wrote (and each checkpoint copied) that many pages. Now a unique index on (at, request_id) takes
 * its place: rows of a batch land at the end of it, a request id stored twice at the same time is
 * still kept once, purges by age use it, and a lookup that knows the ledger row's time seeks it.
 * PostgreSQL keeps 0048's layout.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await createTable(db, 'request_details_v2', false);
  await sql`insert into request_details_v2 (${COLUMNS}) select ${COLUMNS} from request_details order by at, request_id`.execute(db);
  await db.schema.dropTable('request_details').execute();
  await db.schema.alterTable('request_details_v2').renameTo('request_details').execute();
  await db.schema.createIndex('request_details_at_request_idx').on('request_details').columns(['at', 'request_id']).unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await createTable(db, 'request_details_v1', true);
  await sql`insert or ignore into request_details_v1 (${COLUMNS}) select ${COLUMNS} from request_details order by rowid`.execute(db);
  await db.schema.dropTable('request_details').execute();
  await db.schema.alterTable('request_details_v1').renameTo('request_details').execute();
  await db.schema.createIndex('request_details_at_idx').on('request_details').column('at').execute();
}
