import type { Expression, ExpressionBuilder, Insertable, Kysely, SqlBool } from 'kysely';
import type { Database } from '../database.js';
import type { WebhooksTable } from '../tables/webhooks.js';
import { WebhooksRepo, type WebhookRow } from './webhooks.js';

/** Filters of the integrations list (all optional; strings match exactly). */
export interface IntegrationFilter { name?: string; url?: string; enabled?: boolean; autoSubscribe?: boolean }

/** Filters of the subscriptions list. `mode` 'simulated' also matches opencar's `test` connections. */
export interface SubscriptionFilter { webhookId?: string; vehicleId?: string; userId?: string; mode?: 'live' | 'simulated' }

/** A subscription to an integration with the mode of the connection it serves. */
export interface SubscriptionRow { webhookId: string; vehicleId: string; userId: string; appId: string; createdAt: number; mode: string }

/** An active integration a connected vehicle is subscribed to, with the owner the subscription serves. */
export interface IntegrationSubscription { vehicleId: string; userId: string; webhook: WebhookRow }

type Eb = ExpressionBuilder<Database, 'webhooks'>;

function hookMatches(eb: Eb, appId: string, f: IntegrationFilter): Expression<SqlBool> {
  const c: Expression<SqlBool>[] = [eb('app_id', '=', appId), eb('api_version', '=', '3'), eb('deleted_at', 'is', null)];
  if (f.name !== undefined) c.push(eb('name', '=', f.name));
  if (f.url !== undefined) c.push(eb('url', '=', f.url));
  if (f.enabled !== undefined) c.push(f.enabled ? eb('status', '=', 'active') : eb('status', '!=', 'active'));
  if (f.autoSubscribe !== undefined) c.push(eb('auto_subscribe', '=', f.autoSubscribe ? 1 : 0));
  return eb.and(c);
}

/**
 * API v3 integrations (rows of `webhooks` with api_version '3') and their vehicle subscriptions.
 * A subscription serves one connection (app × owner × vehicle); while that connection is gone it
 * is kept but neither listed nor served. Pass a transaction to write with other state.
 */
export class IntegrationsRepo {
  private readonly hooks: WebhooksRepo;
  constructor(private readonly db: Kysely<Database>) {
    this.hooks = new WebhooksRepo(db);
  }

  async create(row: Insertable<WebhooksTable>): Promise<void> {
    await this.db.insertInto('webhooks').values({ ...row, api_version: '3', kind: 'integration' }).execute();
  }

  get(appId: string, id: string): Promise<WebhookRow | undefined> {
    return this.db.selectFrom('webhooks').selectAll().where((eb) => hookMatches(eb, appId, {})).where('id', '=', id).executeTakeFirst();
  }

  /** Oldest first, by offset, with the number of matches. */
  async page(appId: string, f: IntegrationFilter, offset: number, limit: number): Promise<{ rows: WebhookRow[]; total: number }> {
    const rows = await this.db.selectFrom('webhooks').selectAll().where((eb) => hookMatches(eb, appId, f))
      .orderBy('created_at').orderBy('id').limit(limit).offset(offset).execute();
    const n = await this.db.selectFrom('webhooks').select((eb) => eb.fn.countAll().as('n')).where((eb) => hookMatches(eb, appId, f)).executeTakeFirst();
    return { rows, total: Number(n?.n ?? 0) };
  }

  async update(id: string, patch: Partial<Pick<WebhookRow, 'name' | 'url' | 'error_url' | 'triggers' | 'signals' | 'auto_subscribe' | 'status' | 'verified_at'>>): Promise<void> {
    await this.db.updateTable('webhooks').set(patch).where('id', '=', id).where('api_version', '=', '3').execute();
  }

  /** Soft-deletes the integration, drops its subscriptions and dead-letters what it still had queued. */
  remove(id: string, now: number): Promise<void> {
    return this.hooks.deleteWebhook(id, now);
  }

