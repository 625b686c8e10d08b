import type { Kysely } from 'kysely';

/**
 * API v3: `app_machine_credentials` (client-credentials grant clients, several per app so a
 * rotation can overlap) and `app_tokens` (application tokens, looked up by hash).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('app_machine_credentials')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('app_machine_credentials_app_idx').on('app_machine_credentials').column('app_id').execute();
  await db.schema.createTable('app_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('app_tokens_app_idx').on('app_tokens').column('app_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('app_tokens').execute();
  await db.schema.dropTable('app_machine_credentials').execute();
}
