import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';
import { connectionIdOf } from '../migrations/0018-connection-external-id.js';

export { connectionIdOf };
import type { OAuthCodesTable, OAuthConnectionsTable, OAuthFlowsTable, OAuthGrantsTable, OAuthTokensTable } from '../tables/oauth.js';

export type FlowRow = Selectable<OAuthFlowsTable>;
export type CodeRow = Selectable<OAuthCodesTable>;
export type TokenRow = Selectable<OAuthTokensTable>;
export type ConnectionRow = Selectable<OAuthConnectionsTable>;

export interface Grant {
  id: string;
  appId: string;
  userId: string;
  mode: string;
  permissions: string[];
  vehicleIds: string[];
  createdAt: number;
  revokedAt: number | null;
  externalId: string | null;
}

export interface NewGrant {
  id: string;
  appId: string;
  userId: string;
  mode: string;
  permissions: string[];
  vehicleIds: string[];
  /** The app's own id for the user (v3 Connect `external_id`). */
  externalId?: string | null;
}

/** A token joined with its grant: what access-token verification reads in one indexed lookup. */
export interface TokenWithGrant {
  token: TokenRow;
  grant: Grant;
}

export interface ConnectionQuery {
  userId?: string;
  vehicleId?: string;
  mode?: string;
  /** Any of these modes. */
  modes?: string[];
  externalId?: string;
  /** The public id of one connection (`connectionIdOf`). */
  connectionId?: string;
}

/** The earliest of the revocations that apply to a token (its own, its family's, its grant's), or null. */
export function revokedAt(...times: Array<number | bigint | string | null>): number | null {
  let first: number | null = null;
  for (const t of times) if (t !== null && (first === null || Number(t) < first)) first = Number(t);
  return first;
}

/** The WHERE clause of a connection query, shared by listing, counting and deleting. */
function matches(eb: ExpressionBuilder<Database, 'oauth_connections'>, appId: string, q: ConnectionQuery) {
  const c = [eb('app_id', '=', appId)];
  if (q.userId !== undefined) c.push(eb('user_id', '=', q.userId));
  if (q.vehicleId !== undefined) c.push(eb('vehicle_id', '=', q.vehicleId));
  if (q.mode !== undefined) c.push(eb('mode', '=', q.mode));
  if (q.modes !== undefined) c.push(q.modes.length ? eb('mode', 'in', q.modes) : eb('mode', '=', ''));
  if (q.externalId !== undefined) c.push(eb('external_id', '=', q.externalId));
  if (q.connectionId !== undefined) c.push(eb('connection_id', '=', q.connectionId));
  return eb.and(c);
}

function toGrant(r: Selectable<OAuthGrantsTable>): Grant {
  return {
    id: r.id, appId: r.app_id, userId: r.user_id, mode: r.mode,
    permissions: JSON.parse(r.permissions) as string[], vehicleIds: JSON.parse(r.vehicle_ids) as string[],
    createdAt: Number(r.created_at), revokedAt: r.revoked_at === null ? null : Number(r.revoked_at), externalId: r.external_id ?? null,
  };
}

/** Connect flows, grants, connections, authorization codes and tokens. */
export class OAuthRepo {
  constructor(private readonly db: Kysely<Database>) {}

  // ── Connect flows ──────────────────────────────────────────────────────────
  async createFlow(row: FlowRow): Promise<void> {
    await this.db.insertInto('oauth_flows').values(row).execute();
  }

