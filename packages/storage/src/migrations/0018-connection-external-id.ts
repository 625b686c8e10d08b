import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';

/** The stable public id of a connection (app × user × vehicle), as API v3 names it. */
export function connectionIdOf(appId: string, userId: string, vehicleId: string): string {
  return `conn_${createHash('sha256').update(`${appId}\n${userId}\n${vehicleId}`).digest('hex').slice(0, 32)}`;
}

/**
 * API v3: each connection gets its public id (`connection_id`, derived from app, user and vehicle,
 * so reconnecting keeps it), and the app's own id for the user (`external_id` of the v3 Connect
 * request) is kept with each connection and grant, so `filter[user.externalId]` finds it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oauth_connections').addColumn('external_id', 'text').execute();
  await db.schema.alterTable('oauth_connections').addColumn('connection_id', 'text').execute();
  await db.schema.alterTable('oauth_grants').addColumn('external_id', 'text').execute();
  const k = db as unknown as Kysely<{ oauth_connections: { app_id: string; user_id: string; vehicle_id: string; connection_id: string | null } }>;
  const rows = await k.selectFrom('oauth_connections').select(['app_id', 'user_id', 'vehicle_id']).execute();
  for (const r of rows) {
    await k.updateTable('oauth_connections').set({ connection_id: connectionIdOf(r.app_id, r.user_id, r.vehicle_id) })
      .where('app_id', '=', r.app_id).where('user_id', '=', r.user_id).where('vehicle_id', '=', r.vehicle_id).execute();
  }
  await db.schema.createIndex('oauth_connections_connection_id_idx').on('oauth_connections').columns(['app_id', 'connection_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('oauth_connections_connection_id_idx').execute();
  await db.schema.alterTable('oauth_grants').dropColumn('external_id').execute();
  await db.schema.alterTable('oauth_connections').dropColumn('connection_id').execute();
  await db.schema.alterTable('oauth_connections').dropColumn('external_id').execute();
}
