import type { ConnectMode } from '../backend.js';
import type { Powertrain, Region } from '../connector.js';
import { modelsFor, type BrandDef } from './catalogue/index.js';
import { hash32, Prng } from './hash.js';
import { PLACES } from './places.js';
import { profileById } from './profiles/index.js';
import { OPEN_BITS, type SimState } from './state.js';
import { makeVin } from './vin.js';

export interface NewVehicle {
  id: string;
  accountId: string;
  brand: BrandDef;
  region: Region;
  mode: ConnectMode;
  /** Platform time of creation (the vehicle's clock starts there, following wall time). */
  now: number;
  vin?: string;
  powertrain?: Powertrain[];
  trigger?: string;
  /** Force a model (index into brand.models) and year. */
  modelIdx?: number;
  year?: number;
}

const FIRST_YEAR = 2015;
const LAST_YEAR = 2026;

/** A new vehicle with seeded, plausible initial state. Same id → same vehicle. */
export function newVehicle(p: NewVehicle): SimState {
  const seed = hash32(p.id);
  const rng = new Prng(seed);
  const { brand } = p;
  let candidates = modelsFor(brand, p.region);
  if (p.powertrain) {
    const wanted = candidates.filter((md) => p.powertrain!.includes(md.powertrain));
    if (wanted.length) candidates = wanted;
  }
  if (candidates.length === 0) candidates = brand.models;
  const md = p.modelIdx !== undefined ? brand.models[p.modelIdx]! : rng.pick(candidates);
  const modelIdx = brand.models.indexOf(md);
  const lo = Math.max(FIRST_YEAR, md.startYear);
  const hi = Math.min(LAST_YEAR, md.endYear);
  const year = p.year ?? rng.int(lo, Math.max(lo, hi));
  const vin = p.vin ?? makeVin(brand, modelIdx, year, seed);
  const places = PLACES[p.region];
  const [, lat, lon] = rng.pick(places);
  const ageYears = Math.max(0.3, 2026.5 - year);
  const profile = profileById(brand.profile);
  const hasBattery = md.batteryKwh !== null;
  const hasTank = md.tankLiters !== null;
  const limit = brand.make === 'TESLA' ? 0.8 : 0.9;
  const drawnSoc = hasBattery ? Math.round((0.3 + 0.6 * rng.next()) * 1000) / 1000 : 0;
  // Test mode: an electrified car waits plugged in below its limit, so charge commands always have something to do.
  const testPlug = p.mode === 'test' && hasBattery;
  return {
    id: p.id, vin, accountId: p.accountId, make: brand.make, modelIdx, year, mode: p.mode, region: p.region, seed,
    trigger: p.trigger ?? '', latency: '', createdAt: p.now,
    clkVirtual: p.now, clkReal: p.now, clkSpeed: 1,
    t0: p.now,
    soc: testPlug ? Math.min(drawnSoc, Math.round((limit - 0.15) * 1000) / 1000) : drawnSoc,
    fuel: hasTank ? Math.round((0.2 + 0.75 * rng.next()) * 1000) / 1000 : 0,
    odoKm: Math.round(ageYears * 15_000 * (0.6 + 0.8 * rng.next())),
    lat: Math.round((lat + (rng.next() - 0.5) * 0.08) * 1e6) / 1e6,
    lon: Math.round((lon + (rng.next() - 0.5) * 0.08) * 1e6) / 1e6,
    oil: Math.round((0.25 + 0.75 * rng.next()) * 100) / 100,
    lv: 0.95,
    plugged: testPlug ? 1 : 0, charging: 0,
    limit,
    chargeKw: md.acKw, amps: 32,
    locked: 1, open: testPlug ? OPEN_BITS.chargePort : 0,
    awakeUntil: p.now + profile.sleepAfterMin * 60_000,
    remoteOff: 0, offline: 0, service: 0, virtualKey: 1, tripEndedAt: 0,
    tripStart: -1, tripKmh: 0, tripKm: 0, tripMaxKm: 0, tripKwhKm: 0, tripLKm: 0, route: null,
    destLat: null, destLon: null,
    faultKey: '', faultLeft: 0,
    qStart: 0, qData: 0, qCmd: 0, qWake: 0,
    oemAt: p.now, reqs: 0, evSeq: 0, nextAt: -1,
  };
}
