import type { Kysely } from 'kysely';

/**
 * `plan_history`: every plan a developer has been on and from when (the first row is the plan at
 * sign-up or, for older accounts, the plan they had before their first change), so usage is priced
 * per period.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('plan_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('developer_id', 'text', (c) => c.notNull())
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('plan_limits', 'text')
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('plan_history_developer_idx').on('plan_history').columns(['developer_id', 'starts_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('plan_history').execute();
}
