import type { Kysely } from 'kysely';

/**
 * A token family (the tokens descending from one authorization code) always belongs to one grant,
 * so revoking a family finds its tokens through the grant's index (`grant_id`, then `family_id`
 * among that grant's rows). The family's own index is dropped: every refresh rotation inserted two
 * entries into it at a random place, one more page written per rotation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('oauth_tokens_family_idx').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('oauth_tokens_family_idx').on('oauth_tokens').column('family_id').execute();
}
