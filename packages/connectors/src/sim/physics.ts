import type { ModelDef } from './catalogue/types.js';
import { pointAlong } from './route.js';
import type { SimState } from './state.js';

/**
 * Closed-form physics: the vehicle at virtual time t, computed from the snapshot at t0 without
 * stepping. Charging follows constant power up to 80 % (CC) and an exponential taper above (CV);
 * driving follows the route at constant speed with consumption fixed at trip start.
 */
const HOUR = 3_600_000;
const CC_END = 0.8;
/** The CV phase tends toward this asymptote, so 100 % is reached in finite time. */
const CV_TARGET = 1.02;

export interface View {
  t: number;
  soc: number;
  fuel: number;
  odoKm: number;
  lat: number;
  lon: number;
  heading: number;
  oil: number;
  lv: number;
  driving: boolean;
  speedKmh: number;
  charging: boolean;
  /** Plugged in, not charging, at the limit. */
  fullyCharged: boolean;
  ambientC: number;
  /** Virtual time the current charge reaches the limit (when charging). */
  chargeDoneAt: number | undefined;
  /** Virtual time the current trip ends (when driving). */
  tripEndsAt: number | undefined;
}

/** Outside temperature (°C): latitude climate, season (hemisphere aware) and time of day (solar time). */
export function ambientC(lat: number, lon: number, t: number): number {
  const absLat = Math.abs(lat);
  const mean = 32 - 0.4 * absLat;
  const day = (t / 86_400_000) % 365.2425;
  const season = Math.cos((2 * Math.PI * (day - 200)) / 365.2425) * (0.16 * absLat) * (lat >= 0 ? 1 : -1);
  const solarHour = ((t / HOUR) + lon / 15) % 24;
  const diurnal = 4 * Math.cos((2 * Math.PI * (solarHour - 15)) / 24);
  return Math.round((mean + season + diurnal) * 10) / 10;
}

/** Share of the charger's power the pack takes at `soc`: all of it up to 80 %, tapering to 0 toward the asymptote. */
export function taperFactor(soc: number): number {
  return soc < CC_END ? 1 : Math.max(0, (CV_TARGET - soc) / (CV_TARGET - CC_END));
}

/** State of charge after charging `h` hours at `kw` into a `cap` kWh pack from `soc0`. */
export function socAfter(soc0: number, h: number, kw: number, cap: number): number {
  if (h <= 0 || kw <= 0 || cap <= 0) return soc0;
  const rate = kw / cap; // SoC per hour in CC
  let soc = soc0;
  let left = h;
  if (soc < CC_END) {
    const hCc = (CC_END - soc) / rate;
    if (left <= hCc) return soc + rate * left;
    soc = CC_END;
    left -= hCc;
  }
  const k = rate / (CV_TARGET - CC_END);
  return CV_TARGET - (CV_TARGET - soc) * Math.exp(-k * left);
}

/** Hours to charge from `soc0` to `target` (inverse of socAfter). */
export function hoursTo(soc0: number, target: number, kw: number, cap: number): number {
  if (target <= soc0) return 0;
  if (kw <= 0 || cap <= 0) return Infinity;
  const rate = kw / cap;
  let h = 0;
  let soc = soc0;
  if (soc < CC_END) {
    const to = Math.min(target, CC_END);
    h += (to - soc) / rate;
    soc = to;
    if (target <= CC_END) return h;
  }
  const k = rate / (CV_TARGET - CC_END);
  return h + Math.log((CV_TARGET - soc) / (CV_TARGET - Math.min(target, 1))) / k;
}

export function speedFactor(kmh: number): number {
  return 0.6 + 0.4 * (kmh / 90) ** 2;
}

export function electricTempFactor(c: number): number {
  return 1 + 0.012 * Math.max(0, 20 - c) + 0.005 * Math.max(0, c - 25);
}

export function fuelTempFactor(c: number): number {
  return 1 + 0.004 * Math.max(0, 20 - c);
}

/** Virtual time the ongoing charge reaches the limit. */
export function chargeDoneAt(s: SimState, md: ModelDef): number | undefined {
  if (!s.charging || !md.batteryKwh) return undefined;
  const h = hoursTo(s.soc, s.limit, s.chargeKw, md.batteryKwh);
  return Number.isFinite(h) ? s.t0 + Math.ceil(h * HOUR) : undefined;
}

export function tripEndsAt(s: SimState): number | undefined {
  if (s.tripStart < 0 || s.tripKmh <= 0) return undefined;
  const km = Math.min(s.tripKm, s.tripMaxKm);
  return s.tripStart + Math.ceil((km / s.tripKmh) * HOUR);
}

