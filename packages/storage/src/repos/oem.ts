import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { OemAccountsTable, OemKeysTable, OemTokensTable, OemVehiclesTable } from '../tables/oem.js';

export type OemAccountRow = Selectable<OemAccountsTable>;
export type OemTokenRow = Selectable<OemTokensTable>;
export type OemVehicleRow = Selectable<OemVehiclesTable>;
export type OemKeyRow = Selectable<OemKeysTable>;

export interface SealedTokens {
  accessSealed: string;
  refreshSealed: string | null;
  expiresAt: number;
  scopes: string[];
}

export interface NewOemVehicle {
  id: string;
  vin: string;
  oemId: string;
  make: string;
  model: string;
  year: number;
  displayName: string | null;
}

/** Storage of real OEM accounts, tokens, vehicles, quota counters and keys (migrations 0020–0022). */
export class OemRepo {
  constructor(private readonly db: Kysely<Database>) {}

  // ---- accounts

  /** Creates the account of (connector, subject) or updates its region and base; returns the stored row. */
  async upsertAccount(a: { id: string; connector: string; subject: string; region: string; baseUrl: string; now: number }): Promise<OemAccountRow> {
    await this.db.insertInto('oem_accounts')
      .values({ id: a.id, connector: a.connector, subject: a.subject, region: a.region, base_url: a.baseUrl, created_at: a.now, updated_at: a.now })
      .onConflict((oc) => oc.columns(['connector', 'subject']).doUpdateSet({ region: a.region, base_url: a.baseUrl, updated_at: a.now }))
      .execute();
    return (await this.db.selectFrom('oem_accounts').selectAll().where('connector', '=', a.connector).where('subject', '=', a.subject).executeTakeFirst())!;
  }

