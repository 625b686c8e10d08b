import type { VehicleEvent } from '../backend.js';
import { vehicleErrorFor } from '../errors.js';
import { electricTempFactor, evaluate, fuelTempFactor, speedFactor } from './physics.js';
import { routeKm, routeUpTo, thin } from './route.js';
import { isDc, powerKw } from './brand/electric.js';
import { diffViews, type Change } from './changes.js';
import type { Meta, Simulator } from './simulator.js';
import { OPEN_BITS, reanchor, type Closure, type SimState } from './state.js';
import { advanceTo, refreshNextAt, rollTo, startCharging, startTrip, stopCharging } from './transitions.js';

/**
 * The simulator's control surface (simulator API, dashboard, tests): change state, drive, move the
 * vehicle's clock, inject faults. Changes bypass latency, quotas and faults, and fire due events in order.
 */
export const CONTROL_ERRORS = {
  noBattery: '{car} has no traction battery: it cannot be plugged in or charged.',
  noTank: '{car} has no fuel tank.',
  driving: '{car} is driving: stop the trip first.',
  alreadyDriving: '{car} is already driving.',
  stayAwake: '{car} is driving or charging, so it stays awake.',
  notPlugged: '{car} is not plugged in: plug it in first.',
  atLimit: '{car} is already charged to its limit of {limit} %.',
  acMax: '{car} charges at most {kw} kW on AC (its on-board charger).',
  dcMin: 'DC charging of {car} needs more than the {kw} kW of its on-board charger.',
  noDc: '{car} has no DC fast-charging inlet.',
  range: '{field} must be between {min} and {max}.',
  unknownClosure: 'Unknown closure {name}.',
  routePoints: 'A route needs 1 to 1000 points.',
  pointRange: 'Every route point needs a latitude between -90 and 90 and a longitude between -180 and 180.',
  badFault: '{error} is not an error a vehicle can produce.',
  unknownScenario: 'Unknown scenario {name}.',
  noModel: 'There is no {make} {model} of model year {year} for the {region} market.',
  unknownMake: 'Unknown brand {make}.',
} as const;
export type ControlErrorCode = keyof typeof CONTROL_ERRORS;

/** A control change the vehicle refuses; `code` and `vars` let a UI say it in the reader's language. */
export class ControlError extends Error {
  car = 'The vehicle';
  constructor(readonly code: ControlErrorCode, readonly vars: Record<string, string | number> = {}) {
    super('');
    this.name = 'ControlError';
    this.message = this.text();
  }

  /** Names the vehicle in the message ("Kia Sportage 2021 has no traction battery …"). */
  about(car: string): this {
    this.car = car;
    this.message = this.text();
    return this;
  }

  private text(): string {
    const vars: Record<string, string | number> = { car: this.car, ...this.vars };
    return CONTROL_ERRORS[this.code].replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
  }
}

/** The vehicle as its owner would name it: brand, model, model year. */
export const carName = (meta: Meta, s: Pick<SimState, 'year'>) => `${meta.brand.displayName} ${meta.md.model} ${s.year}`;

/** No road vehicle gets near ten million km; the bound also keeps every derived figure finite. */
export const MAX_ODOMETER_KM = 10_000_000;

export interface StatePatch {
  pluggedIn?: boolean;
  /**
   * Charging on or off while plugged in. Plugging in without it starts charging (as most cars do);
   * `pluggedIn: true, charging: false` leaves the car plugged in and idle.
   */
  charging?: boolean;
  /** 0–1 */
  soc?: number;
  /** 0–1 */
  fuel?: number;
  chargeLimit?: number;
  /** Charger power (kW). AC up to the on-board charger, DC above it. */
  chargeKw?: number;
  /** AC (default power: the on-board charger) or DC (default 150 kW; not on plug-in hybrids). */
  chargerType?: 'AC' | 'DC';
  /** Outside temperature (°C, -40 to 55); null goes back to the climate model. */
  outsideTempC?: number | null;
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
    chargerType: 'AC' | 'DC' | null; chargePowerKw: number | null; acMaxKw: number | null;
    locked: boolean; open: Closure[]; asleep: boolean; driving: boolean; speedKmh: number; ambientC: number; ambientSet: boolean;
    lowVoltageBattery: number; oilLife: number | null; remoteAccess: boolean; offline: boolean; inService: boolean;
    virtualKeyPaired: boolean; destination: { latitude: number; longitude: number } | null; latency: string;
  };
  trip: { startedAt: string; speedKmh: number; routeKm: number; endsAt: string | null } | null;
  /** Where the vehicle went: the trip so far while driving, else the last finished trip ([latitude, longitude] points). */
  trail: [number, number][];
  fault: { error: string; remaining: number } | null;
  nextEventAt: string | null;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const pairs = (flat: readonly number[]): [number, number][] => Array.from({ length: flat.length >> 1 }, (_, i) => [flat[2 * i]!, flat[2 * i + 1]!]);
