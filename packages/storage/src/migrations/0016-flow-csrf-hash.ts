import type { Kysely } from 'kysely';

/**
 * Connect flows keep only the sha256 of their CSRF token (`csrf_hash`): the token itself is derived
 * from the secret in the flow's browser cookie and never stored. Flows in progress held their
 * token in plain text; they are removed (an owner in the middle of Connect starts again).
 */
export async function up(raw: Kysely<unknown>): Promise<void> {
  const db = raw as unknown as Kysely<{ oauth_flows: { id: string } }>;
  await db.deleteFrom('oauth_flows').execute();
  await db.schema.alterTable('oauth_flows').renameColumn('csrf', 'csrf_hash').execute();
}

export async function down(raw: Kysely<unknown>): Promise<void> {
  const db = raw as unknown as Kysely<{ oauth_flows: { id: string } }>;
  await db.deleteFrom('oauth_flows').execute();
  await db.schema.alterTable('oauth_flows').renameColumn('csrf_hash', 'csrf').execute();
}