  getFlow(id: string): Promise<FlowRow | undefined> {
    return this.db.selectFrom('oauth_flows').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async updateFlowData(id: string, data: string): Promise<void> {
    await this.db.updateTable('oauth_flows').set({ data }).where('id', '=', id).execute();
  }

  async deleteFlow(id: string): Promise<void> {
    await this.db.deleteFrom('oauth_flows').where('id', '=', id).execute();
  }

  async deleteExpiredFlows(now: number): Promise<number> {
    const r = await this.db.deleteFrom('oauth_flows').where('expires_at', '<', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  // ── Grants and connections ─────────────────────────────────────────────────
  /** Records a grant and (re)connects each of its vehicles to the app, in one transaction. */
  async createGrant(g: NewGrant, now: number): Promise<Grant> {
    const row = {
      id: g.id, app_id: g.appId, user_id: g.userId, mode: g.mode, permissions: JSON.stringify(g.permissions),
      vehicle_ids: JSON.stringify(g.vehicleIds), created_at: now, revoked_at: null, external_id: g.externalId ?? null,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('oauth_grants').values(row).execute();
      for (const vehicleId of g.vehicleIds) {
        await trx.insertInto('oauth_connections')
          .values({ app_id: g.appId, user_id: g.userId, vehicle_id: vehicleId, grant_id: g.id, mode: g.mode, permissions: row.permissions, connected_at: now, external_id: row.external_id, connection_id: connectionIdOf(g.appId, g.userId, vehicleId) })
          .onConflict((oc) => oc.columns(['app_id', 'user_id', 'vehicle_id']).doUpdateSet({ grant_id: g.id, mode: g.mode, permissions: row.permissions, external_id: row.external_id }))
          .execute();
      }
    });
    return toGrant(row);
  }

  async getGrant(id: string): Promise<Grant | undefined> {
    const r = await this.db.selectFrom('oauth_grants').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toGrant(r);
  }

  /** Unrevoked grants of one owner to one app, newest first. */
  async activeGrants(appId: string, userId: string): Promise<Grant[]> {
    const rows = await this.db.selectFrom('oauth_grants').selectAll()
      .where('app_id', '=', appId).where('user_id', '=', userId).where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc').execute();
    return rows.map(toGrant);
  }

  /** Newest first; keyset paging on (connected_at, user_id, vehicle_id). */
  async listConnections(appId: string, q: ConnectionQuery, limit: number, after?: { connectedAt: number; userId: string; vehicleId: string }): Promise<ConnectionRow[]> {
    let query = this.db.selectFrom('oauth_connections').selectAll().where((eb) => matches(eb, appId, q));
    if (after) {
      const a = after;
      query = query.where((eb) => eb.or([
        eb('connected_at', '<', a.connectedAt),
        eb.and([eb('connected_at', '=', a.connectedAt), eb('user_id', '<', a.userId)]),
        eb.and([eb('connected_at', '=', a.connectedAt), eb('user_id', '=', a.userId), eb('vehicle_id', '<', a.vehicleId)]),
      ]));
    }
    return query.orderBy('connected_at', 'desc').orderBy('user_id', 'desc').orderBy('vehicle_id', 'desc').limit(limit).execute();
  }

  /** Newest first, by offset (v3 page numbers), with the total count of matches. */
  async pageConnections(appId: string, q: ConnectionQuery, offset: number, limit: number): Promise<{ rows: ConnectionRow[]; total: number }> {
    const rows = await this.db.selectFrom('oauth_connections').selectAll().where((eb) => matches(eb, appId, q))
      .orderBy('connected_at', 'desc').orderBy('user_id', 'desc').orderBy('vehicle_id', 'desc').limit(limit).offset(offset).execute();
    const count = await this.db.selectFrom('oauth_connections').select((eb) => eb.fn.countAll().as('n')).where((eb) => matches(eb, appId, q)).executeTakeFirst();
    return { rows, total: Number(count?.n ?? 0) };
  }

  ownerConnections(userId: string): Promise<ConnectionRow[]> {
    return this.db.selectFrom('oauth_connections').selectAll().where('user_id', '=', userId).orderBy('connected_at', 'desc').execute();
  }

  async appVehicleIds(appId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('oauth_connections').select('vehicle_id').distinct().where('app_id', '=', appId).orderBy('vehicle_id').execute();
    return rows.map((r) => r.vehicle_id);
  }

  /**
   * Removes matching connections of an app. Each affected grant loses those vehicles; a grant left
   * without vehicles is revoked, and with it its tokens (a token of a revoked grant is refused).
   * Returns the removed connections.
   */
  async deleteConnections(appId: string, q: ConnectionQuery, now: number): Promise<ConnectionRow[]> {
    return this.db.transaction().execute(async (trx) => {
      const removed = await trx.selectFrom('oauth_connections').selectAll().where((eb) => matches(eb, appId, q)).orderBy('connected_at', 'desc').execute();
      if (removed.length === 0) return removed;
      const byUser = new Map<string, Set<string>>();
      for (const c of removed) {
        await trx.deleteFrom('oauth_connections')
          .where('app_id', '=', appId).where('user_id', '=', c.user_id).where('vehicle_id', '=', c.vehicle_id).execute();
        const set = byUser.get(c.user_id) ?? new Set<string>();
        set.add(c.vehicle_id);
        byUser.set(c.user_id, set);
      }
      for (const [userId, vehicles] of byUser) {
        const grants = await trx.selectFrom('oauth_grants').selectAll()
          .where('app_id', '=', appId).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
        for (const g of grants) {
          const before = JSON.parse(g.vehicle_ids) as string[];
          const after = before.filter((v) => !vehicles.has(v));
          if (after.length === before.length) continue;
          if (after.length === 0) {
            await trx.updateTable('oauth_grants').set({ vehicle_ids: '[]', revoked_at: now }).where('id', '=', g.id).execute();
          } else {
            await trx.updateTable('oauth_grants').set({ vehicle_ids: JSON.stringify(after) }).where('id', '=', g.id).execute();
          }
        }
      }
      return removed;
    });
  }

  /** Revokes every grant (so every token) and connection of an app, and its unused codes. */
  async revokeApp(appId: string, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('oauth_connections').where('app_id', '=', appId).execute();
      await trx.updateTable('oauth_grants').set({ revoked_at: now }).where('app_id', '=', appId).where('revoked_at', 'is', null).execute();
      await trx.updateTable('oauth_codes').set({ used_at: now }).where('app_id', '=', appId).where('used_at', 'is', null).execute();
    });
  }

