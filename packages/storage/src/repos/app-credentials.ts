import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { AppMachineCredentialsTable, AppTokensTable } from '../tables/app-credentials.js';

export type MachineCredentialRow = Selectable<AppMachineCredentialsTable>;
export type AppTokenRow = Selectable<AppTokensTable>;

const num = (v: unknown) => (v === null ? null : Number(v));

/** API v3 machine credentials and application tokens. */
export class AppCredentialsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Adds a machine credential; with `replace`, the app's earlier ones and their tokens are revoked in the same transaction. */
  async addMachineCredential(row: MachineCredentialRow, replace: boolean): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (replace) {
        await trx.updateTable('app_machine_credentials').set({ revoked_at: row.created_at }).where('app_id', '=', row.app_id).where('revoked_at', 'is', null).execute();
        await trx.updateTable('app_tokens').set({ revoked_at: row.created_at }).where('app_id', '=', row.app_id).where('revoked_at', 'is', null).execute();
      }
      await trx.insertInto('app_machine_credentials').values(row).execute();
    });
  }

  /** The unrevoked machine credential with this client id. */
  async activeMachineCredential(clientId: string): Promise<MachineCredentialRow | undefined> {
    const r = await this.db.selectFrom('app_machine_credentials').selectAll().where('client_id', '=', clientId).where('revoked_at', 'is', null).executeTakeFirst();
    return r && { ...r, created_at: Number(r.created_at), revoked_at: null };
  }

  /** Unrevoked machine credentials of an app, newest first. */
  async machineCredentials(appId: string): Promise<MachineCredentialRow[]> {
    const rows = await this.db.selectFrom('app_machine_credentials').selectAll().where('app_id', '=', appId).where('revoked_at', 'is', null).orderBy('created_at', 'desc').execute();
    return rows.map((r) => ({ ...r, created_at: Number(r.created_at), revoked_at: null }));
  }

  async insertAppToken(row: AppTokenRow): Promise<void> {
    await this.db.insertInto('app_tokens').values(row).execute();
  }

  async findAppToken(hash: string): Promise<AppTokenRow | undefined> {
    const r = await this.db.selectFrom('app_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    return r && { ...r, created_at: Number(r.created_at), expires_at: Number(r.expires_at), revoked_at: num(r.revoked_at) };
  }

  /** Revokes every machine credential and application token of an app (app deletion, account termination). */
  async revokeApp(appId: string, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('app_machine_credentials').set({ revoked_at: now }).where('app_id', '=', appId).where('revoked_at', 'is', null).execute();
      await trx.updateTable('app_tokens').set({ revoked_at: now }).where('app_id', '=', appId).where('revoked_at', 'is', null).execute();
    });
  }
}
