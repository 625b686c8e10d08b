import { sql, type Kysely } from 'kysely';

const BATCH = 500;

/** The columns this migration touches, as they are at this point of the schema's history. */
interface Tables {
  sim_accounts: { id: string; mode: string };
  sim_vehicles: { id: string; account_id: string; state: string; version: number };
  oauth_grants: { user_id: string; mode: string };
  oauth_connections: { vehicle_id: string; mode: string };
  apps: { mode: string };
}

/**
 * `live` now means real vehicles through real OEM connectors only. Before, the simulator served
 * live mode too, so every stored `live` row of the simulator is really `simulated`: its accounts,
 * their vehicles (the mode inside the state JSON), the grants of those accounts and the connections
 * to those vehicles. Apps whose default mode was `live` (it never reached a real car) become
 * `simulated` as well, so Connect requests without a `mode` keep reaching the same vehicles.
 *
 * The login index stops being unique: an owner who had both a live and a simulated account of a
 * brand keeps both (each keeps its id, vehicles and grants).
 */
export async function up(raw: Kysely<unknown>): Promise<void> {
  const db = raw as unknown as Kysely<Tables>;
  await db.schema.dropIndex('sim_accounts_login_idx').execute();
  await db.schema.createIndex('sim_accounts_login_idx').on('sim_accounts').columns(['make', 'email', 'mode']).execute();

  const liveAccounts = db.selectFrom('sim_accounts').select('id').where('mode', '=', 'live');
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('sim_vehicles').select(['id', 'state'])
      .where('account_id', 'in', liveAccounts).where('id', '>', after)
      .orderBy('id').limit(BATCH).execute();
    for (const r of rows) {
      const state = JSON.parse(r.state) as { mode?: string };
      state.mode = 'simulated';
      await db.updateTable('sim_vehicles').set({ state: JSON.stringify(state), version: sql`version + 1` }).where('id', '=', r.id).execute();
    }
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1]!.id;
  }
  await db.updateTable('oauth_grants').set({ mode: 'simulated' }).where('mode', '=', 'live').where('user_id', 'in', liveAccounts).execute();
  await db.updateTable('oauth_connections').set({ mode: 'simulated' }).where('mode', '=', 'live')
    .where('vehicle_id', 'in', db.selectFrom('sim_vehicles').select('id')).execute();
  await db.updateTable('sim_accounts').set({ mode: 'simulated' }).where('mode', '=', 'live').execute();
  await db.updateTable('apps').set({ mode: 'simulated' }).where('mode', '=', 'live').execute();
}

/** Which rows were live before cannot be told apart any more; only the index comes back (non-unique). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('sim_accounts_login_idx').execute();
  await db.schema.createIndex('sim_accounts_login_idx').on('sim_accounts').columns(['make', 'email', 'mode']).execute();
}
