import type { Kysely } from 'kysely';

/**
 * API v3 charge schedules run by the platform: `charge_schedules` (one row per schedule, with the
 * next start or stop due on the vehicle clock; claiming an event moves `next_at` on in one
 * conditional update, so each event fires once however many server processes run) and
 * `charge_schedule_executions` (every create, delete, start and stop, with its outcome).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('charge_schedules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('parameters', 'text', (c) => c.notNull())
    .addColumn('next_at', 'bigint')
    .addColumn('next_action', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema.createIndex('charge_schedules_vehicle_idx').on('charge_schedules').columns(['app_id', 'vehicle_id']).execute();
  await db.schema.createTable('charge_schedule_executions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('schedule_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('due_at', 'bigint')
    .addColumn('executed_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('charge_schedule_executions_schedule_idx').on('charge_schedule_executions').columns(['schedule_id', 'executed_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('charge_schedule_executions').execute();
  await db.schema.dropTable('charge_schedules').execute();
}