  account(id: string): Promise<OemAccountRow | undefined> {
    return this.db.selectFrom('oem_accounts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async setBase(id: string, region: string, baseUrl: string, now: number): Promise<void> {
    await this.db.updateTable('oem_accounts').set({ region, base_url: baseUrl, updated_at: now }).where('id', '=', id).execute();
  }

  // ---- tokens

  /** Stores a new token family for (account, app) after a sign-in, replacing any earlier one. */
  async putTokens(accountId: string, appId: string, t: SealedTokens, now: number): Promise<void> {
    const values = {
      access_sealed: t.accessSealed, refresh_sealed: t.refreshSealed, expires_at: t.expiresAt, scopes: JSON.stringify(t.scopes),
      lease_until: null, status: 'active', updated_at: now,
    };
    await this.db.insertInto('oem_tokens').values({ account_id: accountId, app_id: appId, version: 1, ...values })
      .onConflict((oc) => oc.columns(['account_id', 'app_id']).doUpdateSet({ ...values, version: sql<number>`oem_tokens.version + 1` }))
      .execute();
  }

  tokens(accountId: string, appId: string): Promise<OemTokenRow | undefined> {
    return this.db.selectFrom('oem_tokens').selectAll().where('account_id', '=', accountId).where('app_id', '=', appId).executeTakeFirst();
  }

  /** Apps holding tokens for the account. */
  async tokenApps(accountId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('oem_tokens').select('app_id').where('account_id', '=', accountId).execute();
    return rows.map((r) => r.app_id);
  }

  /** Takes the refresh lease of `version` when nobody holds it; false when another process refreshes or the version moved on. */
  async claimRefresh(accountId: string, appId: string, version: number, now: number, leaseUntil: number): Promise<boolean> {
    const r = await this.db.updateTable('oem_tokens').set({ lease_until: leaseUntil })
      .where('account_id', '=', accountId).where('app_id', '=', appId).where('version', '=', version).where('status', '=', 'active')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Stores a rotation over `version` (one writer wins); false when the version moved on. */
  async storeRotation(accountId: string, appId: string, version: number, t: SealedTokens, now: number): Promise<boolean> {
    const r = await this.db.updateTable('oem_tokens').set({
      access_sealed: t.accessSealed, refresh_sealed: t.refreshSealed, expires_at: t.expiresAt, scopes: JSON.stringify(t.scopes),
      version: version + 1, lease_until: null, updated_at: now,
    }).where('account_id', '=', accountId).where('app_id', '=', appId).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async releaseLease(accountId: string, appId: string, version: number): Promise<void> {
    await this.db.updateTable('oem_tokens').set({ lease_until: null })
      .where('account_id', '=', accountId).where('app_id', '=', appId).where('version', '=', version).execute();
  }

  /** The OEM refused the refresh token: the family is dead until the owner signs in again. */
  async markFailed(accountId: string, appId: string, version: number, now: number): Promise<void> {
    await this.db.updateTable('oem_tokens').set({ status: 'failed', lease_until: null, updated_at: now })
      .where('account_id', '=', accountId).where('app_id', '=', appId).where('version', '=', version).execute();
  }

  async deleteTokens(accountId: string, appId: string): Promise<void> {
    await this.db.deleteFrom('oem_tokens').where('account_id', '=', accountId).where('app_id', '=', appId).execute();
  }

  /** Deletes every token family an app holds (the app was deleted); returns the accounts concerned. */
  async deleteAppTokens(appId: string): Promise<string[]> {
    const rows = await this.db.deleteFrom('oem_tokens').where('app_id', '=', appId).returning('account_id').execute();
    return [...new Set(rows.map((r) => r.account_id))];
  }

  // ---- vehicles

  /** Stores the vehicles found in an account (ids stay stable; names and models follow the OEM). */
  async upsertVehicles(accountId: string, connector: string, vehicles: NewOemVehicle[], now: number): Promise<void> {
    for (const v of vehicles) {
      await this.db.insertInto('oem_vehicles').values({
        id: v.id, account_id: accountId, connector, vin: v.vin, oem_id: v.oemId, make: v.make, model: v.model, year: v.year,
        display_name: v.displayName, snapshot: null, snapshot_at: null, created_at: now,
      }).onConflict((oc) => oc.columns(['account_id', 'vin']).doUpdateSet({ oem_id: v.oemId, model: v.model, year: v.year, display_name: v.displayName }))
        .execute();
    }
  }

  vehicle(id: string): Promise<OemVehicleRow | undefined> {
    return this.db.selectFrom('oem_vehicles').selectAll().where('id', '=', id).executeTakeFirst();
  }

  vehiclesOf(accountId: string): Promise<OemVehicleRow[]> {
    return this.db.selectFrom('oem_vehicles').selectAll().where('account_id', '=', accountId).orderBy('vin').execute();
  }

  async saveSnapshot(id: string, snapshot: string, at: number): Promise<void> {
    await this.db.updateTable('oem_vehicles').set({ snapshot, snapshot_at: at }).where('id', '=', id).execute();
  }

  // ---- quota

  /** Adds `delta` to a counter whose window ends at `until`; returns the new value. */
  async addUsage(key: string, delta: number, until: number): Promise<number> {
    const r = await sql<{ used: number }>`
      insert into oem_quota (key, used, until) values (${key}, ${delta}, ${until})
      on conflict (key) do update set used = oem_quota.used + ${delta}
      returning used`.execute(this.db);
    return Number(r.rows[0]!.used);
  }

  async usage(key: string): Promise<number> {
    const row = await this.db.selectFrom('oem_quota').select('used').where('key', '=', key).executeTakeFirst();
    return row ? Number(row.used) : 0;
  }

  /** Records a lock-out until `until` (the later of the stored and the new one). */
  async lockOut(key: string, until: number): Promise<void> {
    await sql`insert into oem_quota (key, used, until) values (${key}, 0, ${until})
      on conflict (key) do update set until = case when oem_quota.until > ${until} then oem_quota.until else ${until} end`.execute(this.db);
  }

  /** End of the lock-out of `key`, when one is active at `now`. */
  async lockedUntil(key: string, now: number): Promise<number | undefined> {
    const row = await this.db.selectFrom('oem_quota').select('until').where('key', '=', key).where('until', '>', now).executeTakeFirst();
    return row ? Number(row.until) : undefined;
  }

  /** Deletes counters and lock-outs whose window ended. */
  async pruneQuota(now: number): Promise<void> {
    await this.db.deleteFrom('oem_quota').where('until', '<=', now).execute();
  }

  // ---- keys and partner registration

  key(connector: string): Promise<OemKeyRow | undefined> {
    return this.db.selectFrom('oem_keys').selectAll().where('connector', '=', connector).executeTakeFirst();
  }

  async putKey(connector: string, publicPem: string, privateSealed: string, now: number): Promise<void> {
    await this.db.insertInto('oem_keys').values({ connector, public_pem: publicPem, private_sealed: privateSealed, created_at: now })
      .onConflict((oc) => oc.column('connector').doUpdateSet({ public_pem: publicPem, private_sealed: privateSealed, created_at: now }))
      .execute();
  }

  async markRegistered(connector: string, region: string, domain: string, now: number): Promise<void> {
    await this.db.insertInto('oem_partner_regions').values({ connector, region, domain, registered_at: now })
      .onConflict((oc) => oc.columns(['connector', 'region']).doUpdateSet({ domain, registered_at: now }))
      .execute();
  }

  registeredRegions(connector: string): Promise<{ region: string; domain: string; registered_at: number }[]> {
    return this.db.selectFrom('oem_partner_regions').select(['region', 'domain', 'registered_at']).where('connector', '=', connector).orderBy('region').execute();
  }
}
