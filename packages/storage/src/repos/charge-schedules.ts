import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { ChargeScheduleExecutionsTable, ChargeSchedulesTable } from '../tables/charge-schedules.js';

export type ChargeScheduleRow = Selectable<ChargeSchedulesTable>;
export type ChargeScheduleExecutionRow = Selectable<ChargeScheduleExecutionsTable>;

const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const schedule = (r: ChargeScheduleRow): ChargeScheduleRow => ({ ...r, next_at: n(r.next_at), created_at: Number(r.created_at), deleted_at: n(r.deleted_at) });
const execution = (r: ChargeScheduleExecutionRow): ChargeScheduleExecutionRow => ({ ...r, due_at: n(r.due_at), executed_at: Number(r.executed_at), completed_at: Number(r.completed_at) });

/** Charge schedules and their executions. */
export class ChargeSchedulesRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(row: ChargeScheduleRow, created: ChargeScheduleExecutionRow): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('charge_schedules').values(row).execute();
      await trx.insertInto('charge_schedule_executions').values(created).execute();
    });
  }

  async get(appId: string, vehicleId: string, id: string): Promise<ChargeScheduleRow | undefined> {
    const r = await this.db.selectFrom('charge_schedules').selectAll().where('id', '=', id).where('app_id', '=', appId).where('vehicle_id', '=', vehicleId).where('deleted_at', 'is', null).executeTakeFirst();
    return r && schedule(r);
  }

  /** Marks a schedule deleted and records the deletion; false when it was already gone. */
  async remove(id: string, now: number, deleted: ChargeScheduleExecutionRow): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const r = await trx.updateTable('charge_schedules').set({ deleted_at: now, next_at: null }).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return false;
      await trx.insertInto('charge_schedule_executions').values(deleted).execute();
      return true;
    });
  }

  /** Live schedules of one user's vehicle for one app, oldest first (the charge-chargetimers signal). */
  async forVehicle(appId: string, vehicleId: string, userId: string): Promise<ChargeScheduleRow[]> {
    const rows = await this.db.selectFrom('charge_schedules').selectAll().where('app_id', '=', appId).where('vehicle_id', '=', vehicleId)
      .where('user_id', '=', userId).where('deleted_at', 'is', null).orderBy('created_at').execute();
    return rows.map(schedule);
  }

  /** Live schedules, oldest first (the runner's work list). */
  async active(limit: number): Promise<ChargeScheduleRow[]> {
    const rows = await this.db.selectFrom('charge_schedules').selectAll().where('deleted_at', 'is', null).orderBy('created_at').limit(limit).execute();
    return rows.map(schedule);
  }

  /**
   * Moves a schedule from the event it had (`from`, null when not yet planned) to the next one.
   * Only the caller whose `from` still matches succeeds: each event is claimed exactly once.
   */
  async advance(id: string, from: number | null, next: { at: number; action: string }): Promise<boolean> {
    let q = this.db.updateTable('charge_schedules').set({ next_at: next.at, next_action: next.action }).where('id', '=', id).where('deleted_at', 'is', null);
    q = from === null ? q.where('next_at', 'is', null) : q.where('next_at', '=', from);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async recordExecution(row: ChargeScheduleExecutionRow): Promise<void> {
    await this.db.insertInto('charge_schedule_executions').values(row).execute();
  }

  async executions(scheduleId: string): Promise<ChargeScheduleExecutionRow[]> {
    const rows = await this.db.selectFrom('charge_schedule_executions').selectAll().where('schedule_id', '=', scheduleId).orderBy('executed_at').orderBy('id').execute();
    return rows.map(execution);
  }
}
