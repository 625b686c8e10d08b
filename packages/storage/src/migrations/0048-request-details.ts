import type { Kysely } from 'kysely';

/**
 * `request_details`: headers and bodies of API requests and their responses (masked, capped),
 * apart from the ledger so the ledger's rows and durability stay as they are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('request_details')
    .addColumn('request_id', 'text', (c) => c.primaryKey())
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
  await db.schema.createIndex('request_details_at_idx').on('request_details').column('at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('request_details').execute();
}
