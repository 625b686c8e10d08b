import type { Logger } from 'pino';
import { ApiError, uuid, type Clock } from '@opencar/core';
import { VehicleError, toApiError, type Ctx, type VehicleBackend, type VehicleConnector } from '@opencar/connectors';
import { ChargeSchedulesRepo, type ChargeScheduleRow, type Storage } from '@opencar/storage';
import type { GrantService } from '@opencar/oauth';
import { nextEvent, parseSchedule, type ScheduleType } from './schedule-spec.js';

export interface ScheduleRunnerOptions {
  storage: Storage;
  backend: VehicleBackend;
  grants: Pick<GrantService, 'listConnections'>;
  clock: Clock;
  log: Logger;
  /** How often due schedules are looked for (real ms). */
  tickMs: number;
}

export const execId = () => `exec_${uuid().replace(/-/g, '')}`;

/**
 * The vehicle's own clock: what the OEM cloud reports as the time of its last contact (never
 * wakes the car), or the platform clock when the backend has no such reading.
 */
export async function vehicleNow(connector: VehicleConnector, ctx: Ctx, clock: Clock): Promise<number> {
  if (!connector.connectivity) return clock.now();
  try { return (await connector.connectivity(ctx)).capturedAt; } catch { return clock.now(); }
}

/**
 * Runs the platform's charge schedules: every tick, each schedule whose next start or stop is due
 * on its vehicle's clock is claimed (one conditional update moves it to the following event, so
 * only one server process wins it), then the start or stop is sent and the execution recorded.
 * Everything lives in storage, so schedules survive restarts; a restart after a long gap fires the
 * event that was due once and moves on.
 */
export class ChargeScheduleRunner {
  private readonly repo: ChargeSchedulesRepo;
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly o: ScheduleRunnerOptions) {
    this.repo = new ChargeSchedulesRepo(o.storage.db);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => { if (!this.running) { this.running = this.tick().finally(() => { this.running = undefined; }); } }, this.o.tickMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One pass over the live schedules; returns how many starts and stops this process sent. */
  async tick(): Promise<number> {
    let fired = 0;
    for (const s of await this.repo.active(1000)) {
      try {
        if (await this.runOne(s)) fired++;
      } catch (err) {
        this.o.log.error({ err, scheduleId: s.id }, 'charge schedule failed');
      }
    }
    return fired;
  }

  private async runOne(s: ChargeScheduleRow): Promise<boolean> {
    const { connections } = await this.o.grants.listConnections(s.app_id, { userId: s.user_id, vehicleId: s.vehicle_id }, { limit: 1 });
    if (connections.length === 0) return false; // disconnected: the schedule waits, the DELETE or a reconnect decides
    const connector = await this.o.backend.connector(s.vehicle_id);
    if (!connector?.chargeControl) return false;
    const ctx: Ctx = { vehicleId: s.vehicle_id, unitSystem: 'metric', appId: s.app_id, deadline: this.o.clock.now() + 300_000 };
    const now = await vehicleNow(connector, ctx, this.o.clock);
    const windows = parseSchedule(s.type as ScheduleType, JSON.parse(s.parameters) as Record<string, unknown>);
    if (s.next_at === null) { await this.repo.advance(s.id, null, nextEvent(windows, now)); return false; }
    if (s.next_at > now) return false;
    if (!(await this.repo.advance(s.id, s.next_at, nextEvent(windows, now)))) return false;
    const action = s.next_action === 'stop' ? 'stop' : 'start';
    const executedAt = this.o.clock.now();
    let error: { type: string; code: string | null } | null = null;
    try {
      await connector.chargeControl(ctx, action === 'start' ? 'START' : 'STOP');
    } catch (err) {
      const api = err instanceof VehicleError ? toApiError(err) : err instanceof ApiError ? err : new ApiError('SERVER:INTERNAL');
      error = { type: api.type, code: api.code };
    }
    await this.repo.recordExecution({
      id: execId(), schedule_id: s.id, action, status: error ? 'ERROR' : 'SUCCESS', error: error ? JSON.stringify(error) : null,
      due_at: s.next_at, executed_at: executedAt, completed_at: this.o.clock.now(),
    });
    return true;
  }
}
