import { sql, type Kysely } from 'kysely';

/**
 * Simulated and test OEM accounts belong to the app that created them (`app_id`): the same e-mail
 * in two apps is two accounts. Accounts stored before are given the app of their earliest grant;
 * an account no app ever connected keeps no app and is reached only from the owner portal.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sim_accounts').addColumn('app_id', 'text').execute();
  await sql`update sim_accounts set app_id = (
    select g.app_id from oauth_grants g where g.user_id = sim_accounts.id order by g.created_at, g.id limit 1
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sim_accounts').dropColumn('app_id').execute();
}
