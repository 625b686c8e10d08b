import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { AppsTable, DevelopersTable } from '../tables/accounts.js';
import { ConflictError, isUniqueViolation } from '../errors.js';

export type DeveloperRow = Selectable<DevelopersTable>;
export type AppRow = Selectable<AppsTable>;

export interface App {
  id: string;
  developerId: string;
  name: string;
  logoUrl: string | null;
  clientSecretHash: string;
  amtHash: string;
  amtEnc: string;
  redirectUris: string[];
  defaultScope: string[];
  mode: string;
  simLatency: string | null;
  createdAt: number;
  updatedAt: number;
}

export function toApp(r: AppRow): App {
  return {
    id: r.id,
    developerId: r.developer_id,
    name: r.name,
    logoUrl: r.logo_url,
    clientSecretHash: r.client_secret_hash,
    amtHash: r.amt_hash,
    amtEnc: r.amt_enc,
    redirectUris: JSON.parse(r.redirect_uris) as string[],
    defaultScope: JSON.parse(r.default_scope) as string[],
    mode: r.mode,
    simLatency: r.sim_latency,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export type NewApp = Omit<App, 'createdAt' | 'updatedAt'>;
export type AppPatch = Partial<Omit<App, 'id' | 'developerId' | 'createdAt' | 'updatedAt'>>;

/** Developer accounts and applications. Rows marked deleted are invisible to every read. */
export class AccountsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async createDeveloper(row: DeveloperRow): Promise<void> {
    try {
      await this.db.insertInto('developers').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`developer ${row.email} exists`);
      throw err;
    }
  }

  getDeveloper(id: string): Promise<DeveloperRow | undefined> {
    return this.db.selectFrom('developers').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findDeveloperByEmail(email: string): Promise<DeveloperRow | undefined> {
    return this.db.selectFrom('developers').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  }

  async updateDeveloper(id: string, patch: Partial<Omit<DeveloperRow, 'id'>>): Promise<void> {
    await this.db.updateTable('developers').set(patch).where('id', '=', id).execute();
  }

  async createApp(app: NewApp, now: number): Promise<App> {
    const row: AppRow = {
      id: app.id,
      developer_id: app.developerId,
      name: app.name,
      logo_url: app.logoUrl,
      client_secret_hash: app.clientSecretHash,
      amt_hash: app.amtHash,
      amt_enc: app.amtEnc,
      redirect_uris: JSON.stringify(app.redirectUris),
      default_scope: JSON.stringify(app.defaultScope),
      mode: app.mode,
      sim_latency: app.simLatency,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    };
    try {
      await this.db.insertInto('apps').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`app ${app.id} or its management token already exists`);
      throw err;
    }
    return toApp(row);
  }

  async getApp(id: string): Promise<App | undefined> {
    const r = await this.db.selectFrom('apps').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    return r && toApp(r);
  }

  async findAppByAmtHash(amtHash: string): Promise<App | undefined> {
    const r = await this.db.selectFrom('apps').selectAll().where('amt_hash', '=', amtHash).where('deleted_at', 'is', null).executeTakeFirst();
    return r && toApp(r);
  }

  async listApps(developerId: string): Promise<App[]> {
    const rows = await this.db.selectFrom('apps').selectAll()
      .where('developer_id', '=', developerId).where('deleted_at', 'is', null).orderBy('created_at').execute();
    return rows.map(toApp);
  }

  async updateApp(id: string, patch: AppPatch, now: number): Promise<void> {
    const set: Partial<AppRow> = { updated_at: now };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.logoUrl !== undefined) set.logo_url = patch.logoUrl;
    if (patch.clientSecretHash !== undefined) set.client_secret_hash = patch.clientSecretHash;
    if (patch.amtHash !== undefined) set.amt_hash = patch.amtHash;
    if (patch.amtEnc !== undefined) set.amt_enc = patch.amtEnc;
    if (patch.redirectUris !== undefined) set.redirect_uris = JSON.stringify(patch.redirectUris);
    if (patch.defaultScope !== undefined) set.default_scope = JSON.stringify(patch.defaultScope);
    if (patch.mode !== undefined) set.mode = patch.mode;
    if (patch.simLatency !== undefined) set.sim_latency = patch.simLatency;
    await this.db.updateTable('apps').set(set).where('id', '=', id).execute();
  }

  async deleteApp(id: string, now: number): Promise<void> {
    await this.db.updateTable('apps').set({ deleted_at: now, updated_at: now }).where('id', '=', id).execute();
  }
}
