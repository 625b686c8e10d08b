import type { Kysely } from 'kysely';

/**
 * `webhook_deliveries.test`: 1 for a test event a developer sent from the dashboard (delivered once,
 * shown as "test" in the delivery log, never metered), 0 for every real delivery.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhook_deliveries').addColumn('test', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhook_deliveries').dropColumn('test').execute();
}
