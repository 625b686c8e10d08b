import type { VehicleEvent } from '../backend.js';
import { vehicleErrorFor } from '../errors.js';
import { electricTempFactor, evaluate, fuelTempFactor, speedFactor } from './physics.js';
import { routeKm } from './route.js';
import type { Meta, Simulator } from './simulator.js';
import { OPEN_BITS, reanchor, type Closure, type SimState } from './state.js';
import { advanceTo, refreshNextAt, rollTo, startCharging, startTrip, stopCharging } from './transitions.js';

/**
 * The simulator's control surface (simulator API, dashboard, tests): change state, drive, move the
 * vehicle's clock, inject faults. Changes bypass latency, quotas and faults, and fire due events in order.
 */
export class ControlError extends Error {}

/** No road vehicle gets near ten million km; the bound also keeps every derived figure finite. */
export const MAX_ODOMETER_KM = 10_000_000;

export interface StatePatch {
  pluggedIn?: boolean;
  /** 0–1 */
  soc?: number;
  /** 0–1 */
  fuel?: number;
  chargeLimit?: number;
  chargeKw?: number;
  location?: { latitude: number; longitude: number };
  locked?: boolean;
  /** Closures to open (true) or close (false). */
  open?: Partial<Record<Closure, boolean>>;
  asleep?: boolean;
  remoteAccess?: boolean;
  offline?: boolean;
  inService?: boolean;
  virtualKeyPaired?: boolean;
  /** 12 V battery 0–1 */
  lowVoltageBattery?: number;
  oilLife?: number;
  odometerKm?: number;
  latency?: '' | 'zero' | 'realistic';
}