  // ── Authorization codes ────────────────────────────────────────────────────
  async createCode(row: CodeRow): Promise<void> {
    await this.db.insertInto('oauth_codes').values(row).execute();
  }

  getCodeByHash(hash: string): Promise<CodeRow | undefined> {
    return this.db.selectFrom('oauth_codes').selectAll().where('code_hash', '=', hash).executeTakeFirst();
  }

  /** Marks a code used; true only for the one caller that used it first (single use under concurrency). */
  async consumeCode(id: string, now: number): Promise<boolean> {
    const r = await this.db.updateTable('oauth_codes').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // ── Tokens ─────────────────────────────────────────────────────────────────
  async insertTokens(rows: TokenRow[]): Promise<void> {
    await this.db.insertInto('oauth_tokens').values(rows).execute();
  }

  /**
   * The token with that stored key and its grant. `token.revoked_at` is when the token stopped being
   * usable by a revocation: of the token itself (before migration 0061), of its family, or of its grant.
   */
  async findTokenWithGrant(hash: string): Promise<TokenWithGrant | undefined> {
    const r = await this.db.selectFrom('oauth_tokens as t').innerJoin('oauth_grants as g', 'g.id', 't.grant_id')
      .leftJoin('oauth_revoked_families as f', 'f.family_id', 't.family_id')
      .select([
        't.id', 't.token_hash', 't.kind', 't.grant_id', 't.app_id', 't.family_id', 't.created_at', 't.expires_at', 't.used_at', 't.revoked_at',
        'g.user_id as g_user_id', 'g.mode as g_mode', 'g.permissions as g_permissions', 'g.vehicle_ids as g_vehicle_ids',
        'g.created_at as g_created_at', 'g.revoked_at as g_revoked_at', 'f.revoked_at as f_revoked_at',
      ])
      .where('t.token_hash', '=', hash).executeTakeFirst();
    if (!r) return undefined;
    return {
      token: {
        id: r.id, token_hash: r.token_hash, kind: r.kind, grant_id: r.grant_id, app_id: r.app_id, family_id: r.family_id,
        created_at: Number(r.created_at), expires_at: Number(r.expires_at),
        used_at: r.used_at === null ? null : Number(r.used_at), revoked_at: revokedAt(r.revoked_at, r.f_revoked_at, r.g_revoked_at),
      },
      grant: toGrant({
        id: r.grant_id, app_id: r.app_id, user_id: r.g_user_id, mode: r.g_mode, permissions: r.g_permissions,
        vehicle_ids: r.g_vehicle_ids, created_at: r.g_created_at, revoked_at: r.g_revoked_at, external_id: null,
      }),
    };
  }

  /** Marks a refresh token rotated; true only for the first caller. */
  async markRefreshUsed(id: string, now: number): Promise<boolean> {
    const r = await this.db.updateTable('oauth_tokens').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Revokes every token descending from one authorization code, those minted from now on included:
   * one row for the family. Returns 1, or 0 when the family was revoked already (the first time stands).
   */
  async revokeFamily(familyId: string, now: number): Promise<number> {
    const r = await this.db.insertInto('oauth_revoked_families').values({ family_id: familyId, revoked_at: now })
      .onConflict((oc) => oc.column('family_id').doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0);
  }

  /** Revokes one grant (so all of its tokens), and removes its connections not held by another grant. */
  async revokeGrant(grantId: string, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('oauth_grants').set({ revoked_at: now }).where('id', '=', grantId).where('revoked_at', 'is', null).execute();
      await trx.deleteFrom('oauth_connections').where('grant_id', '=', grantId).execute();
    });
  }
}
