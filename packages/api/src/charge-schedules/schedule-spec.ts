import { ApiError } from '@opencar/core';

/**
 * Charge-schedule bodies of API v3 (smartcar.com/docs/api-reference/charge-schedules/
 * set-daily-charge-schedule, set-weekly-…, set-workweek-…): `{data:{attributes:{location,
 * startTime, stopTime}}}` for daily, `days` keyed by weekday for weekly, `weekdays`/`weekends`
 * for workweek; times `HH:MM` on the vehicle clock.
 */
export type ScheduleType = 'daily' | 'weekly' | 'workweek';
export const SCHEDULE_TYPES: readonly ScheduleType[] = ['daily', 'weekly', 'workweek'];

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
type Weekday = (typeof WEEKDAYS)[number];

/** One charging window: start at `start`, stop at `stop` (minutes after midnight; a stop before the start ends the next day). */
export interface Window { day: number; start: number; stop: number }
export interface ScheduleEvent { at: number; action: 'start' | 'stop' }

type Attrs = Record<string, unknown>;
const invalid = (description: string) => new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description });

function minutes(v: unknown, field: string): number {
  const m = typeof v === 'string' ? /^([01]\d|2[0-3]):([0-5]\d)$/.exec(v) : null;
  if (!m) throw invalid(`${field} must be a time HH:MM (00:00–23:59).`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function pair(v: unknown, field: string): { start: number; stop: number } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(`${field} must be an object {startTime, stopTime}.`);
  const o = v as Attrs;
  const start = minutes(o.startTime, `${field}.startTime`);
  const stop = minutes(o.stopTime, `${field}.stopTime`);
  if (start === stop) throw invalid(`${field}.stopTime must differ from startTime.`);
  return { start, stop };
}

function location(v: unknown): void {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid('location must be an object {latitude, longitude}.');
  const { latitude, longitude } = v as Attrs;
  if (typeof latitude !== 'number' || latitude < -90 || latitude > 90) throw invalid('location.latitude must be a number from -90 to 90.');
  if (typeof longitude !== 'number' || longitude < -180 || longitude > 180) throw invalid('location.longitude must be a number from -180 to 180.');
}

function only(attrs: Attrs, allowed: string[]): void {
  const extra = Object.keys(attrs).filter((k) => !allowed.includes(k));
  if (extra.length) throw invalid(`Unknown attribute(s): ${extra.join(', ')}.`);
}

/** Checks a schedule body and returns its windows (VALIDATION:INVALID_INPUT_FORMAT naming the field otherwise). */
export function parseSchedule(type: ScheduleType, attrs: Attrs): Window[] {
  location(attrs.location);
  if (type === 'daily') {
    only(attrs, ['location', 'startTime', 'stopTime']);
    const p = pair(attrs, 'data.attributes');
    return WEEKDAYS.map((_, day) => ({ day, ...p }));
  }
  if (type === 'workweek') {
    only(attrs, ['location', 'weekdays', 'weekends']);
    const wd = pair(attrs.weekdays, 'weekdays');
    const we = pair(attrs.weekends, 'weekends');
    return WEEKDAYS.map((_, day) => ({ day, ...(day === 0 || day === 6 ? we : wd) }));
  }
  only(attrs, ['location', 'days']);
  if (typeof attrs.days !== 'object' || attrs.days === null || Array.isArray(attrs.days)) throw invalid('days must be an object keyed by weekday (monday … sunday).');
  const out: Window[] = [];
  for (const [name, v] of Object.entries(attrs.days as Attrs)) {
    const day = WEEKDAYS.indexOf(name.toLowerCase() as Weekday);
    if (day < 0) throw invalid(`days.${name} is not a weekday.`);
    out.push({ day, ...pair(v, `days.${name}`) });
  }
  if (out.length === 0) throw invalid('days must name at least one weekday.');
  return out;
}

const DAY_MS = 86_400_000;

/** The first start or stop strictly after `t` (vehicle clock, UTC day and time). */
export function nextEvent(windows: Window[], t: number): ScheduleEvent {
  const midnight = Math.floor(t / DAY_MS) * DAY_MS;
  let best: ScheduleEvent | undefined;
  for (let d = -1; d <= 8; d++) {
    const dayStart = midnight + d * DAY_MS;
    const weekday = new Date(dayStart).getUTCDay();
    for (const w of windows) {
      if (w.day !== weekday) continue;
      const start = dayStart + w.start * 60_000;
      const stop = dayStart + w.stop * 60_000 + (w.stop < w.start ? DAY_MS : 0);
      for (const e of [{ at: start, action: 'start' as const }, { at: stop, action: 'stop' as const }]) {
        if (e.at > t && (!best || e.at < best.at)) best = e;
      }
    }
  }
  return best!;
}

const hms = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;

/**
 * A platform schedule as the charge-chargetimers signal shows timers: `type` LOCATION with its
 * `scheduleType` and `scheduleId` (what DELETE takes), windows grouped by identical times.
 */
export function asChargeTimer(s: { id: string; type: string; parameters: string }) {
  const attrs = JSON.parse(s.parameters) as Record<string, unknown>;
  const loc = attrs.location as { latitude: number; longitude: number };
  const groups = new Map<string, { days: string[]; start: string; end: string }>();
  for (const w of parseSchedule(s.type as ScheduleType, attrs)) {
    const key = `${w.start}-${w.stop}`;
    const g = groups.get(key) ?? { days: [], start: hms(w.start), end: hms(w.stop) };
    g.days.push(WEEKDAYS[w.day]!.toUpperCase());
    groups.set(key, g);
  }
  return {
    type: 'LOCATION' as const, condition: { name: null, address: null, latitude: loc.latitude, longitude: loc.longitude },
    schedules: [...groups.values()], departureTimers: [], oemOptimization: null, scheduleType: s.type.toUpperCase(), scheduleId: s.id,
  };
}