export interface VehicleView {
  vehicleId: string; vin: string; make: string; model: string; year: number; powertrain: string; accountId: string; mode: string;
  profile: string;
  clock: { virtualNow: string; virtualNowMs: number; speed: number; paused: boolean };
  state: {
    soc: number | null; fuel: number | null; odometerKm: number; latitude: number; longitude: number; heading: number;
    pluggedIn: boolean; chargeState: 'CHARGING' | 'FULLY_CHARGED' | 'NOT_CHARGING' | null; chargeLimit: number | null; chargeKw: number | null;
    locked: boolean; open: Closure[]; asleep: boolean; driving: boolean; speedKmh: number; ambientC: number;
    lowVoltageBattery: number; oilLife: number | null; remoteAccess: boolean; offline: boolean; inService: boolean;
    virtualKeyPaired: boolean; destination: { latitude: number; longitude: number } | null; latency: string;
  };
  trip: { startedAt: string; speedKmh: number; routeKm: number; endsAt: string | null } | null;
  fault: { error: string; remaining: number } | null;
  nextEventAt: string | null;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const iso = (ms: number) => new Date(ms).toISOString();

export function describe(sim: Simulator, s: SimState): VehicleView {
  const meta = sim.meta(s);
  const t = sim.now(s);
  const v = evaluate(s, meta.md, t);
  const ev = meta.md.batteryKwh !== null;
  const open = (Object.keys(OPEN_BITS) as Closure[]).filter((k) => s.open & OPEN_BITS[k]);
  return {
    vehicleId: s.id, vin: s.vin, make: s.make, model: meta.md.model, year: s.year, powertrain: meta.md.powertrain,
    accountId: s.accountId, mode: s.mode, profile: meta.profile.id,
    clock: { virtualNow: iso(t), virtualNowMs: t, speed: s.clkSpeed, paused: s.clkSpeed === 0 },
    state: {
      soc: ev ? r3(v.soc) : null, fuel: meta.md.tankLiters !== null ? r3(v.fuel) : null, odometerKm: Math.round(v.odoKm * 10) / 10,
      latitude: Math.round(v.lat * 1e6) / 1e6, longitude: Math.round(v.lon * 1e6) / 1e6, heading: Math.round(v.heading),
      pluggedIn: s.plugged === 1,
      chargeState: ev ? (v.charging ? 'CHARGING' : s.plugged && v.fullyCharged ? 'FULLY_CHARGED' : 'NOT_CHARGING') : null,
      chargeLimit: ev ? s.limit : null, chargeKw: ev ? s.chargeKw : null,
      locked: s.locked === 1, open, asleep: sim.isAsleep(s, meta, t), driving: v.driving, speedKmh: v.speedKmh, ambientC: v.ambientC,
      lowVoltageBattery: r3(v.lv), oilLife: meta.md.tankLiters !== null ? Math.round(v.oil * 100) / 100 : null,
      remoteAccess: s.remoteOff === 0, offline: s.offline === 1, inService: s.service === 1, virtualKeyPaired: s.virtualKey === 1,
      destination: s.destLat !== null && s.destLon !== null ? { latitude: s.destLat, longitude: s.destLon } : null,
      latency: s.latency,
    },
    trip: s.tripStart >= 0 ? { startedAt: iso(s.tripStart), speedKmh: s.tripKmh, routeKm: Math.round(s.tripKm * 10) / 10, endsAt: v.tripEndsAt ? iso(v.tripEndsAt) : null } : null,
    fault: s.faultLeft > 0 ? { error: s.faultKey, remaining: s.faultLeft } : null,
    nextEventAt: s.nextAt >= 0 ? iso(s.nextAt) : null,
  };
}

/** Runs a control change on one vehicle at its current virtual time, after firing due events. */
async function change(sim: Simulator, id: string, fn: (s: SimState, meta: Meta, t: number, events: VehicleEvent[]) => void): Promise<{ view: VehicleView; events: VehicleEvent[] }> {
  let emitted: VehicleEvent[] = [];
  const s = await sim.engine.update(id, (s) => {
    const meta = sim.meta(s);
    const events: VehicleEvent[] = [];
    const t = sim.now(s);
    const backup = JSON.stringify(s);
    try {
      advanceTo(s, meta.tctx, t, events);
      fn(s, meta, t, events);
    } catch (e) {
      Object.assign(s, JSON.parse(backup) as SimState); // nothing of a refused change is kept
      throw e;
    }
    refreshNextAt(s, meta.md);
    emitted = events;
    return { value: s, events };
  });
  return { view: describe(sim, s), events: emitted };
}

const clamp01 = (x: number, name: string) => {
  if (!(x >= 0 && x <= 1)) throw new ControlError(`${name} must be between 0 and 1`);
  return x;
};

export function setState(sim: Simulator, id: string, p: StatePatch) {
  return change(sim, id, (s, meta, t, events) => {
    const v = evaluate(s, meta.md, t);
    const ev = meta.md.batteryKwh !== null;
    if ((p.pluggedIn !== undefined || p.soc !== undefined || p.chargeLimit !== undefined || p.chargeKw !== undefined) && !ev) {
      throw new ControlError('this vehicle has no traction battery');
    }
    if (p.fuel !== undefined && meta.md.tankLiters === null) throw new ControlError('this vehicle has no fuel tank');
    if ((p.location || p.pluggedIn) && v.driving) throw new ControlError('the vehicle is driving');
    if (p.chargeLimit !== undefined && !(p.chargeLimit >= 0.5 && p.chargeLimit <= 1)) throw new ControlError('chargeLimit must be between 0.5 and 1');
    if (p.chargeKw !== undefined && !(p.chargeKw > 0 && p.chargeKw <= 350)) throw new ControlError('chargeKw must be between 0 and 350');
    rollTo(s, meta.tctx, t);
    const wasCharging = s.charging === 1;
    if (p.soc !== undefined) s.soc = clamp01(p.soc, 'soc');
    if (p.fuel !== undefined) s.fuel = clamp01(p.fuel, 'fuel');
    if (p.chargeLimit !== undefined) s.limit = p.chargeLimit;
    if (p.chargeKw !== undefined) s.chargeKw = p.chargeKw;
    if (p.lowVoltageBattery !== undefined) s.lv = clamp01(p.lowVoltageBattery, 'lowVoltageBattery');
    if (p.oilLife !== undefined) s.oil = clamp01(p.oilLife, 'oilLife');
    if (p.odometerKm !== undefined) { if (!(p.odometerKm >= 0 && p.odometerKm <= MAX_ODOMETER_KM)) throw new ControlError(`odometerKm must be between 0 and ${MAX_ODOMETER_KM}`); s.odoKm = p.odometerKm; }
    if (p.location) {
      const { latitude, longitude } = p.location;
      if (!(Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180)) throw new ControlError('location out of range');
      s.lat = latitude; s.lon = longitude;
    }
    if (p.locked !== undefined) s.locked = p.locked ? 1 : 0;
    if (p.open) for (const [k, on] of Object.entries(p.open)) {
      const bit = OPEN_BITS[k as Closure];
      if (bit === undefined) throw new ControlError(`unknown closure ${k}`);
      s.open = on ? s.open | bit : s.open & ~bit;
    }
    if (p.remoteAccess !== undefined) s.remoteOff = p.remoteAccess ? 0 : 1;
    if (p.offline !== undefined) s.offline = p.offline ? 1 : 0;
    if (p.inService !== undefined) s.service = p.inService ? 1 : 0;
    if (p.virtualKeyPaired !== undefined) s.virtualKey = p.virtualKeyPaired ? 1 : 0;
    if (p.latency !== undefined) s.latency = p.latency;
    if (p.pluggedIn === false && s.plugged) { stopCharging(s, t, events); s.plugged = 0; s.open &= ~OPEN_BITS.chargePort; }
    if (p.pluggedIn === true && !s.plugged) {
      s.plugged = 1;
      s.open |= OPEN_BITS.chargePort;
      if (s.soc < s.limit - 1e-9) startCharging(s, meta.tctx, t, events); // cars start charging when plugged in
    } else if (s.plugged && !s.charging && !wasCharging && (p.chargeLimit !== undefined || p.soc !== undefined) && s.soc < s.limit - 1e-9 && p.pluggedIn !== false) {
      // plugged in and below a raised limit: charging resumes, as most cars do
      startCharging(s, meta.tctx, t, events);
    }
    if (p.asleep === true) {
      if (v.driving || s.charging) throw new ControlError('a driving or charging vehicle stays awake');
      s.awakeUntil = t;
    } else if (p.asleep === false) {
      s.awakeUntil = t + meta.profile.sleepAfterMin * 60_000;
    }
    advanceTo(s, meta.tctx, t, events);
  });
}

/** Starts a trip from the current position along `route` ([[lat, lon], …]) at `speedKmh`. */
export function drive(sim: Simulator, id: string, route: [number, number][], speedKmh: number) {
  return change(sim, id, (s, meta, t, events) => {
    if (!(speedKmh > 0 && speedKmh <= 250)) throw new ControlError('speedKmh must be between 0 and 250');
    if (route.length < 1 || route.length > 1000) throw new ControlError('route needs 1–1000 points');
    for (const [la, lo] of route) if (!(Math.abs(la) <= 90 && Math.abs(lo) <= 180)) throw new ControlError('route point out of range');
    if (evaluate(s, meta.md, t).driving) throw new ControlError('the vehicle is already driving');
    rollTo(s, meta.tctx, t);
    if (s.plugged) { stopCharging(s, t, events); s.plugged = 0; s.open &= ~OPEN_BITS.chargePort; }
    const flat = [s.lat, s.lon, ...route.flat()];
    const km = routeKm(flat);
    const amb = evaluate(s, meta.md, t).ambientC;
    const kwhKm = meta.md.batteryKwh ? (meta.md.kwhPer100 / 100) * speedFactor(speedKmh) * electricTempFactor(amb) : 0;
    const lKm = meta.md.tankLiters ? (meta.md.litresPer100 / 100) * speedFactor(speedKmh) * fuelTempFactor(amb) : 0;
    s.awakeUntil = Math.max(s.awakeUntil, t);
    startTrip(s, meta.tctx, t, flat, speedKmh, km, kwhKm, lKm);
  });
}

/** The next `count` non-static calls fail with the catalogue error `error` (e.g. 'VEHICLE_STATE:ASLEEP'). */
export function injectFault(sim: Simulator, id: string, error: string, count: number) {
  return change(sim, id, (s) => {
    if (count > 0 && !vehicleErrorFor(error)) throw new ControlError(`${error} is not an error a vehicle can produce`);
    if (!(Number.isInteger(count) && count >= 0 && count <= 10_000)) throw new ControlError('count must be 0–10000');
    s.faultKey = count > 0 ? error : '';
    s.faultLeft = count;
  });
}

export type ClockAction = { action: 'pause' } | { action: 'resume' } | { action: 'speed'; factor: number } | { action: 'advance'; ms: number };

/** Moves a vehicle's clock; advancing fires every event on the way, in order. */
export function clockControl(sim: Simulator, id: string, a: ClockAction) {
  return change(sim, id, (s, meta, _t, events) => {
    const now = sim.clock.now();
    reanchor(s, now);
    if (a.action === 'pause') s.clkSpeed = 0;
    else if (a.action === 'resume') s.clkSpeed = s.clkSpeed > 0 ? s.clkSpeed : 1;
    else if (a.action === 'speed') {
      if (!(a.factor > 0 && a.factor <= 100_000)) throw new ControlError('factor must be between 0 and 100000');
      s.clkSpeed = a.factor;
    } else {
      if (!(a.ms >= 0 && a.ms <= 366 * 86_400_000)) throw new ControlError('advance must be between 0 and 366 days');
      s.clkVirtual += Math.round(a.ms);
      advanceTo(s, meta.tctx, s.clkVirtual, events);
    }
  });
}
