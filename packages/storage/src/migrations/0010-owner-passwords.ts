import type { Kysely } from 'kysely';

/** Simulated OEM accounts keep an scrypt hash of the password they were created with (owner portal, live-mode Connect). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sim_accounts').addColumn('password_hash', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sim_accounts').dropColumn('password_hash').execute();
}
