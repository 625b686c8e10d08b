import type { Kysely } from 'kysely';

/**
 * Scheduled webhooks keep their calendar anchor (monthly runs return to the anchor day after short
 * months); deliveries remember when their current retry window began (manual redelivery restarts it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhooks').addColumn('anchor_at', 'bigint').execute();
  await db.schema.alterTable('webhook_deliveries').addColumn('retry_from', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhook_deliveries').dropColumn('retry_from').execute();
  await db.schema.alterTable('webhooks').dropColumn('anchor_at').execute();
}