/** Energy use of `km` driven: electric first on PHEV (down to 2 %), then fuel. */
function consume(s: SimState, md: ModelDef, km: number): { soc: number; fuel: number; fuelKm: number } {
  let soc = s.soc;
  let fuel = s.fuel;
  let fuelKm = 0;
  if (md.powertrain === 'BEV') {
    soc = Math.max(0, soc - (km * s.tripKwhKm) / md.batteryKwh!);
  } else if (md.powertrain === 'PHEV') {
    const eKm = Math.max(0, ((soc - 0.02) * md.batteryKwh!) / s.tripKwhKm);
    const e = Math.min(km, eKm);
    soc = Math.max(0, soc - (e * s.tripKwhKm) / md.batteryKwh!);
    fuelKm = km - e;
    fuel = Math.max(0, fuel - (fuelKm * s.tripLKm) / md.tankLiters!);
  } else {
    fuelKm = km;
    fuel = Math.max(0, fuel - (km * s.tripLKm) / md.tankLiters!);
  }
  return { soc, fuel, fuelKm };
}

/** Distance the energy on board allows at the trip's consumption. */
export function maxKm(s: SimState, md: ModelDef): number {
  let km = 0;
  if (md.batteryKwh && s.tripKwhKm > 0) km += (Math.max(0, s.soc - (md.powertrain === 'PHEV' ? 0.02 : 0)) * md.batteryKwh) / s.tripKwhKm;
  if (md.powertrain !== 'BEV' && md.tankLiters && s.tripLKm > 0) km += (s.fuel * md.tankLiters) / s.tripLKm;
  return km;
}

export function evaluate(s: SimState, md: ModelDef, t: number): View {
  const at = Math.max(t, s.t0);
  const v: View = {
    t: at, soc: s.soc, fuel: s.fuel, odoKm: s.odoKm, lat: s.lat, lon: s.lon, heading: 0, oil: s.oil, lv: s.lv,
    driving: false, speedKmh: 0, charging: false, fullyCharged: false, ambientC: 0,
    chargeDoneAt: undefined, tripEndsAt: undefined,
  };
  if (s.charging && md.batteryKwh) {
    const done = chargeDoneAt(s, md);
    v.chargeDoneAt = done;
    if (done !== undefined && at >= done) {
      v.soc = s.limit;
      v.fullyCharged = true;
    } else {
      v.soc = Math.min(s.limit, socAfter(s.soc, (at - s.t0) / HOUR, s.chargeKw, md.batteryKwh));
      v.charging = true;
    }
    v.lv = Math.min(1, s.lv + (0.2 * (at - s.t0)) / HOUR);
  } else if (s.plugged && md.batteryKwh && s.soc >= s.limit - 1e-9) {
    v.fullyCharged = true;
  }
  if (s.tripStart >= 0 && s.route) {
    const ends = tripEndsAt(s)!;
    v.tripEndsAt = ends;
    const km = Math.min(s.tripKm, s.tripMaxKm, (s.tripKmh * Math.max(0, at - s.tripStart)) / HOUR);
    const used = consume(s, md, km);
    const p = pointAlong(s.route, km);
    v.soc = used.soc; v.fuel = used.fuel; v.odoKm = s.odoKm + km; v.lat = p.lat; v.lon = p.lon; v.heading = p.heading;
    const burnKm = md.powertrain === 'PHEV' ? used.fuelKm : md.powertrain === 'BEV' ? 0 : km;
    v.oil = Math.max(0, s.oil - burnKm / 15_000);
    v.driving = at < ends;
    v.speedKmh = v.driving ? s.tripKmh : 0;
    v.lv = Math.min(1, s.lv + (0.3 * (Math.min(at, ends) - s.tripStart)) / HOUR);
  }
  v.ambientC = s.ambC ?? ambientC(v.lat, v.lon, at);
  return v;
}

/** Tyre pressures (kPa): cold pressure per tyre, scaled by absolute temperature, warmer after driving. */
export function tirePressures(s: SimState, view: View, seedOffsets: readonly number[]): [number, number, number, number] {
  const warm = view.driving ? 0.07 : s.tripEndedAt > 0 ? 0.07 * Math.exp(-(view.t - s.tripEndedAt) / HOUR) : 0;
  const f = ((view.ambientC + 273.15) / 293.15) * (1 + warm);
  return [0, 1, 2, 3].map((i) => Math.round((250 + (seedOffsets[i] ?? 0)) * f * 10) / 10) as [number, number, number, number];
}

export function rangeKm(md: ModelDef, view: View): { battery: number; fuel: number } {
  const battery = md.batteryKwh ? (view.soc * md.batteryKwh * 100) / (md.kwhPer100 * electricTempFactor(view.ambientC)) : 0;
  const fuel = md.tankLiters ? (view.fuel * md.tankLiters * 100) / (md.litresPer100 * fuelTempFactor(view.ambientC)) : 0;
  return { battery: Math.round(battery * 10) / 10, fuel: Math.round(fuel * 10) / 10 };
}
