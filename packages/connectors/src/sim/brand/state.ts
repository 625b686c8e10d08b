/**
 * Brand-endpoint state kept on the simulated vehicle (SimState.brand): settings the owner makes
 * through brand-specific endpoints, and the charging sessions the vehicle remembers. Absent until
 * first needed, so vehicles that never use these endpoints carry nothing.
 */
export interface ScheduleSlot { enabled: boolean; time: string | null }
export interface Window { start: string; end: string }
export interface FordLocation { lat: number; lon: number; limit: number; weekday: Window[]; weekend: Window[] }
export interface NissanSchedule { start: string; end: string; days: string[] }

/** A finished charging session: [virtual start, end, SoC at start, SoC at end, charging power kW, latitude, longitude]. */
export type Session = [number, number, number, number, number, number, number];

export interface BrandState {
  /** Requested charging current (A) set through the ammeter endpoint. */
  ampsSet?: boolean;
  /** The session in progress: [virtual start, SoC at start]. */
  chg?: [number, number];
  /** Finished sessions, oldest first (the last MAX_SESSIONS). */
  sessions?: Session[];
  schedule?: { departureTime: ScheduleSlot; startTime: ScheduleSlot };
  /** Cabin climate: on, set point (°C), since (virtual ms); defrost and steering-wheel heater. */
  climate?: { on: boolean; setC: number; since: number; defrost: boolean; wheel: boolean };
  pin?: string;
  fordLocations?: FordLocation[];
  nissanSchedules?: NissanSchedule[];
}

export const MAX_SESSIONS = 30;
