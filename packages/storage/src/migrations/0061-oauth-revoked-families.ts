import { sql, type Kysely } from 'kysely';

/**
 * Revocation moves off the token rows. A revoked token family (every token descending from one
 * authorization code) is one row here, and a token is refused when its own row, its family's row
 * or its grant says revoked; revoking a grant or an app marks the grants only. Nothing needs to
 * find a grant's tokens any more, so `oauth_tokens_grant_idx` goes: every refresh rotation used to
 * write its two new tokens' entries at a random place of that index (one page more per rotation
 * written and checkpointed). Token rows revoked before keep their `revoked_at`, which still counts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('oauth_revoked_families')
    .addColumn('family_id', 'text', (c) => c.primaryKey())
    .addColumn('revoked_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.dropIndex('oauth_tokens_grant_idx').execute();
}

/** Back to revocation on the token rows: each revoked family's and revoked grant's tokens are marked again. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('oauth_tokens_grant_idx').on('oauth_tokens').column('grant_id').execute();
  await sql`update oauth_tokens set revoked_at = (select f.revoked_at from oauth_revoked_families f where f.family_id = oauth_tokens.family_id)
    where revoked_at is null and family_id in (select family_id from oauth_revoked_families)`.execute(db);
  await sql`update oauth_tokens set revoked_at = (select g.revoked_at from oauth_grants g where g.id = oauth_tokens.grant_id)
    where revoked_at is null and grant_id in (select id from oauth_grants where revoked_at is not null)`.execute(db);
  await db.schema.dropTable('oauth_revoked_families').execute();
}