const iso = (ms: number) => new Date(ms).toISOString();

export function describe(sim: Simulator, s: SimState): VehicleView {
  const meta = sim.meta(s);
  const t = sim.now(s);
  const v = evaluate(s, meta.md, t);
  const ev = meta.md.batteryKwh !== null;
  const open = (Object.keys(OPEN_BITS) as Closure[]).filter((k) => s.open & OPEN_BITS[k]);
  const trail = s.route && v.driving ? routeUpTo(s.route, v.odoKm - s.odoKm) : s.route ? s.route : s.trail ?? [];
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
      chargerType: ev ? (isDc(s, meta.md) ? 'DC' : 'AC') : null, chargePowerKw: ev ? powerKw(s, v) : null, acMaxKw: ev ? meta.md.acKw : null,
      locked: s.locked === 1, open, asleep: sim.isAsleep(s, meta, t), driving: v.driving, speedKmh: v.speedKmh, ambientC: v.ambientC, ambientSet: s.ambC !== undefined,
      lowVoltageBattery: r3(v.lv), oilLife: meta.md.tankLiters !== null ? Math.round(v.oil * 100) / 100 : null,
      remoteAccess: s.remoteOff === 0, offline: s.offline === 1, inService: s.service === 1, virtualKeyPaired: s.virtualKey === 1,
      destination: s.destLat !== null && s.destLon !== null ? { latitude: s.destLat, longitude: s.destLon } : null,
      latency: s.latency,
    },
    trip: s.tripStart >= 0 ? { startedAt: iso(s.tripStart), speedKmh: s.tripKmh, routeKm: Math.round(s.tripKm * 10) / 10, endsAt: v.tripEndsAt ? iso(v.tripEndsAt) : null } : null,
    trail: pairs(thin(trail, 200)),
    fault: s.faultLeft > 0 ? { error: s.faultKey, remaining: s.faultLeft } : null,
    nextEventAt: s.nextAt >= 0 ? iso(s.nextAt) : null,
  };
}

/** What a control change answers: the vehicle after it, the events it fired and what changed (for feedback). */
export interface ControlResult { view: VehicleView; events: VehicleEvent[]; changes: Change[] }

/** Runs a control change on one vehicle at its current virtual time, after firing due events. */
export async function change(sim: Simulator, id: string, fn: (s: SimState, meta: Meta, t: number, events: VehicleEvent[]) => void): Promise<ControlResult> {
  let emitted: VehicleEvent[] = [];
  let before: VehicleView | undefined;
  const s = await sim.engine.update(id, (s) => {
    const meta = sim.meta(s);
    before = describe(sim, s);
    const events: VehicleEvent[] = [];
    const t = sim.now(s);
    const backup = JSON.stringify(s);
    try {
      advanceTo(s, meta.tctx, t, events);
      fn(s, meta, t, events);
    } catch (e) {
      Object.assign(s, JSON.parse(backup) as SimState); // nothing of a refused change is kept
      if (e instanceof ControlError) throw e.about(carName(meta, s));
      throw e;
    }
    refreshNextAt(s, meta.md);
    emitted = events;
    return { value: s, events };
  });
  const view = describe(sim, s);
  return { view, events: emitted, changes: before ? diffViews(before, view) : [] };
}

const within = (x: number, field: string, min: number, max: number) => {
  if (!(x >= min && x <= max)) throw new ControlError('range', { field, min, max });
  return x;
};

