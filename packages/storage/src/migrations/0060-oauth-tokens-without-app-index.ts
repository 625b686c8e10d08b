import type { Kysely } from 'kysely';

/**
 * The app's index on oauth_tokens served one statement only: revoking every token of an app, which
 * now finds them through the app's grants (`oauth_grants_app_user_idx`, then each grant's tokens by
 * `oauth_tokens_grant_idx`). Every token minted (two per refresh rotation) no longer writes an
 * entry into it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('oauth_tokens_app_idx').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('oauth_tokens_app_idx').on('oauth_tokens').column('app_id').execute();
}
