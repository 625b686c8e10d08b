import type { Kysely } from 'kysely';

/**
 * `team_members`: logins working in a developer account with a role (owner, developer, viewer). An
 * account holder without a row is the account's owner. `team_invites`: invitations mailed to join an
 * account, single use and expiring, only the sha256 of their token stored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('team_members')
    .addColumn('developer_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('team_members_account_idx').on('team_members').column('account_id').execute();
  await db.schema.createTable('team_invites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('invited_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('team_invites_account_idx').on('team_invites').column('account_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('team_invites').execute();
  await db.schema.dropTable('team_members').execute();
}