/** Default DC charger power (kW) when only the charger type is chosen. */
export const DEFAULT_DC_KW = 150;
export const MAX_CHARGE_KW = 350;

/** Charger power from the patch: AC up to the on-board charger, DC above it (and never on a plug-in hybrid). */
function chargerKw(p: StatePatch, meta: Meta): number | undefined {
  if (p.chargerType === undefined && p.chargeKw === undefined) return undefined;
  const ac = meta.md.acKw;
  const kw = p.chargeKw === undefined ? undefined : within(p.chargeKw, 'chargeKw', 0.1, MAX_CHARGE_KW);
  const type = p.chargerType ?? (kw! > ac + 0.05 ? 'DC' : 'AC');
  if (type === 'AC') {
    if (kw !== undefined && kw > ac + 0.05) throw new ControlError('acMax', { kw: ac });
    return kw ?? ac;
  }
  if (meta.md.powertrain === 'PHEV') throw new ControlError('noDc');
  if (kw !== undefined && kw <= ac + 0.05) throw new ControlError('dcMin', { kw: ac });
  return kw ?? Math.max(DEFAULT_DC_KW, ac + 1);
}

export function setState(sim: Simulator, id: string, p: StatePatch) {
  return change(sim, id, (s, meta, t, events) => {
    const v = evaluate(s, meta.md, t);
    const ev = meta.md.batteryKwh !== null;
    const electric = p.pluggedIn !== undefined || p.charging !== undefined || p.soc !== undefined || p.chargeLimit !== undefined || p.chargeKw !== undefined || p.chargerType !== undefined;
    if (electric && !ev) throw new ControlError('noBattery');
    if (p.fuel !== undefined && meta.md.tankLiters === null) throw new ControlError('noTank');
    if ((p.location || p.pluggedIn || p.charging) && v.driving) throw new ControlError('driving');
    if (p.chargeLimit !== undefined) within(p.chargeLimit, 'chargeLimit', 0.5, 1);
    if (p.outsideTempC !== undefined && p.outsideTempC !== null) within(p.outsideTempC, 'outsideTempC', -40, 55);
    const kw = chargerKw(p, meta);
    rollTo(s, meta.tctx, t);
    const wasCharging = s.charging === 1;
    if (p.soc !== undefined) s.soc = within(p.soc, 'soc', 0, 1);
    if (p.fuel !== undefined) s.fuel = within(p.fuel, 'fuel', 0, 1);
    if (p.chargeLimit !== undefined) s.limit = p.chargeLimit;
    if (kw !== undefined) s.chargeKw = kw;
    if (p.outsideTempC === null) delete s.ambC;
    else if (p.outsideTempC !== undefined) s.ambC = Math.round(p.outsideTempC * 10) / 10;
    if (p.lowVoltageBattery !== undefined) s.lv = within(p.lowVoltageBattery, 'lowVoltageBattery', 0, 1);
    if (p.oilLife !== undefined) s.oil = within(p.oilLife, 'oilLife', 0, 1);
    if (p.odometerKm !== undefined) s.odoKm = within(p.odometerKm, 'odometerKm', 0, MAX_ODOMETER_KM);
    if (p.location) {
      const { latitude, longitude } = p.location;
      s.lat = within(latitude, 'latitude', -90, 90);
      s.lon = within(longitude, 'longitude', -180, 180);
    }
    if (p.locked !== undefined) s.locked = p.locked ? 1 : 0;
    if (p.open) for (const [k, on] of Object.entries(p.open)) {
      const bit = OPEN_BITS[k as Closure];
      if (bit === undefined) throw new ControlError('unknownClosure', { name: k });
      s.open = on ? s.open | bit : s.open & ~bit;
    }
    if (p.remoteAccess !== undefined) s.remoteOff = p.remoteAccess ? 0 : 1;
    if (p.offline !== undefined) s.offline = p.offline ? 1 : 0;
    if (p.inService !== undefined) s.service = p.inService ? 1 : 0;
    if (p.virtualKeyPaired !== undefined) s.virtualKey = p.virtualKeyPaired ? 1 : 0;
    if (p.latency !== undefined) s.latency = p.latency;
    const below = () => s.soc < s.limit - 1e-9;
    if (p.pluggedIn === false && s.plugged) { stopCharging(s, t, events); s.plugged = 0; s.open &= ~OPEN_BITS.chargePort; }
    if (p.pluggedIn === true && !s.plugged) {
      s.plugged = 1;
      s.open |= OPEN_BITS.chargePort;
      if (p.charging === undefined && below()) startCharging(s, meta.tctx, t, events); // cars start charging when plugged in
    } else if (p.charging === undefined && s.plugged && !s.charging && !wasCharging && (p.chargeLimit !== undefined || p.soc !== undefined) && below() && p.pluggedIn !== false) {
      // plugged in and below a raised limit: charging resumes, as most cars do
      startCharging(s, meta.tctx, t, events);
    }
    if (p.charging === true && !s.charging) {
      if (!s.plugged) throw new ControlError('notPlugged');
      if (!below()) throw new ControlError('atLimit', { limit: Math.round(s.limit * 100) });
      startCharging(s, meta.tctx, t, events);
    } else if (p.charging === false && s.charging) {
      stopCharging(s, t, events);
    }
    if (p.asleep === true) {
      if (v.driving || s.charging) throw new ControlError('stayAwake');
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
    within(speedKmh, 'speedKmh', 1, 250);
    if (route.length < 1 || route.length > 1000) throw new ControlError('routePoints');
    for (const [la, lo] of route) if (!(Math.abs(la) <= 90 && Math.abs(lo) <= 180)) throw new ControlError('pointRange');
    if (evaluate(s, meta.md, t).driving) throw new ControlError('alreadyDriving');
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
    if (count > 0 && !vehicleErrorFor(error)) throw new ControlError('badFault', { error });
    if (!Number.isInteger(count)) throw new ControlError('range', { field: 'count', min: 0, max: 10_000 });
    within(count, 'count', 0, 10_000);
    s.faultKey = count > 0 ? error : '';
    s.faultLeft = count;
  });
}

export type ClockAction = { action: 'pause' } | { action: 'resume' } | { action: 'speed'; factor: number } | { action: 'advance'; ms: number } | { action: 'reset' };

/**
 * Moves a vehicle's clock; advancing fires every event on the way, in order. `reset` puts the clock
 * back on platform time at normal speed: a clock behind catches up (events fire), a clock ahead has
 * the vehicle's own times moved back by the difference (its state stays as it is).
 */
export function clockControl(sim: Simulator, id: string, a: ClockAction) {
  return change(sim, id, (s, meta, _t, events) => {
    const now = sim.clock.now();
    reanchor(s, now);
    if (a.action === 'pause') s.clkSpeed = 0;
    else if (a.action === 'resume') s.clkSpeed = s.clkSpeed > 0 ? s.clkSpeed : 1;
    else if (a.action === 'speed') s.clkSpeed = within(a.factor, 'factor', 0.001, 100_000);
    else if (a.action === 'advance') {
      within(a.ms, 'advance', 0, 366 * 86_400_000);
      s.clkVirtual += Math.round(a.ms);
      advanceTo(s, meta.tctx, s.clkVirtual, events);
    } else {
      const behind = now - s.clkVirtual;
      if (behind >= 0) advanceTo(s, meta.tctx, now, events);
      else shiftTimes(s, behind);
      s.clkVirtual = now;
      s.clkSpeed = 1;
    }
  });
}

/** Moves every virtual time the vehicle holds by `delta` ms (clock reset of a clock that ran ahead). */
function shiftTimes(s: SimState, delta: number): void {
  s.t0 += delta;
  s.awakeUntil += delta;
  s.oemAt += delta;
  s.qStart += delta;
  if (s.tripEndedAt > 0) s.tripEndedAt += delta;
  if (s.tripStart >= 0) s.tripStart += delta;
  const b = s.brand;
  if (b?.chg) b.chg[0] += delta;
  for (const x of b?.sessions ?? []) { x[0] += delta; x[1] += delta; }
  if (b?.climate) b.climate.since += delta;
}
