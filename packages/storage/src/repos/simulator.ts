import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { SimAccountsTable, SimEventsTable, SimVehiclesTable } from '../tables/simulator.js';

export type SimAccountRow = Selectable<SimAccountsTable>;
export type SimVehicleRow = Selectable<SimVehiclesTable>;
export type SimEventRow = Selectable<SimEventsTable>;

/**
 * Rows of the simulator. Every method takes the executor so callers can run it inside their own
 * transaction (state update + outbox rows commit together).
 */
export const SimulatorRepo = {
  getAccount(db: Kysely<Database>, id: string): Promise<SimAccountRow | undefined> {
    return db.selectFrom('sim_accounts').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Every account of an OEM login (make, lower-case e-mail, mode), in every app, newest first. */
  accountsByLogin(db: Kysely<Database>, make: string, email: string, mode: string): Promise<SimAccountRow[]> {
    return db.selectFrom('sim_accounts').selectAll().where('make', '=', make).where('email', '=', email).where('mode', '=', mode)
      .orderBy('created_at', 'desc').orderBy('id').execute();
  },

  /** Inserts the account unless it exists; true when this call created it. */
  async insertAccount(db: Kysely<Database>, row: SimAccountRow): Promise<boolean> {
    const r = await db.insertInto('sim_accounts').values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  },

  /** Stores the password hash of an account that has none yet (accounts created before hashes were kept). */
  async adoptPasswordHash(db: Kysely<Database>, id: string, hash: string): Promise<void> {
    await db.updateTable('sim_accounts').set({ password_hash: hash }).where('id', '=', id).where('password_hash', 'is', null).execute();
  },

  async insertVehicles(db: Kysely<Database>, rows: SimVehicleRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 100) await db.insertInto('sim_vehicles').values(rows.slice(i, i + 100)).execute();
  },

  getVehicle(db: Kysely<Database>, id: string): Promise<SimVehicleRow | undefined> {
    return db.selectFrom('sim_vehicles').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async getVehicles(db: Kysely<Database>, ids: readonly string[]): Promise<SimVehicleRow[]> {
    if (ids.length === 0) return [];
    const out: SimVehicleRow[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      out.push(...await db.selectFrom('sim_vehicles').selectAll().where('id', 'in', ids.slice(i, i + 500)).execute());
    }
    return out;
  },

  vehiclesOfAccount(db: Kysely<Database>, accountId: string): Promise<SimVehicleRow[]> {
    return db.selectFrom('sim_vehicles').selectAll().where('account_id', '=', accountId).orderBy('created_at').orderBy('id').execute();
  },

  /** Compare-and-set on `version`; false when another process wrote first. */
  async updateVehicle(db: Kysely<Database>, id: string, expectVersion: number, state: string, nextEventAt: number | null, now: number): Promise<boolean> {
    const r = await db.updateTable('sim_vehicles')
      .set({ state, version: expectVersion + 1, next_event_at: nextEventAt, updated_at: now })
      .where('id', '=', id).where('version', '=', expectVersion)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async dueVehicleIds(db: Kysely<Database>, now: number, limit: number): Promise<string[]> {
    const rows = await db.selectFrom('sim_vehicles').select('id')
      .where('next_event_at', 'is not', null).where('next_event_at', '<=', now)
      .orderBy('next_event_at').orderBy('id').limit(limit).execute();
    return rows.map((r) => r.id);
  },

  async insertEvents(db: Kysely<Database>, rows: SimEventRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 1000) await db.insertInto('sim_events').values(rows.slice(i, i + 1000)).onConflict((oc) => oc.doNothing()).execute();
  },
};