  /** Stores a subscription; false when this vehicle was already subscribed to the integration. */
  async subscribe(appId: string, webhookId: string, vehicleId: string, userId: string, now: number): Promise<boolean> {
    const r = await this.db.insertInto('webhook_subscriptions').values({ webhook_id: webhookId, vehicle_id: vehicleId, app_id: appId, user_id: userId, created_at: now })
      .onConflict((oc) => oc.columns(['webhook_id', 'vehicle_id']).doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  unsubscribe(webhookId: string, vehicleId: string): Promise<boolean> {
    return this.hooks.unsubscribe(webhookId, vehicleId);
  }

  /** The app's subscriptions to its integrations whose connection exists, oldest first, by offset. */
  async subscriptions(appId: string, f: SubscriptionFilter, offset: number, limit: number): Promise<{ rows: SubscriptionRow[]; total: number }> {
    const base = () => {
      let q = this.db.selectFrom('webhook_subscriptions as s')
        .innerJoin('webhooks as w', 'w.id', 's.webhook_id')
        .innerJoin('oauth_connections as c', (j) => j.onRef('c.app_id', '=', 's.app_id').onRef('c.vehicle_id', '=', 's.vehicle_id').onRef('c.user_id', '=', 's.user_id'))
        .where('s.app_id', '=', appId).where('w.app_id', '=', appId).where('w.api_version', '=', '3').where('w.deleted_at', 'is', null);
      if (f.webhookId !== undefined) q = q.where('s.webhook_id', '=', f.webhookId);
      if (f.vehicleId !== undefined) q = q.where('s.vehicle_id', '=', f.vehicleId);
      if (f.userId !== undefined) q = q.where('s.user_id', '=', f.userId);
      if (f.mode === 'live') q = q.where('c.mode', '=', 'live');
      if (f.mode === 'simulated') q = q.where('c.mode', 'in', ['simulated', 'test']);
      return q;
    };
    const rows = await base().select(['s.webhook_id', 's.vehicle_id', 's.user_id', 's.app_id', 's.created_at', 'c.mode'])
      .orderBy('s.created_at').orderBy('s.webhook_id').orderBy('s.vehicle_id').limit(limit).offset(offset).execute();
    const n = await base().select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    return {
      rows: rows.map((r) => ({ webhookId: r.webhook_id, vehicleId: r.vehicle_id, userId: r.user_id ?? '', appId: r.app_id, createdAt: Number(r.created_at), mode: r.mode })),
      total: Number(n?.n ?? 0),
    };
  }

  /** The app's integrations that subscribe new connections by themselves. */
  autoSubscribing(appId: string): Promise<WebhookRow[]> {
    return this.db.selectFrom('webhooks').selectAll().where((eb) => hookMatches(eb, appId, { autoSubscribe: true })).orderBy('created_at').execute();
  }

  /**
   * Enabled integrations each vehicle is subscribed to, for subscriptions whose connection (app ×
   * owner × vehicle) still exists: what trigger evaluation watches.
   */
  async active(vehicleIds: string[]): Promise<IntegrationSubscription[]> {
    if (vehicleIds.length === 0) return [];
    const rows = await this.db.selectFrom('webhook_subscriptions as s').innerJoin('webhooks as w', 'w.id', 's.webhook_id')
      .innerJoin('oauth_connections as c', (j) => j.onRef('c.app_id', '=', 's.app_id').onRef('c.vehicle_id', '=', 's.vehicle_id').onRef('c.user_id', '=', 's.user_id'))
      .selectAll('w').select(['s.vehicle_id as sub_vehicle_id', 's.user_id as sub_user_id'])
      .where('s.vehicle_id', 'in', vehicleIds).where('w.api_version', '=', '3').where('w.status', '=', 'active').where('w.deleted_at', 'is', null)
      .orderBy('w.created_at').orderBy('s.vehicle_id').execute();
    return rows.map(({ sub_vehicle_id, sub_user_id, ...w }) => ({ vehicleId: sub_vehicle_id, userId: sub_user_id ?? '', webhook: w }));
  }
}
