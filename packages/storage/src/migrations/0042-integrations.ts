import type { Kysely } from 'kysely';

/**
 * API v3 integrations live in the webhooks table beside v2 webhooks, told apart by `api_version`
 * ('2.0' for every existing row, '3' for integrations, whose kind is 'integration'). An integration
 * names its triggers and data signals (JSON arrays), an optional separate URL for vehicle errors and
 * whether new connections of the app subscribe by themselves. A subscription remembers the owner it
 * was made for (v3 names a user with each subscription; v2 rows leave it empty).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhooks').addColumn('api_version', 'text', (c) => c.notNull().defaultTo('2.0')).execute();
  await db.schema.alterTable('webhooks').addColumn('triggers', 'text').execute();
  await db.schema.alterTable('webhooks').addColumn('signals', 'text').execute();
  await db.schema.alterTable('webhooks').addColumn('error_url', 'text').execute();
  await db.schema.alterTable('webhooks').addColumn('auto_subscribe', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('webhook_subscriptions').addColumn('user_id', 'text').execute();
  await db.schema.createIndex('webhooks_app_version_idx').on('webhooks').columns(['app_id', 'api_version']).execute();
  await db.schema.createIndex('webhook_subscriptions_app_idx').on('webhook_subscriptions').columns(['app_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('webhook_subscriptions_app_idx').execute();
  await db.schema.dropIndex('webhooks_app_version_idx').execute();
  await db.schema.alterTable('webhook_subscriptions').dropColumn('user_id').execute();
  await db.schema.alterTable('webhooks').dropColumn('auto_subscribe').execute();
  await db.schema.alterTable('webhooks').dropColumn('error_url').execute();
  await db.schema.alterTable('webhooks').dropColumn('signals').execute();
  await db.schema.alterTable('webhooks').dropColumn('triggers').execute();
  await db.schema.alterTable('webhooks').dropColumn('api_version').execute();
}
