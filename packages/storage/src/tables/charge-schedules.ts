/** API v3 charge schedules the platform runs, and their executions. Times are epoch milliseconds. */
export interface ChargeSchedulesTable {
  /** `sched_` + 32 hex digits. */
  id: string;
  app_id: string;
  user_id: string;
  vehicle_id: string;
  /** 'daily' | 'weekly' | 'workweek' */
  type: string;
  /** JSON: the request's attributes (location, times). */
  parameters: string;
  /** Vehicle-clock time of the next start or stop; null until first computed. */
  next_at: number | null;
  /** 'start' | 'stop' */
  next_action: string | null;
  created_at: number;
  deleted_at: number | null;
}

export interface ChargeScheduleExecutionsTable {
  /** `exec_` + 32 hex digits. */
  id: string;
  schedule_id: string;
  /** 'create' | 'delete' | 'start' | 'stop' */
  action: string;
  /** 'SUCCESS' | 'ERROR' */
  status: string;
  /** JSON `{type, code}` of a failed start or stop. */
  error: string | null;
  /** Vehicle-clock time the start or stop was due. */
  due_at: number | null;
  executed_at: number;
  completed_at: number;
}
