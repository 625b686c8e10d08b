import type { ConnectMode } from '../backend.js';
import type { Region } from '../connector.js';
import type { BrandState } from './brand/state.js';

/**
 * One simulated vehicle: identity, its virtual clock, and a snapshot of its physical state taken at
 * virtual time `t0` (the last event). Everything at a later time is computed in closed form from
 * the snapshot (physics.ts), so idle vehicles cost nothing. Plain fields only: a million of these
 * must fit in memory, and the same object is stored as JSON.
 */
export interface SimState {
  id: string;
  vin: string;
  accountId: string;
  make: string;
  /** Index into the brand's model list (catalogue). */
  modelIdx: number;
  year: number;
  mode: ConnectMode;
  /** Market of the vehicle (from the owner's Connect country). */
  region: Region;
  /** PRNG seed derived from the vehicle id. */
  seed: number;
  /** Catalogue key every non-static call fails with (test-mode error logins), or ''. */
  trigger: string;
  /** Latency profile override: '' = app/platform default, 'zero', 'realistic'. */
  latency: string;
  createdAt: number;

  // Virtual clock: virtual = clkVirtual + (platformNow - clkReal) * clkSpeed (clkSpeed 0 = paused).
  clkVirtual: number;
  clkReal: number;
  clkSpeed: number;

  // Snapshot at virtual time t0.
  t0: number;
  /** Traction battery state of charge 0–1 (0 for ICE/HEV). */
  soc: number;
  /** Fuel level 0–1 (0 for BEV). */
  fuel: number;
  odoKm: number;
  lat: number;
  lon: number;
  /** Engine oil life 0–1. */
  oil: number;
  /** 12 V battery charge 0–1. */
  lv: number;
  plugged: number;
  charging: number;
  /** Charge limit 0.5–1. */
  limit: number;
  /** Nominal battery capacity (kWh) the owner chose on the battery-capacity page, if any. */
  userCapacityKwh?: number;
  /** Charging power kW while charging. */
  chargeKw: number;
  /** Requested charging current (A), for brand endpoints. */
  amps: number;
  locked: number;
  /** Bitmask of open closures: bits 0–3 doors FL FR BL BR, 4–7 windows, 8 sunroof, 9 front storage, 10 rear storage, 11 charge port. */
  open: number;
  /** Virtual time until which the vehicle stays awake without further activity. */
  awakeUntil: number;
  /** 1 when the owner disabled remote access. */
  remoteOff: number;
  /** 1 when the vehicle has no coverage. */
  offline: number;
  /** 1 when the vehicle is in the workshop. */
  service: number;
  /** 1 when a (Tesla) virtual key is paired. */
  virtualKey: number;
  /** Virtual time when the last trip ended (tyres warm up while driving). */
  tripEndedAt: number;

  // Trip in progress (tripStart < 0: parked).
  tripStart: number;
  tripKmh: number;
  /** Distance of the planned route (km) and the distance the energy on board allows. */
  tripKm: number;
  tripMaxKm: number;
  /** Electric consumption (kWh/km) and fuel consumption (L/km) fixed at trip start. */
  tripKwhKm: number;
  tripLKm: number;
  /** Route as flat [lat, lon, lat, lon, …]; null when parked. */
  route: number[] | null;

  destLat: number | null;
  destLon: number | null;

  /** Injected fault: catalogue key and how many calls remain. */
  faultKey: string;
  faultLeft: number;

  /** OEM quota windows (virtual ms start) and counters: data reads, commands, wakes. */
  qStart: number;
  qData: number;
  qCmd: number;
  qWake: number;
  /** Virtual time of the last live refresh of the OEM cloud cache. */
  oemAt: number;
  /** Requests served so far (drives the seeded latency draws). */
  reqs: number;
  /** Events emitted so far (part of event ids). */
  evSeq: number;
  /** Platform time (ms) of the next due event, or -1 (none, or clock paused). Indexed in storage. */
  nextAt: number;
  /** Heading (degrees) when the last trip ended; absent before the first trip. */
  heading?: number;
  /** Outside temperature (°C) set through the control surface; absent: the climate model (latitude, season, hour). */
  ambC?: number;
  /** Where the last finished trip went (flat [lat, lon, …], at most TRAIL_POINTS points); absent before the first trip. */
  trail?: number[];
  /** Brand-endpoint settings and charging sessions (brand/state.ts); absent until first used. */
  brand?: BrandState;
}

export function virtualNow(s: Pick<SimState, 'clkVirtual' | 'clkReal' | 'clkSpeed'>, platformNow: number): number {
  return s.clkVirtual + Math.round((platformNow - s.clkReal) * s.clkSpeed);
}

/** Platform time at which the vehicle's clock reaches virtual time `v`; undefined while paused. */
export function platformTimeOf(s: Pick<SimState, 'clkVirtual' | 'clkReal' | 'clkSpeed'>, v: number): number | undefined {
  if (s.clkSpeed <= 0) return undefined;
  return s.clkReal + Math.ceil((v - s.clkVirtual) / s.clkSpeed);
}

/** Re-anchors the clock at `platformNow` (before changing speed or jumping). */
export function reanchor(s: SimState, platformNow: number): void {
  s.clkVirtual = virtualNow(s, platformNow);
  s.clkReal = platformNow;
}

export const OPEN_BITS = {
  doorFL: 1, doorFR: 2, doorBL: 4, doorBR: 8, winFL: 16, winFR: 32, winBL: 64, winBR: 128,
  sunroof: 256, front: 512, rear: 1024, chargePort: 2048,
} as const;
export type Closure = keyof typeof OPEN_BITS;

/** Most points kept of a finished trip's route (the console draws it as the vehicle's trail). */
export const TRAIL_POINTS = 40;
