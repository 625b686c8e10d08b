import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../database.js';
import type { PlanHistoryTable } from '../tables/plan-history.js';

export type PlanHistoryRow = PlanHistoryTable;

/** Plan periods of developers, and the billable units of an app between two instants (to price each period). */
export class PlanHistoryRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Sets the developer's plan (and limits, when given) and records the period it starts, in one
   * transaction. The first change of an account that has no history records its earlier plan as
   * in force since the account was created.
   */
  async change(row: PlanHistoryRow, limits: { set: boolean; value: string | null }, before: { plan: string; planLimits: string | null; since: number; id: string }): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const any = await tx.selectFrom('plan_history').select('id').where('developer_id', '=', row.developer_id).limit(1).executeTakeFirst();
      if (!any && before.since < row.starts_at) {
        await tx.insertInto('plan_history').values({ id: before.id, developer_id: row.developer_id, plan: before.plan, plan_limits: before.planLimits, starts_at: before.since, source: 'signup' }).execute();
      }
      await tx.insertInto('plan_history').values(row).execute();
      await tx.updateTable('developers').set(limits.set ? { plan: row.plan, plan_limits: limits.value } : { plan: row.plan }).where('id', '=', row.developer_id).execute();
    });
  }

  async record(row: PlanHistoryRow): Promise<void> {
    await this.db.insertInto('plan_history').values(row).execute();
  }

  /** Every period of the developer, oldest first. */
  async history(developerId: string): Promise<PlanHistoryRow[]> {
    const rows = await this.db.selectFrom('plan_history').selectAll().where('developer_id', '=', developerId).orderBy('starts_at').orderBy('id').execute();
    return rows.map((r) => ({ ...r, starts_at: Number(r.starts_at) }));
  }

  /** Billable units (and requests) the app recorded in [from, to) of one billing month. */
  async unitsBetween(appId: string, month: string, from: number, to: number): Promise<{ requests: number; units: number }> {
    const r = await this.db.selectFrom('ledger').select([sql<number>`count(*)`.as('requests'), sql<number>`coalesce(sum(units), 0)`.as('units')])
      .where('app_id', '=', appId).where('month', '=', month).where('at', '>=', from).where('at', '<', to).executeTakeFirst();
    return { requests: Number(r?.requests ?? 0), units: Number(r?.units ?? 0) };
  }
}
