import type { ModelDef } from '../catalogue/types.js';
import { rand01, stableUuid } from '../hash.js';
import { hoursTo } from '../physics.js';
import { PLACES } from '../places.js';
import { haversineKm } from '../route.js';
import type { SimState } from '../state.js';
import { invalid, iso, r2, r3, type BrandCall } from './call.js';
import type { Session } from './state.js';
import type { ChargeRecord } from '../../connector.js';

/**
 * Charging records (tesla, bmw, mini) and billed Supercharger records (tesla): the sessions the
 * vehicle recorded while simulated, preceded by a seeded history for the 60 days before it joined.
 */
const DAY = 86_400_000;
const HOUR = 3_600_000;
const ALL_PLACES = Object.values(PLACES).flat();

function nearestCity(lat: number, lon: number): { name: string; km: number } {
  let best = { name: 'Unknown', km: Infinity };
  for (const [name, la, lo] of ALL_PLACES) {
    const km = haversineKm(lat, lon, la, lo);
    if (km < best.km) best = { name, km };
  }
  return best;
}

/** Within 6 km of a home city centre (simulated vehicles live around one). */
export const atHome = (lat: number, lon: number) => nearestCity(lat, lon).km < 6;

function seededHistory(s: SimState, md: ModelDef): Session[] {
  const out: Session[] = [];
  const cap = md.batteryKwh ?? 0;
  if (!cap) return out;
  const first = Math.floor(s.createdAt / DAY) - 60;
  for (let day = first; day < first + 60; day++) {
    if (rand01(s.seed, day) >= 0.3) continue;
    const dc = rand01(s.seed, day + 0x1000) < 0.15;
    const start = day * DAY + Math.round((18 + 5 * rand01(s.seed, day + 0x2000) - s.lon / 15) * HOUR);
    const soc0 = r3(0.15 + 0.45 * rand01(s.seed, day + 0x3000));
    const soc1 = dc ? 0.8 : s.make === 'TESLA' ? 0.8 : 0.9;
    const kw = dc ? 120 : md.acKw;
    const end = start + Math.ceil(hoursTo(soc0, soc1, kw, cap) * HOUR);
    if (end >= s.createdAt) continue;
    const away = dc ? 0.05 + 0.05 * rand01(s.seed, day + 0x4000) : 0;
    out.push([start, end, soc0, soc1, kw, s.lat + away, s.lon - away]);
  }
  return out;
}

function sessions(s: SimState, md: ModelDef): Session[] {
  return [...seededHistory(s, md), ...(s.brand?.sessions ?? [])];
}

interface Described { start: number; end: number; kwh: number; dc: boolean; isPublic: boolean; location: string; soc0: number; soc1: number }

function describeSession(s: SimState, md: ModelDef, x: Session): Described {
  const [start, end, soc0, soc1, kw, lat, lon] = x;
  const dc = kw > md.acKw + 0.05;
  const city = nearestCity(lat, lon);
  const isPublic = dc || !atHome(lat, lon) || rand01(s.seed, Math.round(lat * 1000) ^ Math.round(lon * 1000)) < 0.15;
  const location = dc ? `${city.name} ${s.make === 'TESLA' ? 'Supercharger' : 'fast charger'}` : isPublic ? `${city.name} public charger` : `Home, ${city.name}`;
  return { start, end, kwh: r2(Math.max(0, (soc1 - soc0) * (md.batteryKwh ?? 0))), dc, isPublic, location, soc0, soc1 };
}

/** The [start, end] of the query window; `maxDays` caps its length. */
function window(c: BrandCall, t: number, maxDays: number | null): [number, number] {
  const { startDate, endDate } = c.req.query;
  const parse = (v: string | undefined, name: string, endOfDay: boolean) => {
    if (v === undefined || v === '') return undefined;
    const ms = Date.parse(v);
    if (!Number.isFinite(ms)) throw invalid(name, `${name} must be an ISO-8601 date`);
    return ms + (endOfDay && v.length <= 10 ? DAY - 1 : 0);
  };
  const end = parse(endDate, 'endDate', true) ?? t;
  const start = parse(startDate, 'startDate', false) ?? end - 30 * DAY;
  if (start > end) throw invalid('startDate', 'startDate must not be after endDate');
  if (maxDays !== null && end - start > maxDays * DAY) throw invalid('endDate', `the window must not exceed ${maxDays} days`);
  return [start, end];
}

export function chargeRecords(c: BrandCall, s: SimState, md: ModelDef, t: number) {
  const [from, to] = window(c, t, 30);
  const records = sessions(s, md).filter(([a, b]) => a >= from && a <= to && b <= t).map((x) => {
    const d = describeSession(s, md, x);
    return {
      chargeStart: iso(d.start), chargeEnd: iso(d.end), location: d.location, energy: d.kwh, isPublic: d.isPublic,
      startPercentRemaining: r3(d.soc0), endPercentRemaining: r3(d.soc1), chargingType: d.dc ? 'DC' : 'AC',
    };
  });
  return { records };
}

const PRICE: Record<string, [string, number]> = { US: ['USD', 0.45], CA: ['CAD', 0.55], EUROPE: ['EUR', 0.52] };
const PAGE_SIZE = 10;

/**
 * The connector's charge records: finished sessions starting in [from, to], oldest first. Public
 * sessions carry the price the charger billed; home sessions no cost.
 */
export function chargeRecordList(s: SimState, md: ModelDef, t: number, from: number, to: number, connectorType: string): ChargeRecord[] {
  const [currency, price] = PRICE[s.region] ?? ['USD', 0.45];
  return sessions(s, md).filter(([a, b]) => a >= from && a <= to && b <= t).map((x) => {
    const d = describeSession(s, md, x);
    return {
      id: stableUuid(`${s.id}:charge:${d.start}`), startTime: d.start, endTime: d.end, energyAddedKwh: d.kwh,
      startStateOfCharge: r3(d.soc0), endStateOfCharge: r3(d.soc1),
      location: { name: d.location, address: null, latitude: Math.round(x[5] * 1e6) / 1e6, longitude: Math.round(x[6] * 1e6) / 1e6 },
      connectorType,
      isPublicCharger: d.isPublic,
      cost: d.isPublic ? { currency, energyAmount: r2(d.kwh * price), otherAmount: 0 } : null,
    };
  });
}

export function billingRecords(c: BrandCall, s: SimState, md: ModelDef, t: number) {
  const [from, to] = window(c, t, null);
  const page = c.req.query.page === undefined || c.req.query.page === '' ? 1 : Number(c.req.query.page);
  if (!Number.isInteger(page) || page < 1) throw invalid('page', 'page must be a positive integer');
  const [currency, price] = PRICE[s.region] ?? ['USD', 0.45];
  const billed = sessions(s, md).filter(([a, b]) => a >= from && a <= to && b <= t)
    .map((x) => describeSession(s, md, x)).filter((d) => d.dc);
  const slice = billed.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  return {
    records: slice.map((d) => ({
      chargeStart: iso(d.start), chargeEnd: iso(d.end), energyConsumed: d.kwh,
      cost: { currency, energy: r2(d.kwh * price), other: 0 }, location: d.location, recordId: stableUuid(`${s.id}:charge:${d.start}`),
    })),
    hasMoreData: billed.length > page * PAGE_SIZE,
  };
}
