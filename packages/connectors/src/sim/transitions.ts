import type { VehicleEvent, VehicleEventType } from '../backend.js';
import type { ModelDef } from './catalogue/types.js';
import { sessionEnded, sessionStarted } from './brand/sessions.js';
import { stableUuid } from './hash.js';
import { chargeDoneAt, evaluate, maxKm, tripEndsAt } from './physics.js';
import type { BehaviourProfile } from './profiles/index.js';
import { routeUpTo, thin } from './route.js';
import { platformTimeOf, TRAIL_POINTS, type SimState } from './state.js';

/**
 * Discrete transitions of the snapshot: due events (charge complete, trip end) are applied in time
 * order, and commands first roll the snapshot forward to "now". Everything mutates the plain state.
 */
export interface Ctx { md: ModelDef; profile: BehaviourProfile }

function emit(s: SimState, type: VehicleEventType, at: number, out: VehicleEvent[]): void {
  out.push({ eventId: stableUuid(`${s.id}:event:${s.evSeq}`), vehicleId: s.id, eventType: type, at });
  s.evSeq++;
}

/** Next internal event (virtual time) of the snapshot. */
export function nextEvent(s: SimState, md: ModelDef): { at: number; kind: 'charge-done' | 'trip-end' } | undefined {
  const c = chargeDoneAt(s, md);
  if (c !== undefined) return { at: c, kind: 'charge-done' };
  const tr = tripEndsAt(s);
  if (tr !== undefined) return { at: tr, kind: 'trip-end' };
  return undefined;
}

/** Moves the continuous state to virtual time t (no event may lie between t0 and t). */
export function rollTo(s: SimState, c: Ctx, t: number): void {
  if (t <= s.t0) return;
  if (s.tripStart >= 0) { s.t0 = t; return; } // trip values stay anchored at trip start
  const v = evaluate(s, c.md, t);
  s.soc = v.soc; s.fuel = v.fuel; s.lv = v.lv; s.t0 = t;
}

/** Applies every event due up to virtual time t, in order; returns the emitted webhook events. */
export function advanceTo(s: SimState, c: Ctx, t: number, out: VehicleEvent[] = []): VehicleEvent[] {
  for (let guard = 0; guard < 16; guard++) {
    const ev = nextEvent(s, c.md);
    if (!ev || ev.at > t) break;
    if (ev.kind === 'charge-done') {
      rollTo(s, c, ev.at);
      s.soc = s.limit;
      s.charging = 0;
      sessionEnded(s, ev.at);
      s.awakeUntil = Math.max(s.awakeUntil, ev.at + c.profile.sleepAfterMin * 60_000);
      s.oemAt = ev.at;
      emit(s, 'CHARGING_COMPLETED', ev.at, out);
    } else {
      endTrip(s, c, ev.at);
    }
  }
  return out;
}

function endTrip(s: SimState, c: Ctx, at: number): void {
  const v = evaluate(s, c.md, at);
  if (s.route) s.trail = thin(routeUpTo(s.route, Math.min(s.tripKm, s.tripMaxKm)), TRAIL_POINTS);
  s.soc = v.soc; s.fuel = v.fuel; s.odoKm = v.odoKm; s.lat = v.lat; s.lon = v.lon; s.oil = v.oil; s.lv = v.lv;
  s.t0 = at;
  s.tripStart = -1; s.tripKmh = 0; s.tripKm = 0; s.tripMaxKm = 0; s.tripKwhKm = 0; s.tripLKm = 0; s.route = null;
  s.tripEndedAt = at;
  s.heading = v.heading;
  s.awakeUntil = Math.max(s.awakeUntil, at + c.profile.sleepAfterMin * 60_000);
  s.oemAt = at;
}

export function startCharging(s: SimState, c: Ctx, t: number, out: VehicleEvent[]): void {
  s.charging = 1;
  s.chargeKw = s.chargeKw > 0 ? s.chargeKw : c.md.acKw;
  s.t0 = t;
  sessionStarted(s, t);
  emit(s, 'CHARGING_STARTED', t, out);
}

export function stopCharging(s: SimState, t: number, out: VehicleEvent[]): void {
  if (!s.charging) return;
  s.charging = 0;
  sessionEnded(s, t);
  emit(s, 'CHARGING_STOPPED', t, out);
}

/** Starts a trip along `route` at `kmh`, with consumption fixed from speed and temperature now. */
export function startTrip(s: SimState, c: Ctx, t: number, route: number[], kmh: number, km: number, kwhKm: number, lKm: number): void {
  s.tripStart = t;
  s.tripKmh = kmh;
  s.route = route;
  s.tripKm = km;
  s.tripKwhKm = kwhKm;
  s.tripLKm = lKm;
  s.tripMaxKm = maxKm(s, c.md);
  s.t0 = t;
}

/** Recomputes the platform time of the next event (storage index); -1 when none or paused. */
export function refreshNextAt(s: SimState, md: ModelDef): void {
  const ev = nextEvent(s, md);
  s.nextAt = ev ? platformTimeOf(s, ev.at) ?? -1 : -1;
}
