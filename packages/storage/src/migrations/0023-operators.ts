import type { Kysely } from 'kysely';

/** Operator accounts of the admin page (/admin): created with the CLI only, never by sign-up. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('operators')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('operators').execute();
}
