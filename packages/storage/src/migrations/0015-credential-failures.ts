import type { Kysely } from 'kysely';

/**
 * `sign_in_failures` becomes `credential_failures`: the one throttle now counts failed checks of
 * every credential (passwords, client secrets, management and access tokens, authorization codes),
 * one row per failure and key (`<kind>:cred:<id>` or `<kind>:addr:<client address>`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sign_in_failures').renameTo('credential_failures').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('credential_failures').renameTo('sign_in_failures').execute();
}
